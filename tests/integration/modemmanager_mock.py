# Copyright 2026 The fwupd-quectel authors
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A python-dbusmock template of ModemManager as the plugin meets it.

It answers as ModemManager 1.20 does (src/mm-base-manager.c): InhibitDevice takes the uid of a
device ModemManager knows (the sysfs path of its USB device, the modem's Device property) and
fails with Core.NotFound for any other; an inhibited modem's object leaves the bus and comes
back, as a new object, when it is uninhibited; only the inhibitor can end an inhibition.
Callers that ModemManager's bus policy does not let through (not root) get
org.freedesktop.DBus.Error.AccessDenied from the bus, and polkit refusals give
Core.Unauthorized. Modems are org.freedesktop.ModemManager1.Modem objects under an
ObjectManager, with the properties ModemManager exports, and the firmware update settings of
org.freedesktop.ModemManager1.Modem.Firmware.
"""

import dbus

from dbusmock import MOCK_IFACE

BUS_NAME = "org.freedesktop.ModemManager1"
MAIN_OBJ = "/org/freedesktop/ModemManager1"
MAIN_IFACE = "org.freedesktop.ModemManager1"
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True

MODEM_IFACE = MAIN_IFACE + ".Modem"
FIRMWARE_IFACE = MODEM_IFACE + ".Firmware"
ERROR_NOT_FOUND = MAIN_IFACE + ".Error.Core.NotFound"
ERROR_IN_PROGRESS = MAIN_IFACE + ".Error.Core.InProgress"
ERROR_UNAUTHORIZED = MAIN_IFACE + ".Error.Core.Unauthorized"
ERROR_ACCESS_DENIED = "org.freedesktop.DBus.Error.AccessDenied"
POLKIT_CONTROL = "org.freedesktop.ModemManager1.Control"

# MMModemPortType
PORT_NET, PORT_AT, PORT_QCDM, PORT_GPS, PORT_QMI = 2, 3, 4, 5, 6
# the ports of an EC25 in its QMI layout, as ModemManager lists them
EC25_PORTS = [("cdc-wdm0", PORT_QMI), ("ttyUSB0", PORT_QCDM), ("ttyUSB1", PORT_GPS),
              ("ttyUSB2", PORT_AT), ("ttyUSB3", PORT_AT), ("wwan0", PORT_NET)]
MM_MODEM_STATE_REGISTERED = 8
MM_MODEM_FIRMWARE_UPDATE_METHOD_FASTBOOT = 1


def load(mock, parameters):
    mock.devices = {}       # uid -> (Modem properties, firmware version)
    mock.exported = {}      # uid -> object path, while ModemManager exports the modem
    mock.inhibitions = {}   # uid -> bus name of the inhibitor
    mock.refusal = ""       # "", "polkit" or "bus"
    mock.next_modem = 0
    mock.inhibit_log = []   # (uid, inhibit, outcome)
    mock.AddProperties(MAIN_IFACE, {"Version": dbus.String("1.20.4")})


def export_modem(self, uid):
    props, firmware_version = self.devices[uid]
    path = f"{MAIN_OBJ}/Modem/{self.next_modem}"
    self.next_modem += 1
    self.AddObject(path, MODEM_IFACE, props, [])
    settings = dbus.Struct((dbus.UInt32(MM_MODEM_FIRMWARE_UPDATE_METHOD_FASTBOOT),
                            dbus.Dictionary({
                                "device-ids": dbus.Array(["USB\\VID_2C7C&PID_0125"],
                                                         signature="s"),
                                "version": dbus.String(firmware_version),
                                "fastboot-at": dbus.String("AT+QFASTBOOT"),
                            }, signature="sv")), signature="(ua{sv})")
    obj = dbus_objects()[path]
    obj.AddProperties(FIRMWARE_IFACE, {"UpdateSettings": settings})
    self.exported[uid] = path


def dbus_objects():
    from dbusmock import mockobject  # pylint: disable=import-outside-toplevel
    return mockobject.objects


@dbus.service.method(MAIN_IFACE, in_signature="sb", out_signature="", sender_keyword="sender")
def InhibitDevice(self, uid, inhibit, sender=None):
    uid = str(uid)
    inhibit = bool(inhibit)
    try:
        if self.refusal == "bus":
            # ModemManager's bus policy lets only root call InhibitDevice
            raise dbus.exceptions.DBusException(
                f'Rejected send message, 1 matched rules; type="method_call", '
                f'sender="{sender}" interface="{MAIN_IFACE}" member="InhibitDevice" '
                f'error name="(unset)" requested_reply="0" destination="{BUS_NAME}"',
                name=ERROR_ACCESS_DENIED)
        if self.refusal == "polkit":
            raise dbus.exceptions.DBusException(
                f"PolicyKit authorization failed: not authorized for '{POLKIT_CONTROL}'",
                name=ERROR_UNAUTHORIZED)
        if inhibit:
            if uid not in self.devices:
                raise dbus.exceptions.DBusException(f"No device found with uid '{uid}'",
                                                    name=ERROR_NOT_FOUND)
            if uid in self.inhibitions:
                raise dbus.exceptions.DBusException(f"Device '{uid}' is already inhibited",
                                                    name=ERROR_IN_PROGRESS)
            self.inhibitions[uid] = sender
            # the modem object goes away while inhibited
            path = self.exported.pop(uid, None)
            if path is not None:
                self.RemoveObject(path)
        else:
            if self.inhibitions.get(uid) != sender:
                raise dbus.exceptions.DBusException(f"No inhibition found for uid '{uid}'",
                                                    name=ERROR_NOT_FOUND)
            del self.inhibitions[uid]
            # probed again: a new modem object
            export_modem(self, uid)
    except dbus.exceptions.DBusException as e:
        self.inhibit_log.append((uid, inhibit, e.get_dbus_name()))
        raise
    self.inhibit_log.append((uid, inhibit, "ok"))


@dbus.service.method(MOCK_IFACE, in_signature="sssssa(su)", out_signature="o")
def AddModem(self, uid, model, revision, imei, firmware_version, ports):
    """ModemManager probed a module: export its modem."""
    props = {
        "Sim": dbus.ObjectPath(f"{MAIN_OBJ}/SIM/{self.next_modem}"),
        "Bearers": dbus.Array([], signature="o"),
        "SupportedCapabilities": dbus.Array([dbus.UInt32(4)], signature="u"),
        "CurrentCapabilities": dbus.UInt32(4),
        "MaxBearers": dbus.UInt32(1),
        "MaxActiveBearers": dbus.UInt32(1),
        "Manufacturer": dbus.String("Quectel"),
        "Model": dbus.String(model),
        "Revision": dbus.String(revision),
        "HardwareRevision": dbus.String("10000"),
        "CarrierConfiguration": dbus.String("ROW_Generic_3GPP"),
        "CarrierConfigurationRevision": dbus.String("06010821"),
        "DeviceIdentifier": dbus.String("a2d2b8e3c0b5d5f1a6b4c0e2d9f8a7b6c5d4e3f2"),
        "Device": dbus.String(uid),
        "Drivers": dbus.Array(["option", "qmi_wwan"], signature="s"),
        "Plugin": dbus.String("quectel"),
        "PrimaryPort": dbus.String("cdc-wdm0"),
        "Ports": dbus.Array([dbus.Struct((dbus.String(n), dbus.UInt32(t)))
                             for n, t in ports], signature="(su)"),
        "EquipmentIdentifier": dbus.String(imei),
        "UnlockRequired": dbus.UInt32(1),
        "State": dbus.Int32(MM_MODEM_STATE_REGISTERED),
        "StateFailedReason": dbus.UInt32(0),
        "AccessTechnologies": dbus.UInt32(0x4000),
        "SignalQuality": dbus.Struct((dbus.UInt32(60), dbus.Boolean(True))),
        "OwnNumbers": dbus.Array([], signature="s"),
        "PowerState": dbus.UInt32(3),
        "SupportedIpFamilies": dbus.UInt32(7),
    }
    self.devices[str(uid)] = (props, str(firmware_version))
    export_modem(self, str(uid))
    return self.exported[str(uid)]


@dbus.service.method(MOCK_IFACE, in_signature="s", out_signature="")
def SetRefusal(self, refusal):
    """'' to allow InhibitDevice, 'polkit' or 'bus' to refuse it as that layer does."""
    self.refusal = str(refusal)


@dbus.service.method(MOCK_IFACE, in_signature="", out_signature="a(sbs)")
def GetInhibitLog(self):
    """(uid, inhibit, 'ok' or the D-Bus error name) of every InhibitDevice call."""
    return dbus.Array([dbus.Struct(e, signature="sbs") for e in self.inhibit_log],
                      signature="(sbs)")
