/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "fu-quectel-at-client.h"
#include "fu-quectel-at-response.h"
#include "fu-quectel-device.h"
#include "fu-quectel-diag-switch.h"
#include "fu-quectel-edl-device.h"
#include "fu-quectel-failure.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-mm.h"
#include "fu-quectel-module.h"
#include "fu-quectel-port-roles.h"
#include "fu-quectel-record-store.h"
#include "fu-quectel-replug.h"
#include "fu-quectel-revision.h"
#include "fu-quectel-serial-ports.h"
#include "fu-quectel-struct.h"

#define FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS 500

/* the module drops off USB and shows up as 05c6:9008 a few seconds later */
#define FU_QUECTEL_DEVICE_EDL_REPLUG_MS 30000

struct _FuQuectelDevice {
	FuUdevDevice parent_instance;
	GArray *port_roles;	    /* of FuQuectelPortRole, from the QuectelSerialPorts quirk */
	gchar *models;		    /* from the QuectelModels quirk, e.g. EC25,EG25 */
	gchar *dm_port;		    /* e.g. /dev/ttyUSB0 */
	gchar *dm_sysfs_path;	    /* its tty class device */
	gchar *usb_sysfs_path;	    /* the module as ModemManager names it */
	gchar *model;		    /* e.g. EC25 */
	gchar *full_version;	    /* e.g. EC25EFAR06A08M4G_01.001.01.001 */
	gchar *version_expected;    /* after an update: what the module must now report */
	FuQuectelMmModem *mm_modem; /* ModemManager manages the module: its ports are its own */
	gboolean mm_inhibited;	    /* ModemManager let go of the module for the update */
};

G_DEFINE_TYPE(FuQuectelDevice, fu_quectel_device, FU_TYPE_UDEV_DEVICE)

static void
fu_quectel_device_to_string(FuDevice *device, guint idt, GString *str)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	fwupd_codec_string_append(str, idt, "Model", self->model);
	fwupd_codec_string_append(str, idt, "FullVersion", self->full_version);
	fwupd_codec_string_append(str, idt, "DmPort", self->dm_port);
	fwupd_codec_string_append(str, idt, "UsbSysfsPath", self->usb_sysfs_path);
	fwupd_codec_string_append(str, idt, "Models", self->models);
	fwupd_codec_string_append(str, idt, "VersionExpected", self->version_expected);
	if (self->mm_modem != NULL) {
		fwupd_codec_string_append(str, idt, "MmModem", self->mm_modem->object_path);
		fwupd_codec_string_append(str, idt, "MmDevice", self->mm_modem->device);
	}
	fwupd_codec_string_append_bool(str, idt, "MmInhibited", self->mm_inhibited);
}

/*
 * Quectel's SBL dump mode shows the normal-mode USB ID with one interface, bcdDevice 0000 and
 * "QHSUSB__BULK"; its tty speaks neither AT nor DIAG. The module is handled as the USB device
 * then, tty or not (FuQuectelEdlDevice).
 */
static gboolean
fu_quectel_device_probe_dump_mode(FuQuectelDevice *self, FuUsbDevice *usb_device, GError **error)
{
	g_autofree gchar *product = NULL;

	/* the product string first: it is read, and so recorded, for every module */
	product = fu_udev_device_read_sysfs(FU_UDEV_DEVICE(usb_device),
					    "product",
					    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					    NULL);
	if (product != NULL)
		g_strstrip(product);
	if (g_strcmp0(product, FU_QUECTEL_MODULE_DUMP_PRODUCT) != 0)
		return TRUE;
	if (fu_usb_device_get_release(usb_device) != FU_QUECTEL_MODULE_DUMP_BCD)
		return TRUE;
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_NOT_SUPPORTED,
		    "module %s is in Quectel's SBL dump mode: it is handled as its USB device",
		    fu_device_get_physical_id(FU_DEVICE(self)));
	return FALSE;
}

/* which serial function this is, and where the DM port is */
static gboolean
fu_quectel_device_probe_ports(FuQuectelDevice *self, FuUsbDevice *usb_device, GError **error)
{
	const gchar *usb_name = fu_device_get_physical_id(FU_DEVICE(self));
	g_autoptr(FuQuectelSerialPorts) ports = NULL;

	ports = fu_quectel_serial_ports_probe(FU_DEVICE(self),
					      FU_UDEV_DEVICE(usb_device),
					      self->port_roles,
					      error);
	if (ports == NULL)
		return FALSE;
	if (ports->count != self->port_roles->len) {
		g_debug("%s has %u serial functions, the quirk describes %u",
			usb_name,
			ports->count,
			self->port_roles->len);
	}
	if (ports->role != FU_QUECTEL_PORT_ROLE_AT) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "interface 0x%x of %s is the %s port; the module is handled from its "
			    "AT port",
			    (guint)ports->ifnum,
			    usb_name,
			    fu_quectel_port_role_to_string(ports->role));
		return FALSE;
	}
	g_free(self->dm_port);
	g_free(self->dm_sysfs_path);
	self->dm_port = g_steal_pointer(&ports->dm_port);
	self->dm_sysfs_path = g_steal_pointer(&ports->dm_sysfs_path);
	return TRUE;
}

/*
 * While ModemManager manages the module it owns the ports: it opened them exclusively and
 * talks AT on them. The identity then comes from its modem object, and the plugin opens no
 * port until ModemManager has let go of the module in ->prepare.
 */
static gboolean
fu_quectel_device_probe_mm(FuQuectelDevice *self, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	/* a recording holds the AT conversation, never ModemManager's */
	if (fu_device_has_flag(FU_DEVICE(self), FWUPD_DEVICE_FLAG_EMULATED))
		return TRUE;
	g_clear_pointer(&self->mm_modem, fu_quectel_mm_modem_free);
	self->mm_modem = fu_quectel_mm_find_modem(self->usb_sysfs_path, &error_local);
	if (self->mm_modem == NULL) {
		if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_NOT_FOUND)) {
			g_propagate_prefixed_error(
			    error,
			    g_steal_pointer(&error_local),
			    "cannot tell whether ModemManager manages module %s, so its ports "
			    "are left alone: ",
			    fu_device_get_physical_id(FU_DEVICE(self)));
			return FALSE;
		}
		g_debug("%s", error_local->message);
		return TRUE;
	}
	g_info("ModemManager manages %s as %s: reading its identity from ModemManager",
	       self->usb_sysfs_path,
	       self->mm_modem->object_path);
	return TRUE;
}

static gboolean
fu_quectel_device_probe(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	const gchar *device_file;
	g_autofree gchar *usb_name = NULL;
	g_autoptr(FuDevice) usb_device = NULL;
	g_autoptr(GError) error_local = NULL;

	/* FuUdevDevice->probe */
	if (!FU_DEVICE_CLASS(fu_quectel_device_parent_class)->probe(device, error))
		return FALSE;

	/* a hotplug event may name the node as the kernel does (ttyUSB2), not as udev does */
	device_file = fu_udev_device_get_device_file(FU_UDEV_DEVICE(device));
	if (device_file != NULL && !g_str_has_prefix(device_file, "/")) {
		g_autofree gchar *device_file_full = g_strdup_printf("/dev/%s", device_file);
		fu_udev_device_set_device_file(FU_UDEV_DEVICE(device), device_file_full);
	}

	/* only USB serial functions of a module the quirk file knows */
	usb_device =
	    fu_device_get_backend_parent_with_subsystem(device, "usb:usb_device", &error_local);
	if (usb_device == NULL || !FU_IS_USB_DEVICE(usb_device)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "not a USB serial port: %s",
			    error_local != NULL ? error_local->message : "no USB device");
		return FALSE;
	}

	/* the USB identity as fwupd read it; an emulated device carries its own */
	fu_device_incorporate(device,
			      usb_device,
			      FU_DEVICE_INCORPORATE_FLAG_VID | FU_DEVICE_INCORPORATE_FLAG_PID |
				  FU_DEVICE_INCORPORATE_FLAG_VENDOR_IDS);
	fu_device_add_instance_u16(device, "VID", fu_device_get_vid(device));
	fu_device_add_instance_u16(device, "PID", fu_device_get_pid(device));
	fu_device_add_instance_u16(device,
				   "REV",
				   fu_usb_device_get_release(FU_USB_DEVICE(usb_device)));
	if (!fu_device_build_instance_id_full(device,
					      FU_DEVICE_INSTANCE_FLAG_QUIRKS,
					      error,
					      "USB",
					      "VID",
					      "PID",
					      NULL))
		return FALSE;
	if (self->port_roles == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "USB %04x:%04x is not a Quectel module known to the quirk file",
			    fu_device_get_vid(device),
			    fu_device_get_pid(device));
		return FALSE;
	}

	/* the physical ID is the USB device, so all of its ports and its EDL self are one */
	g_free(self->usb_sysfs_path);
	self->usb_sysfs_path = g_strdup(fu_udev_device_get_sysfs_path(FU_UDEV_DEVICE(usb_device)));
	usb_name = g_path_get_basename(self->usb_sysfs_path);
	fu_device_set_physical_id(device, usb_name);
	fu_device_set_logical_id(device, FU_QUECTEL_MODULE_LOGICAL_ID);
	if (!fu_quectel_device_probe_dump_mode(self, FU_USB_DEVICE(usb_device), error))
		return FALSE;
	if (!fu_quectel_device_probe_ports(self, FU_USB_DEVICE(usb_device), error))
		return FALSE;
	if (!fu_quectel_device_probe_mm(self, error))
		return FALSE;

	/* GUIDs */
	if (!fu_device_build_instance_id(device, error, "USB", "VID", "PID", NULL))
		return FALSE;
	if (!fu_device_build_instance_id(device, error, "USB", "VID", "PID", "REV", NULL))
		return FALSE;
	fu_device_build_vendor_id_u16(device, "USB", fu_device_get_vid(device));
	return TRUE;
}

static gboolean
fu_quectel_device_open(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);

	/* ModemManager holds the port: not even its line settings are ours to change */
	if (self->mm_modem != NULL && !self->mm_inhibited) {
		g_debug("ModemManager owns %s, not opening it",
			fu_udev_device_get_device_file(FU_UDEV_DEVICE(device)));
		return TRUE;
	}

	/* FuUdevDevice->open */
	if (!FU_DEVICE_CLASS(fu_quectel_device_parent_class)->open(device, error))
		return FALSE;
	return fu_quectel_serial_ports_set_raw(FU_UDEV_DEVICE(device), error);
}

static gboolean
fu_quectel_device_ensure_full_version(FuQuectelDevice *self, const gchar *revision, GError **error)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autofree gchar *full_version = NULL;
	g_autoptr(GPtrArray) lines = NULL;

	lines = fu_quectel_at_client_transaction(FU_UDEV_DEVICE(self), "AT+QGMR", &status, error);
	if (lines == NULL)
		return FALSE;
	if (status == FU_QUECTEL_AT_STATUS_ERROR) {
		g_debug("AT+QGMR is not supported by this firmware, using the ATI revision %s",
			revision);
		g_free(self->full_version);
		self->full_version = g_strdup(revision);
		return TRUE;
	}
	full_version = fu_quectel_at_response_parse_qgmr(lines, revision, error);
	if (full_version == NULL)
		return FALSE;
	g_free(self->full_version);
	self->full_version = g_steal_pointer(&full_version);
	return TRUE;
}

static gboolean
fu_quectel_device_ensure_serial(FuQuectelDevice *self, GError **error)
{
	g_autofree gchar *imei = NULL;
	g_autoptr(GPtrArray) lines =
	    fu_quectel_at_client_cmd(FU_UDEV_DEVICE(self), "AT+CGSN", error);
	if (lines == NULL)
		return FALSE;
	imei = fu_quectel_at_response_parse_imei(lines, error);
	if (imei == NULL)
		return FALSE;
	fu_device_set_serial(FU_DEVICE(self), imei);
	return TRUE;
}

static gboolean
fu_quectel_device_model_supported(FuQuectelDevice *self, const gchar *model)
{
	g_auto(GStrv) models = NULL;
	if (self->models == NULL)
		return FALSE;
	models = g_strsplit(self->models, ",", -1);
	return g_strv_contains((const gchar *const *)models, model);
}

/* name, GUIDs and version from the model and revision, however they were read */
static FuQuectelRevision *
fu_quectel_device_set_identity(FuQuectelDevice *self,
			       const gchar *model,
			       const gchar *revision,
			       GError **error)
{
	FuDevice *device = FU_DEVICE(self);
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GPtrArray) instance_ids = NULL;

	if (!fu_quectel_device_model_supported(self, model)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "module model %s is not supported, only %s",
			    model,
			    self->models);
		return NULL;
	}
	rev = fu_quectel_revision_parse(revision, error);
	if (rev == NULL)
		return NULL;
	if (g_strcmp0(rev->model, model) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "revision %s is for %s but the module says it is an %s",
			    revision,
			    rev->model,
			    model);
		return NULL;
	}
	g_free(self->model);
	self->model = g_strdup(model);

	/* per-model name and summary come from the quirk file */
	fu_device_add_instance_strup(device, "MODEL", model);
	if (!fu_device_build_instance_id_full(device,
					      FU_DEVICE_INSTANCE_FLAG_QUIRKS,
					      error,
					      FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX,
					      "MODEL",
					      NULL))
		return NULL;
	fu_device_set_name(device, model);

	/* the variant GUIDs are what a cabinet must match */
	instance_ids = fu_quectel_revision_get_instance_ids(rev);
	for (guint i = 0; i < instance_ids->len; i++)
		fu_device_add_instance_id(device, g_ptr_array_index(instance_ids, i));
	fu_device_set_version(device, rev->revision);
	return g_steal_pointer(&rev);
}

static gboolean
fu_quectel_device_setup_identity_at(FuQuectelDevice *self, GError **error)
{
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GError) error_local = NULL;

	if (!fu_quectel_at_client_echo_off(FU_UDEV_DEVICE(self), error))
		return FALSE;
	lines = fu_quectel_at_client_cmd(FU_UDEV_DEVICE(self), "ATI", error);
	if (lines == NULL)
		return FALSE;
	if (!fu_quectel_at_response_parse_ati(lines, &manufacturer, &model, &revision, error))
		return FALSE;
	rev = fu_quectel_device_set_identity(self, model, revision, error);
	if (rev == NULL)
		return FALSE;

	/* optional details */
	if (!fu_quectel_device_ensure_full_version(self, rev->revision, error))
		return FALSE;
	if (!fu_quectel_device_ensure_serial(self, &error_local))
		g_debug("no IMEI: %s", error_local->message);
	return TRUE;
}

/* ModemManager relays what the module answered: ATI/AT+CGMM, AT+CGMR, AT+QGMR, AT+CGSN */
static gboolean
fu_quectel_device_setup_identity_mm(FuQuectelDevice *self, GError **error)
{
	FuQuectelMmModem *modem = self->mm_modem;
	const gchar *model;
	g_autofree gchar *full_version = NULL;
	g_autofree gchar *imei = NULL;
	g_autofree gchar *revision = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(FuQuectelRevision) rev_relayed = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) imei_lines = g_ptr_array_new_with_free_func(g_free);

	if (modem->manufacturer == NULL ||
	    g_ascii_strncasecmp(modem->manufacturer, "Quectel", strlen("Quectel")) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "ModemManager says %s is made by %s, not Quectel",
			    modem->object_path,
			    modem->manufacturer != NULL ? modem->manufacturer : "nobody");
		return FALSE;
	}
	if (modem->model == NULL || modem->revision == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "ModemManager has not read the model and revision of %s yet",
			    modem->object_path);
		return FALSE;
	}
	revision = fu_quectel_at_response_parse_relayed_revision(modem->revision,
								 modem->firmware_version,
								 &full_version,
								 error);
	if (revision == NULL) {
		g_prefix_error(error, "ModemManager %s: ", modem->object_path);
		return FALSE;
	}
	/* ModemManager may give the model with its variant, e.g. EG25-G for the EG25 */
	rev_relayed = fu_quectel_revision_parse(revision, error);
	if (rev_relayed == NULL)
		return FALSE;
	model = modem->model;
	if (g_str_has_prefix(model, rev_relayed->model) && model[strlen(rev_relayed->model)] == '-')
		model = rev_relayed->model;
	rev = fu_quectel_device_set_identity(self, model, revision, error);
	if (rev == NULL) {
		g_prefix_error(error, "ModemManager %s: ", modem->object_path);
		return FALSE;
	}
	g_free(self->full_version);
	self->full_version = g_steal_pointer(&full_version);
	if (modem->equipment_identifier != NULL)
		g_ptr_array_add(imei_lines, g_strdup(modem->equipment_identifier));
	imei = fu_quectel_at_response_parse_imei(imei_lines, &error_local);
	if (imei == NULL)
		g_debug("no IMEI from ModemManager: %s", error_local->message);
	else
		fu_device_set_serial(FU_DEVICE(self), imei);
	return TRUE;
}

static void
fu_quectel_device_forget_record(FuQuectelDevice *self);

static gboolean
fu_quectel_device_setup(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	g_autoptr(GError) error_local = NULL;

	/* the identity as ModemManager read it, which owns the ports; else from the AT port,
	 * where a port that is silent or answers garbage is not a module we can update */
	if (self->mm_modem != NULL) {
		if (!fu_quectel_device_setup_identity_mm(self, error))
			return FALSE;
	} else if (!fu_quectel_device_setup_identity_at(self, &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "AT port %s of module %s is unusable: %s",
			    fu_udev_device_get_device_file(FU_UDEV_DEVICE(device)),
			    fu_device_get_physical_id(device),
			    error_local->message);
		return FALSE;
	}
	fu_quectel_device_forget_record(self);
	return TRUE;
}

/* the module's identity as it must survive emergency download mode */
static FuQuectelRecord *
fu_quectel_device_build_record(FuQuectelDevice *self)
{
	FuDevice *device = FU_DEVICE(self);
	g_autoptr(FuQuectelRecord) record = fu_quectel_record_new();
	record->imei = g_strdup(fu_device_get_serial(device));
	record->model = g_strdup(self->model);
	record->revision = g_strdup(fu_device_get_version(device));
	record->full_version = g_strdup(self->full_version);
	record->physical_id = g_strdup(fu_device_get_physical_id(device));
	return g_steal_pointer(&record);
}

/* before the detach: the EDL device finds the module again by it, even after a reboot */
static gboolean
fu_quectel_device_save_record(FuQuectelDevice *self, GError **error)
{
	g_autoptr(FuQuectelRecord) record = fu_quectel_device_build_record(self);
	if (!fu_quectel_record_store_save(record, error)) {
		g_prefix_error_literal(error,
				       "failed to record the module's identity before the update, "
				       "nothing was changed: ");
		return FALSE;
	}
	return TRUE;
}

/* the module runs the version an interrupted update installed: its record is done */
static void
fu_quectel_device_forget_record(FuQuectelDevice *self)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) records = fu_quectel_record_store_load_all(&error_local);

	if (records == NULL) {
		g_warning("failed to read the module records: %s", error_local->message);
		return;
	}
	for (guint i = 0; i < records->len; i++) {
		FuQuectelRecord *record = g_ptr_array_index(records, i);
		if (fu_device_get_serial(FU_DEVICE(self)) != NULL &&
		    g_strcmp0(record->imei, fu_device_get_serial(FU_DEVICE(self))) != 0)
			continue;
		if (fu_device_get_serial(FU_DEVICE(self)) == NULL &&
		    g_strcmp0(record->physical_id, fu_device_get_physical_id(FU_DEVICE(self))) != 0)
			continue;
		if (record->version_installing == NULL ||
		    g_strcmp0(record->version_installing, fu_device_get_version(FU_DEVICE(self))) !=
			0)
			continue;
		if (!fu_quectel_record_store_remove(record, &error_local)) {
			g_warning("%s", error_local->message);
			return;
		}
	}
}

/* DIAG on the DM port takes the module to the PBL's emergency download mode (05c6:9008) */
static gboolean
fu_quectel_device_detach(FuDevice *device, FuProgress *progress, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);

	if (self->dm_port == NULL || self->dm_sysfs_path == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "module %s has no DM port: cannot switch it to emergency download mode",
			    fu_device_get_physical_id(device));
		fu_quectel_failure_add_state_full(error,
						  FU_QUECTEL_FAILURE_STATE_NORMAL,
						  "enable its DIAG interface (AT+QCFG=\"usbcfg\")");
		return FALSE;
	}
	if (!fu_quectel_device_save_record(self, error)) {
		fu_quectel_failure_add_state(error, FU_QUECTEL_FAILURE_STATE_NORMAL);
		return FALSE;
	}
	if (!fu_quectel_diag_switch_to_edl(device, self->dm_sysfs_path, self->dm_port, error)) {
		fu_quectel_failure_add_state(error, FU_QUECTEL_FAILURE_STATE_NORMAL);
		return FALSE;
	}
	if (!fu_quectel_replug_wait(device, "05c6:9008 (emergency download mode)", error)) {
		fu_quectel_failure_add_state(error, FU_QUECTEL_FAILURE_STATE_GONE_UNCHANGED);
		return FALSE;
	}
	return TRUE;
}

/* the payload must be a release of this module's model, variant, flash size and baseline */
static FuFirmware *
fu_quectel_device_prepare_firmware(FuDevice *device,
				   GInputStream *stream,
				   FuProgress *progress,
				   FuFirmwareParseFlags flags,
				   GError **error)
{
	g_autoptr(FuFirmware) firmware = fu_quectel_firmware_new();
	const FuQuectelRelease *release;

	if (!fu_firmware_parse_stream(firmware, stream, 0x0, flags, error))
		return NULL;
	release = fu_quectel_firmware_get_release(FU_QUECTEL_FIRMWARE(firmware));
	if (!fu_quectel_release_check_fit_version(release, fu_device_get_version(device), error)) {
		g_prefix_error_literal(error, "the module was not touched: ");
		return NULL;
	}
	return g_steal_pointer(&firmware);
}

/* ModemManager must not probe or reset the module while it is updated */
static gboolean
fu_quectel_device_prepare(FuDevice *device,
			  FuProgress *progress,
			  FwupdInstallFlags flags,
			  GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	g_autoptr(GError) error_local = NULL;

	if (self->usb_sysfs_path == NULL)
		return TRUE;
	if (!fu_quectel_mm_inhibit_device(self->usb_sysfs_path,
					  &self->mm_inhibited,
					  &error_local)) {
		/* a refusal already says what to do */
		if (g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_PERMISSION_DENIED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "stop ModemManager or let it release the module: ");
		return FALSE;
	}
	return TRUE;
}

/* runs even when the update failed: give the module back to ModemManager */
static gboolean
fu_quectel_device_cleanup(FuDevice *device,
			  FuProgress *progress,
			  FwupdInstallFlags flags,
			  GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	g_autoptr(GError) error_local = NULL;

	/* the device may be the one that came back after the update: it never saw the inhibit,
	 * and ModemManager says NotFound when there is no inhibition to end */
	if (self->usb_sysfs_path == NULL)
		return TRUE;
	if (!fu_quectel_mm_inhibit(self->usb_sysfs_path, FALSE, &error_local))
		g_warning("%s", error_local->message);
	self->mm_inhibited = FALSE;
	return TRUE;
}

/* after an update the module must report the version that was installed */
static gboolean
fu_quectel_device_reload(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	if (self->version_expected == NULL)
		return TRUE;
	if (g_strcmp0(fu_device_get_version(device), self->version_expected) != 0) {
		g_set_error(
		    error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_WRITE,
		    "the module came back with %s, not the installed %s: the update did not "
		    "take effect",
		    fu_device_get_version(device),
		    self->version_expected);
		fu_quectel_failure_add_state(error, FU_QUECTEL_FAILURE_STATE_NORMAL_PREVIOUS);
		return FALSE;
	}
	fu_quectel_device_forget_record(self);
	return TRUE;
}

static void
fu_quectel_device_replace(FuDevice *device, FuDevice *donor)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	if (FU_IS_QUECTEL_EDL_DEVICE(donor)) {
		const gchar *version =
		    fu_quectel_edl_device_get_version_expected(FU_QUECTEL_EDL_DEVICE(donor));
		g_free(self->version_expected);
		self->version_expected = g_strdup(version);
	}
}

static gboolean
fu_quectel_device_set_quirk_kv(FuDevice *device,
			       const gchar *key,
			       const gchar *value,
			       GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);

	if (g_strcmp0(key, "QuectelSerialPorts") == 0) {
		g_autoptr(GArray) roles = NULL;
		if (!fu_quectel_port_roles_parse(value, &roles, error))
			return FALSE;
		if (self->port_roles != NULL)
			g_array_unref(self->port_roles);
		self->port_roles = g_steal_pointer(&roles);
		return TRUE;
	}
	if (g_strcmp0(key, "QuectelModels") == 0) {
		g_free(self->models);
		self->models = g_strdup(value);
		return TRUE;
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "quirk key not supported");
	return FALSE;
}

static void
fu_quectel_device_set_progress(FuDevice *device, FuProgress *progress)
{
	/* guessed: these echo the simulator's own timing inputs (a full package at 4 MB/s, a 25 s
	 * boot), not a measurement on a module */
	fu_progress_set_id(progress, G_STRLOC);
	fu_progress_add_flag(progress, FU_PROGRESS_FLAG_GUESSED);
	fu_progress_add_step(progress, FWUPD_STATUS_DECOMPRESSING, 0, "prepare-fw");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_RESTART, 3, "detach");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 72, "write");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_RESTART, 25, "attach");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_BUSY, 0, "reload");
}

static void
fu_quectel_device_init(FuQuectelDevice *self)
{
	FuDevice *device = FU_DEVICE(self);
	fu_device_set_vendor(device, "Quectel");
	fu_device_add_protocol(device, "com.qualcomm.firehose");
	fu_device_set_version_format(device, FWUPD_VERSION_FORMAT_PLAIN);
	fu_device_add_icon(device, "modem");
	fu_device_set_firmware_gtype(device, FU_TYPE_QUECTEL_FIRMWARE);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_UPDATABLE);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_REQUIRE_AC);
	fu_device_set_priority(device, FU_QUECTEL_MODULE_PRIORITY);
	fu_device_set_remove_delay(device, FU_QUECTEL_DEVICE_EDL_REPLUG_MS);
	fu_udev_device_add_open_flag(FU_UDEV_DEVICE(self), FU_IO_CHANNEL_OPEN_FLAG_READ);
	fu_udev_device_add_open_flag(FU_UDEV_DEVICE(self), FU_IO_CHANNEL_OPEN_FLAG_WRITE);
	fu_udev_device_add_open_flag(FU_UDEV_DEVICE(self), FU_IO_CHANNEL_OPEN_FLAG_NONBLOCK);
}

static void
fu_quectel_device_finalize(GObject *object)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(object);
	if (self->port_roles != NULL)
		g_array_unref(self->port_roles);
	g_free(self->models);
	g_free(self->dm_port);
	g_free(self->dm_sysfs_path);
	g_free(self->usb_sysfs_path);
	g_free(self->model);
	g_free(self->full_version);
	g_free(self->version_expected);
	if (self->mm_modem != NULL)
		fu_quectel_mm_modem_free(self->mm_modem);
	G_OBJECT_CLASS(fu_quectel_device_parent_class)->finalize(object);
}

static void
fu_quectel_device_class_init(FuQuectelDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuDeviceClass *device_class = FU_DEVICE_CLASS(klass);
	object_class->finalize = fu_quectel_device_finalize;
	device_class->to_string = fu_quectel_device_to_string;
	device_class->probe = fu_quectel_device_probe;
	device_class->open = fu_quectel_device_open;
	device_class->setup = fu_quectel_device_setup;
	device_class->set_quirk_kv = fu_quectel_device_set_quirk_kv;
	device_class->set_progress = fu_quectel_device_set_progress;
	device_class->detach = fu_quectel_device_detach;
	device_class->prepare = fu_quectel_device_prepare;
	device_class->prepare_firmware = fu_quectel_device_prepare_firmware;
	device_class->cleanup = fu_quectel_device_cleanup;
	device_class->reload = fu_quectel_device_reload;
	device_class->replace = fu_quectel_device_replace;
}
