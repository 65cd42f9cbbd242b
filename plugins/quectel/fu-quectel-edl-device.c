/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "fu-quectel-edl-device.h"
#include "fu-quectel-edl-transport.h"
#include "fu-quectel-failure.h"
#include "fu-quectel-firehose.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-module.h"
#include "fu-quectel-plan.h"
#include "fu-quectel-record-store.h"
#include "fu-quectel-release.h"
#include "fu-quectel-replug.h"
#include "fu-quectel-sahara.h"

/* the PBL's EDL interface: vendor class, and protocol ff, 10 or 11 depending on the SoC */
#define FU_QUECTEL_EDL_DEVICE_IFACE_CLASS    0xFF
#define FU_QUECTEL_EDL_DEVICE_IFACE_SUBCLASS 0xFF
#define FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_FF 0xFF
#define FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_10 0x10
#define FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_11 0x11
#define FU_QUECTEL_EDL_DEVICE_MAX_PACKET_HS  512
/* the normal-mode USB vendor of the module, next to Qualcomm's of the PBL */
#define FU_QUECTEL_EDL_DEVICE_MODULE_VID 0x2C7C
/* sysfs attributes are read at once */
#define FU_QUECTEL_EDL_DEVICE_SYSFS_TIMEOUT_MS 500
/* after the power reset a freshly flashed module takes about 30 s to boot */
#define FU_QUECTEL_EDL_DEVICE_REBOOT_MS 90000

struct _FuQuectelEdlDevice {
	FuUsbDevice parent_instance;
	guint8 iface;
	guint8 ep_in;
	guint8 ep_out;
	guint16 max_packet;
	gchar *version_expected;     /* what the module must report after the update */
	FuQuectelSaharaChip *chip;   /* read through Sahara command mode in setup */
	FuQuectelRecord *record;     /* the module's identity from before the update, or NULL */
	gboolean programmer_running; /* the PBL started our Firehose programmer */
	gboolean detached_here;	     /* this update took the module from normal mode to EDL */
	gboolean dump_mode;	     /* in the SBL dump mode, not the PBL's EDL */
	gboolean dump_exit_tried;    /* the plugin sent this module RESET in dump mode already */
	gboolean restarting;	     /* setup reset the module: it comes back as another device */
};

static void
fu_quectel_edl_device_transport_iface_init(FuQuectelEdlTransportInterface *iface);

G_DEFINE_TYPE_WITH_CODE(FuQuectelEdlDevice,
			fu_quectel_edl_device,
			FU_TYPE_USB_DEVICE,
			G_IMPLEMENT_INTERFACE(FU_TYPE_QUECTEL_EDL_TRANSPORT,
					      fu_quectel_edl_device_transport_iface_init))

static void
fu_quectel_edl_device_to_string(FuDevice *device, guint idt, GString *str)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	fwupd_codec_string_append_hex(str, idt, "Interface", self->iface);
	fwupd_codec_string_append_hex(str, idt, "EpIn", self->ep_in);
	fwupd_codec_string_append_hex(str, idt, "EpOut", self->ep_out);
	fwupd_codec_string_append_hex(str, idt, "MaxPacket", self->max_packet);
	fwupd_codec_string_append(str, idt, "VersionExpected", self->version_expected);
	if (self->chip != NULL) {
		fwupd_codec_string_append_hex(str, idt, "ChipSerial", self->chip->serial);
		fwupd_codec_string_append_hex(str, idt, "MsmHwId", self->chip->msm_hw_id);
		fwupd_codec_string_append(str, idt, "OemPkHash", self->chip->oem_pk_hash);
	}
	if (self->record != NULL)
		fwupd_codec_string_append(str, idt, "RecordImei", self->record->imei);
	fwupd_codec_string_append_bool(str, idt, "ProgrammerRunning", self->programmer_running);
	fwupd_codec_string_append_bool(str, idt, "DetachedHere", self->detached_here);
	fwupd_codec_string_append_bool(str, idt, "DumpMode", self->dump_mode);
	fwupd_codec_string_append_bool(str, idt, "DumpExitTried", self->dump_exit_tried);
}

/* one bulk transfer, and a zero-length packet after one that fills whole USB packets */
static gboolean
fu_quectel_edl_device_write(FuQuectelEdlTransport *transport,
			    guint8 *buf,
			    gsize bufsz,
			    gboolean zlp,
			    guint timeout_ms,
			    GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(transport);
	gsize actual = 0;

	if (!fu_usb_device_bulk_transfer(FU_USB_DEVICE(self),
					 self->ep_out,
					 buf,
					 bufsz,
					 &actual,
					 timeout_ms,
					 NULL,
					 error)) {
		g_prefix_error_literal(error, "failed to do bulk transfer (write): ");
		return FALSE;
	}
	if (actual != bufsz) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_WRITE,
			    "only wrote 0x%x of 0x%x bytes",
			    (guint)actual,
			    (guint)bufsz);
		return FALSE;
	}
	if (zlp && bufsz > 0 && bufsz % self->max_packet == 0) {
		if (!fu_usb_device_bulk_transfer(FU_USB_DEVICE(self),
						 self->ep_out,
						 NULL,
						 0,
						 NULL,
						 timeout_ms,
						 NULL,
						 error)) {
			g_prefix_error_literal(error, "failed to send a zero-length packet: ");
			return FALSE;
		}
	}
	return TRUE;
}

/* one bulk transfer: one Sahara packet or one Firehose document */
static GByteArray *
fu_quectel_edl_device_read(FuQuectelEdlTransport *transport, guint timeout_ms, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(transport);
	gsize actual = 0;
	g_autoptr(GByteArray) buf = g_byte_array_new();

	fu_byte_array_set_size(buf, FU_QUECTEL_EDL_TRANSPORT_READ_MAX, 0x0);
	if (!fu_usb_device_bulk_transfer(FU_USB_DEVICE(self),
					 self->ep_in,
					 buf->data,
					 buf->len,
					 &actual,
					 timeout_ms,
					 NULL,
					 error)) {
		g_prefix_error_literal(error, "failed to do bulk transfer (read): ");
		return NULL;
	}
	g_byte_array_set_size(buf, actual);
	return g_steal_pointer(&buf);
}

static gboolean
fu_quectel_edl_device_probe_iface(FuQuectelEdlDevice *self, FuUsbInterface *intf)
{
	g_autoptr(GPtrArray) endpoints = fu_usb_interface_get_endpoints(intf);
	guint8 proto = fu_usb_interface_get_protocol(intf);

	if (fu_usb_interface_get_class(intf) != FU_QUECTEL_EDL_DEVICE_IFACE_CLASS ||
	    fu_usb_interface_get_subclass(intf) != FU_QUECTEL_EDL_DEVICE_IFACE_SUBCLASS)
		return FALSE;
	if (proto != FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_FF &&
	    proto != FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_10 &&
	    proto != FU_QUECTEL_EDL_DEVICE_IFACE_PROTO_11)
		return FALSE;
	if (endpoints == NULL)
		return FALSE;
	for (guint i = 0; i < endpoints->len; i++) {
		FuUsbEndpoint *ep = g_ptr_array_index(endpoints, i);
		if (fu_usb_endpoint_get_direction(ep) == FU_USB_DIRECTION_DEVICE_TO_HOST) {
			self->ep_in = fu_usb_endpoint_get_address(ep);
		} else {
			self->ep_out = fu_usb_endpoint_get_address(ep);
			self->max_packet = fu_usb_endpoint_get_maximum_packet_size(ep);
		}
	}
	if (self->ep_in == 0 || self->ep_out == 0)
		return FALSE;
	if (self->max_packet == 0)
		self->max_packet = FU_QUECTEL_EDL_DEVICE_MAX_PACKET_HS;
	self->iface = fu_usb_interface_get_number(intf);
	return TRUE;
}

/*
 * Quectel's SBL dump mode has the module's normal USB ID: it is told from normal mode by its
 * descriptors alone (bcdDevice 0000, the PBL's product string, one interface), whether or not
 * a tty driver bound that interface.
 */
static gboolean
fu_quectel_edl_device_probe_dump(FuQuectelEdlDevice *self, GPtrArray *intfs, GError **error)
{
	FuDevice *device = FU_DEVICE(self);
	g_autofree gchar *product = NULL;

	product = fu_udev_device_read_sysfs(FU_UDEV_DEVICE(self),
					    "product",
					    FU_QUECTEL_EDL_DEVICE_SYSFS_TIMEOUT_MS,
					    NULL);
	if (product != NULL)
		g_strstrip(product);
	if (g_strcmp0(product, FU_QUECTEL_MODULE_DUMP_PRODUCT) != 0 ||
	    fu_usb_device_get_release(FU_USB_DEVICE(self)) != FU_QUECTEL_MODULE_DUMP_BCD ||
	    intfs->len != FU_QUECTEL_MODULE_DUMP_INTERFACES) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "USB %04x:%04x is a module in normal mode: it is handled from its "
			    "serial ports",
			    fu_device_get_vid(device),
			    fu_device_get_pid(device));
		return FALSE;
	}
	self->dump_mode = TRUE;
	fu_device_set_name(device, "EC25/EG25 in SBL dump mode");
	fu_device_remove_flag(device, FWUPD_DEVICE_FLAG_UPDATABLE);
	fu_device_remove_flag(device, FWUPD_DEVICE_FLAG_IS_BOOTLOADER);
	return TRUE;
}

static gboolean
fu_quectel_edl_device_probe(FuDevice *device, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	g_autoptr(GPtrArray) intfs = NULL;

	/* FuUsbDevice->probe */
	if (!FU_DEVICE_CLASS(fu_quectel_edl_device_parent_class)->probe(device, error))
		return FALSE;

	intfs = fu_usb_device_get_interfaces(FU_USB_DEVICE(self), error);
	if (intfs == NULL)
		return FALSE;
	if (fu_device_get_vid(device) == FU_QUECTEL_MODULE_USB_VID &&
	    !fu_quectel_edl_device_probe_dump(self, intfs, error))
		return FALSE;
	for (guint i = 0; i < intfs->len; i++) {
		if (fu_quectel_edl_device_probe_iface(self, g_ptr_array_index(intfs, i))) {
			/* the same fwupd device as the module in normal mode on this port */
			fu_device_set_logical_id(device, FU_QUECTEL_MODULE_LOGICAL_ID);
			return TRUE;
		}
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "no EDL interface with bulk endpoints");
	return FALSE;
}

static gboolean
fu_quectel_edl_device_open(FuDevice *device, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);

	/* FuUsbDevice->open */
	if (!FU_DEVICE_CLASS(fu_quectel_edl_device_parent_class)->open(device, error))
		return FALSE;

	/* qcserial binds 05c6:9008: whoever opens its tty would eat the HELLO */
	if (!fu_usb_device_claim_interface(FU_USB_DEVICE(self),
					   self->iface,
					   FU_USB_DEVICE_CLAIM_FLAG_KERNEL_DRIVER,
					   error)) {
		g_prefix_error(error, "failed to claim EDL interface 0x%x: ", self->iface);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_edl_device_close(FuDevice *device, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	g_autoptr(GError) error_local = NULL;

	if (!fu_usb_device_release_interface(FU_USB_DEVICE(self),
					     self->iface,
					     FU_USB_DEVICE_CLAIM_FLAG_KERNEL_DRIVER,
					     &error_local))
		g_debug("failed to release EDL interface: %s", error_local->message);

	/* FuUsbDevice->close */
	return FU_DEVICE_CLASS(fu_quectel_edl_device_parent_class)->close(device, error);
}

/* the record of this chip: by its serial, else one from the same USB port not yet linked */
static FuQuectelRecord *
fu_quectel_edl_device_find_record(FuQuectelEdlDevice *self, GError **error)
{
	const gchar *physical_id = fu_device_get_physical_id(FU_DEVICE(self));
	g_autoptr(GPtrArray) records = fu_quectel_record_store_load_all(error);

	if (records == NULL)
		return NULL;
	for (guint i = 0; i < records->len; i++) {
		FuQuectelRecord *record = g_ptr_array_index(records, i);
		if (fu_quectel_record_matches_chip(record,
						   self->chip->serial,
						   self->chip->msm_hw_id))
			return g_ptr_array_steal_index(records, i);
	}
	for (guint i = 0; i < records->len; i++) {
		FuQuectelRecord *record = g_ptr_array_index(records, i);
		if (!record->has_chip && g_strcmp0(record->physical_id, physical_id) == 0)
			return g_ptr_array_steal_index(records, i);
	}
	return NULL;
}

/* the chip's identity goes with the record: the next time the serial alone identifies it */
static gboolean
fu_quectel_edl_device_link_record(FuQuectelEdlDevice *self, GError **error)
{
	if (self->record == NULL || self->chip == NULL)
		return TRUE;
	if (fu_quectel_record_matches_chip(self->record, self->chip->serial, self->chip->msm_hw_id))
		return TRUE;
	self->record->has_chip = TRUE;
	self->record->chip_serial = self->chip->serial;
	self->record->msm_hw_id = self->chip->msm_hw_id;
	g_free(self->record->oem_pk_hash);
	self->record->oem_pk_hash = g_strdup(self->chip->oem_pk_hash);
	return fu_quectel_record_store_save(self->record, error);
}

/* a module this host recorded before an update that did not finish: it is that module again */
static gboolean
fu_quectel_edl_device_apply_record(FuQuectelEdlDevice *self, GError **error)
{
	FuDevice *device = FU_DEVICE(self);
	FuQuectelRecord *record = self->record;
	g_autofree gchar *model_id = NULL;
	g_autofree gchar *msg = NULL;
	g_autoptr(GPtrArray) instance_ids = NULL;

	instance_ids = fu_quectel_record_get_instance_ids(record, error);
	if (instance_ids == NULL)
		return FALSE;
	for (guint i = 0; i < instance_ids->len; i++)
		fu_device_add_instance_id(device, g_ptr_array_index(instance_ids, i));
	model_id =
	    g_strdup_printf("%s\\MODEL_%s", FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX, record->model);
	fu_device_add_instance_id_full(device,
				       model_id,
				       FU_DEVICE_INSTANCE_FLAG_VISIBLE |
					   FU_DEVICE_INSTANCE_FLAG_QUIRKS);
	fu_device_set_name(device, record->model);
	fu_device_set_version(device, record->revision);
	if (record->imei != NULL)
		fu_device_set_serial(device, record->imei);
	msg = g_strdup_printf("Interrupted update%s%s: the module is in emergency download mode "
			      "(05c6:9008) with its boot loader erased, which is safe; run the "
			      "same command again (fwupdtool install FILE.cab, fwupdmgr install "
			      "FILE.cab or fwupdmgr update) to finish the update",
			      record->version_installing != NULL ? " to " : "",
			      record->version_installing != NULL ? record->version_installing : "");
	fu_device_set_update_error(device, msg);
	fu_device_set_update_message(device, msg);
	return TRUE;
}

/*
 * The PBL did not answer Sahara command mode (@error_why, transfer full). A Firehose programmer
 * left running by a host that stopped mid-update answers with XML: what it was told before is
 * unknown (it may even wait for the rest of an image), so it is not trusted with a new update;
 * <power value="reset"/> brings the module back to a known state without a power cycle: the
 * PBL's EDL when the boot loader is erased, else the firmware the flash holds. Both are
 * identified the next time. Anything else needs a power cycle. Always returns FALSE.
 */
static gboolean
fu_quectel_edl_device_setup_unidentified(FuQuectelEdlDevice *self,
					 GError *error_why,
					 GError **error)
{
	g_autoptr(GError) error_local = error_why;
	g_autoptr(GError) error_reset = NULL;

	if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_BUSY)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_READ,
			    "the module in emergency download mode (05c6:9008) does not answer "
			    "Sahara (%s): power-cycle it and run the same command again",
			    error_local->message);
		return FALSE;
	}
	if (!fu_quectel_firehose_power_reset(FU_QUECTEL_EDL_TRANSPORT(self), &error_reset)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_BUSY,
			    "a Firehose programmer from an earlier update is still running on the "
			    "module in emergency download mode and did not take a reset (%s): "
			    "power-cycle it and run the same command again",
			    error_reset->message);
		return FALSE;
	}
	self->restarting = TRUE;
	g_set_error_literal(
	    error,
	    FWUPD_ERROR,
	    FWUPD_ERROR_BUSY,
	    "a Firehose programmer from an earlier update was still running on the "
	    "module in emergency download mode: it was reset and the module restarts "
	    "(in emergency download mode if its boot loader is erased); run the same "
	    "command again if it is not found when it is back");
	return FALSE;
}

/* what a module that stays in dump mode needs: nothing on USB brings it out */
#define FU_QUECTEL_EDL_DEVICE_DUMP_RECOVERY                                                        \
	"power it off, connect USB_BOOT to VDD_EXT through a 10 kOhm resistor (EC25: pins 115 "    \
	"and 7; see the hardware design guide of the module), power it on so that it starts in "   \
	"emergency download mode (05c6:9008), remove the link, then install the firmware with "    \
	"fwupdtool install-blob FILE.cab DEVICE-ID (see the Recovery section of the quectel "      \
	"plugin's README)"

/*
 * Quectel's SBL dump mode: nothing can be updated through it (flashing through the SBL is what
 * bricks modules). Sahara RESET is the safe way out, tried once: the module restarts, in normal
 * mode if the dump was a one-off, and the plugin continues from there. A module back in dump
 * mode after that needs the USB_BOOT pin.
 */
static gboolean
fu_quectel_edl_device_setup_dump(FuQuectelEdlDevice *self, GError **error)
{
	FuDevice *device = FU_DEVICE(self);
	g_autofree gchar *msg = NULL;
	g_autoptr(GError) error_local = NULL;

	if (self->dump_exit_tried) {
		fu_device_inhibit(device,
				  "dump-mode",
				  "The module is in Quectel's SBL dump mode (2c7c:0125 "
				  "\"QHSUSB__BULK\") and came back to it after a Sahara reset, so "
				  "it cannot be updated: " FU_QUECTEL_EDL_DEVICE_DUMP_RECOVERY);
		return TRUE;
	}
	if (!fu_quectel_sahara_dump_exit(FU_QUECTEL_EDL_TRANSPORT(self), &error_local)) {
		msg = g_strdup_printf("The module is in Quectel's SBL dump mode (2c7c:0125 "
				      "\"QHSUSB__BULK\") and did not take a Sahara reset (%s), so "
				      "it cannot be updated: power-cycle it; if it comes back in "
				      "this mode, " FU_QUECTEL_EDL_DEVICE_DUMP_RECOVERY,
				      error_local->message);
		fu_device_inhibit(device, "dump-mode", msg);
		return TRUE;
	}
	self->restarting = TRUE;
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_BUSY,
			    "the module was in Quectel's SBL dump mode: it took a Sahara reset and "
			    "restarts");
	return FALSE;
}

static gboolean
fu_quectel_edl_device_setup(FuDevice *device, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	guint32 msm_id;
	g_autoptr(GError) error_local = NULL;

	if (self->dump_mode)
		return fu_quectel_edl_device_setup_dump(self, error);

	/* who the chip is, through Sahara command mode: nothing is uploaded */
	fu_quectel_sahara_chip_free(self->chip);
	self->chip = fu_quectel_sahara_identify(FU_QUECTEL_EDL_TRANSPORT(self), &error_local);
	if (self->chip == NULL)
		return fu_quectel_edl_device_setup_unidentified(self,
								g_steal_pointer(&error_local),
								error);
	msm_id = fu_quectel_sahara_chip_get_msm_id(self->chip);
	if (!fu_quectel_sahara_msm_id_is_mdm9607(msm_id)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the chip in emergency download mode has MSM ID 0x%08x, not the "
			    "MDM9607 of an EC25/EG25: left to other plugins",
			    msm_id);
		return FALSE;
	}

	/* a module recorded before an interrupted update */
	fu_quectel_record_free(self->record);
	self->record = fu_quectel_edl_device_find_record(self, &error_local);
	if (self->record == NULL && error_local != NULL)
		g_warning("failed to read the module records: %s", error_local->message);
	if (self->record == NULL) {
		fu_device_set_update_error(
		    device,
		    "Unknown module in emergency download mode (05c6:9008): this host has no "
		    "record of its identity, so no cabinet is offered; recover it with "
		    "fwupdtool install-blob FILE.cab DEVICE-ID using the cabinet of its variant "
		    "(see the Recovery section of the quectel plugin's README)");
		return TRUE;
	}
	if (!fu_quectel_edl_device_link_record(self, error))
		return FALSE;
	return fu_quectel_edl_device_apply_record(self, error);
}

static GInputStream *
fu_quectel_edl_device_image_cb(const gchar *basename, gpointer user_data, GError **error)
{
	return fu_quectel_firmware_get_image_stream(FU_QUECTEL_FIRMWARE(user_data),
						    basename,
						    error);
}

/* the release a cabinet's metainfo describes: the version it installs */
static gchar *
fu_quectel_edl_device_get_cab_version(FuFirmware *cab, GError **error)
{
	g_autoptr(FuFirmware) img = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(XbBuilder) builder = xb_builder_new();
	g_autoptr(XbBuilderSource) source = xb_builder_source_new();
	g_autoptr(XbSilo) silo = NULL;
	g_autoptr(XbNode) release = NULL;

	img = fu_firmware_get_image_by_id(cab, "*.metainfo.xml", error);
	if (img == NULL)
		return NULL;
	blob = fu_firmware_get_bytes(img, error);
	if (blob == NULL)
		return NULL;
	if (!xb_builder_source_load_bytes(source, blob, XB_BUILDER_SOURCE_FLAG_NONE, error)) {
		fwupd_error_convert(error);
		return NULL;
	}
	xb_builder_import_source(builder, source);
	silo = xb_builder_compile(builder, XB_BUILDER_COMPILE_FLAG_NONE, NULL, error);
	if (silo == NULL) {
		fwupd_error_convert(error);
		return NULL;
	}
	release = xb_silo_query_first(silo, "component/releases/release", error);
	if (release == NULL) {
		fwupd_error_convert(error);
		return NULL;
	}
	if (xb_node_get_attr(release, "version") == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "the cabinet's release has no version");
		return NULL;
	}
	return g_strdup(xb_node_get_attr(release, "version"));
}

/*
 * A module this host never saw has no variant GUIDs, so no cabinet matches it: it is recovered
 * with `fwupdtool install-blob FILE.cab DEVICE-ID`, the cabinet as the user has it. Its payload
 * is the update, its metainfo gives the version the module must report afterwards.
 */
static FuFirmware *
fu_quectel_edl_device_parse_cabinet(FuFirmware *cab, FuFirmwareParseFlags flags, GError **error)
{
	g_autoptr(FuFirmware) firmware = fu_quectel_firmware_new();
	g_autoptr(FuFirmware) payload = NULL;
	g_autoptr(GInputStream) payload_stream = NULL;
	g_autofree gchar *version = NULL;

	version = fu_quectel_edl_device_get_cab_version(cab, error);
	if (version == NULL) {
		g_prefix_error_literal(error, "invalid cabinet: ");
		return NULL;
	}
	payload = fu_firmware_get_image_by_id(cab, "*.zip", error);
	if (payload == NULL) {
		g_prefix_error_literal(error, "invalid cabinet: ");
		return NULL;
	}
	payload_stream = fu_firmware_get_stream(payload, error);
	if (payload_stream == NULL)
		return NULL;
	if (!fu_firmware_parse_stream(firmware, payload_stream, 0x0, flags, error))
		return NULL;
	if (g_strcmp0(fu_firmware_get_version(firmware), version) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "the cabinet's release %s and its payload's %s differ",
			    version,
			    fu_firmware_get_version(firmware));
		return NULL;
	}
	return g_steal_pointer(&firmware);
}

/*
 * A module this host never saw has no variant GUIDs, so no cabinet matches it: it is recovered
 * with `fwupdtool install-blob FILE.cab DEVICE-ID`, the cabinet as the user has it. A recorded
 * module takes only a release of its recorded model, variant, flash size and baseline.
 */
static FuFirmware *
fu_quectel_edl_device_prepare_firmware(FuDevice *device,
				       GInputStream *stream,
				       FuProgress *progress,
				       FuFirmwareParseFlags flags,
				       GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	const FuQuectelRelease *release;
	g_autoptr(FuFirmware) cab = FU_FIRMWARE(fu_cab_firmware_new());
	g_autoptr(FuFirmware) firmware = NULL;

	if (fu_firmware_parse_stream(cab, stream, 0x0, flags, NULL)) {
		firmware = fu_quectel_edl_device_parse_cabinet(cab, flags, error);
		if (firmware == NULL)
			return NULL;
	} else {
		firmware = fu_quectel_firmware_new();
		if (!fu_firmware_parse_stream(firmware, stream, 0x0, flags, error))
			return NULL;
	}
	release = fu_quectel_firmware_get_release(FU_QUECTEL_FIRMWARE(firmware));
	if (self->record != NULL &&
	    !fu_quectel_release_check_fit_version(release, self->record->revision, error)) {
		g_prefix_error_literal(error,
				       "the module in emergency download mode was not touched: ");
		return NULL;
	}
	return g_steal_pointer(&firmware);
}

static gboolean
fu_quectel_edl_device_write_firmware(FuDevice *device,
				     FuFirmware *firmware,
				     FuProgress *progress,
				     FwupdInstallFlags flags,
				     GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	FuQuectelFirmware *fw;
	g_autofree gchar *plan_str = NULL;
	g_autoptr(GBytes) programmer = NULL;
	GPtrArray *plan;

	/* progress: guessed, the programmer is small next to the images */
	fu_progress_set_id(progress, G_STRLOC);
	fu_progress_add_flag(progress, FU_PROGRESS_FLAG_GUESSED);
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_BUSY, 1, "sahara");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 99, "firehose");

	/* prepare_firmware validated the payload; the plan follows from it */
	if (!FU_IS_QUECTEL_FIRMWARE(firmware)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "expected a Quectel firmware payload, got %s",
			    G_OBJECT_TYPE_NAME(firmware));
		return FALSE;
	}
	fw = FU_QUECTEL_FIRMWARE(firmware);
	programmer = fu_quectel_firmware_get_programmer_bytes(fw, error);
	if (programmer == NULL)
		return FALSE;
	plan = fu_quectel_firmware_get_plan(fw);
	if (plan == NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INTERNAL,
				    "the payload has no update plan: it was not parsed");
		return FALSE;
	}
	plan_str = fu_quectel_plan_to_string(plan);
	g_strdelimit(plan_str, "\n", ';');
	g_debug("plan: %s", plan_str);
	g_free(self->version_expected);
	self->version_expected = g_strdup(fu_firmware_get_version(firmware));
	if (self->record != NULL && self->version_expected != NULL &&
	    g_strcmp0(self->record->version_installing, self->version_expected) != 0) {
		g_free(self->record->version_installing);
		self->record->version_installing = g_strdup(self->version_expected);
		if (!fu_quectel_record_store_save(self->record, error))
			return FALSE;
	}

	if (!fu_quectel_sahara_upload(FU_QUECTEL_EDL_TRANSPORT(self),
				      programmer,
				      fu_progress_get_child(progress),
				      error)) {
		/* the PBL was reset: a module this update detached has its boot loader */
		g_prefix_error_literal(error, "failed to load the programmer: ");
		fu_quectel_failure_add_state(error,
					     self->detached_here
						 ? FU_QUECTEL_FAILURE_STATE_RESET_UNCHANGED
						 : FU_QUECTEL_FAILURE_STATE_EDL_RESET);
		return FALSE;
	}
	self->programmer_running = TRUE;
	fu_progress_step_done(progress);
	if (!fu_quectel_firehose_write(FU_QUECTEL_EDL_TRANSPORT(self),
				       plan,
				       fu_quectel_firmware_get_geometry(fw),
				       fu_quectel_firmware_get_partitions(fw),
				       fu_quectel_edl_device_image_cb,
				       firmware,
				       self->record == NULL
					   ? FU_QUECTEL_FIREHOSE_WRITE_FLAG_CHECK_FLASH_MIBIB
					   : FU_QUECTEL_FIREHOSE_WRITE_FLAG_NONE,
				       fu_progress_get_child(progress),
				       error))
		return FALSE;
	fu_progress_step_done(progress);
	return TRUE;
}

static gboolean
fu_quectel_edl_device_attach(FuDevice *device, FuProgress *progress, GError **error)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);

	/* the PBL speaks Sahara, not Firehose: nothing to reset, it waits in EDL */
	if (!self->programmer_running) {
		g_debug("the programmer is not running: the module stays in emergency download "
			"mode");
		return TRUE;
	}

	/* the programmer reboots the module: it comes back in normal mode */
	if (!fu_quectel_firehose_power_reset(FU_QUECTEL_EDL_TRANSPORT(device), error))
		return FALSE;
	self->programmer_running = FALSE;
	if (!fu_quectel_replug_wait(
		device,
		"2c7c:0125 (normal mode) or 05c6:9008 (emergency download mode)",
		error)) {
		fu_quectel_failure_add_state(error, FU_QUECTEL_FAILURE_STATE_WRITTEN_GONE);
		return FALSE;
	}
	return TRUE;
}

/* the detach from normal mode just recorded the module: add the chip's identity to it */
static void
fu_quectel_edl_device_replace_record(FuQuectelEdlDevice *self, FuDevice *donor)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GPtrArray) records = fu_quectel_record_store_load_all(&error_local);

	if (records == NULL) {
		g_warning("failed to read the module records: %s", error_local->message);
		return;
	}
	for (guint i = 0; i < records->len; i++) {
		FuQuectelRecord *record = g_ptr_array_index(records, i);
		if (fu_device_get_serial(donor) != NULL
			? g_strcmp0(record->imei, fu_device_get_serial(donor)) != 0
			: g_strcmp0(record->physical_id, fu_device_get_physical_id(donor)) != 0)
			continue;
		fu_quectel_record_free(self->record);
		self->record = g_ptr_array_steal_index(records, i);
		if (!fu_quectel_edl_device_link_record(self, &error_local))
			g_warning("failed to record the chip: %s", error_local->message);
		if (fu_device_get_serial(donor) != NULL)
			fu_device_set_serial(FU_DEVICE(self), fu_device_get_serial(donor));
		return;
	}
}

static void
fu_quectel_edl_device_replace(FuDevice *device, FuDevice *donor)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(device);
	GPtrArray *instance_ids = fu_device_get_instance_ids(donor);

	/* the module in normal mode knew its variant: keep it for the update */
	for (guint i = 0; i < instance_ids->len; i++) {
		const gchar *instance_id = g_ptr_array_index(instance_ids, i);
		if (g_str_has_prefix(instance_id, FU_QUECTEL_MODULE_INSTANCE_ID_PREFIX "\\"))
			fu_device_add_instance_id(device, instance_id);
	}
	if (fu_device_get_name(donor) != NULL)
		fu_device_set_name(device, fu_device_get_name(donor));
	if (FU_IS_QUECTEL_EDL_DEVICE(donor)) {
		FuQuectelEdlDevice *donor_edl = FU_QUECTEL_EDL_DEVICE(donor);
		g_free(self->version_expected);
		self->version_expected = g_strdup(donor_edl->version_expected);
	} else {
		/* the module was just detached for this update: nothing is interrupted, and
		 * the message of a module found in EDL would be shown as the update's outcome */
		self->detached_here = TRUE;
		fu_quectel_edl_device_replace_record(self, donor);
		fu_device_set_update_message(device, NULL);
		fu_device_set_update_error(device, NULL);
	}
}

/**
 * fu_quectel_edl_device_get_restarting:
 * @self: a #FuQuectelEdlDevice
 *
 * Returns: %TRUE if setup reset the module (a programmer left running, the SBL dump mode): it
 * comes back on USB as another device in a moment
 **/
gboolean
fu_quectel_edl_device_get_restarting(FuQuectelEdlDevice *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_EDL_DEVICE(self), FALSE);
	return self->restarting;
}

/**
 * fu_quectel_edl_device_set_dump_exit_tried:
 * @self: a #FuQuectelEdlDevice
 *
 * The plugin already reset this module in dump mode a moment ago: it is not reset again.
 **/
void
fu_quectel_edl_device_set_dump_exit_tried(FuQuectelEdlDevice *self)
{
	g_return_if_fail(FU_IS_QUECTEL_EDL_DEVICE(self));
	self->dump_exit_tried = TRUE;
}

/**
 * fu_quectel_edl_device_get_dump_mode:
 * @self: a #FuQuectelEdlDevice
 *
 * Returns: %TRUE for Quectel's SBL dump mode, %FALSE for the PBL's emergency download mode
 **/
gboolean
fu_quectel_edl_device_get_dump_mode(FuQuectelEdlDevice *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_EDL_DEVICE(self), FALSE);
	return self->dump_mode;
}

const gchar *
fu_quectel_edl_device_get_version_expected(FuQuectelEdlDevice *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_EDL_DEVICE(self), NULL);
	return self->version_expected;
}

static void
fu_quectel_edl_device_set_progress(FuDevice *device, FuProgress *progress)
{
	/* guessed: these echo the simulator's own timing inputs, they were not measured on a
	 * module; replace them once the realistic timing model has measured the phases */
	fu_progress_set_id(progress, G_STRLOC);
	fu_progress_add_flag(progress, FU_PROGRESS_FLAG_GUESSED);
	fu_progress_add_step(progress, FWUPD_STATUS_DECOMPRESSING, 0, "prepare-fw");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_RESTART, 0, "detach");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_WRITE, 74, "write");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_RESTART, 26, "attach");
	fu_progress_add_step(progress, FWUPD_STATUS_DEVICE_BUSY, 0, "reload");
}

static void
fu_quectel_edl_device_init(FuQuectelEdlDevice *self)
{
	FuDevice *device = FU_DEVICE(self);
	fu_device_set_name(device, "EC25/EG25 in emergency download mode");
	fu_device_set_vendor(device, "Quectel");
	fu_device_set_summary(device, "LTE Cat 4 module");
	fu_device_build_vendor_id_u16(device, "USB", FU_QUECTEL_EDL_DEVICE_MODULE_VID);
	fu_device_add_protocol(device, "com.qualcomm.firehose");
	fu_device_set_version_format(device, FWUPD_VERSION_FORMAT_PLAIN);
	fu_device_add_icon(device, "modem");
	fu_device_set_firmware_gtype(device, FU_TYPE_QUECTEL_FIRMWARE);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_IS_BOOTLOADER);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_UPDATABLE);
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_UNSIGNED_PAYLOAD);
	fu_device_set_priority(device, FU_QUECTEL_MODULE_PRIORITY);
	fu_device_set_remove_delay(device, FU_QUECTEL_EDL_DEVICE_REBOOT_MS);
}

static void
fu_quectel_edl_device_finalize(GObject *object)
{
	FuQuectelEdlDevice *self = FU_QUECTEL_EDL_DEVICE(object);
	g_free(self->version_expected);
	fu_quectel_sahara_chip_free(self->chip);
	fu_quectel_record_free(self->record);
	G_OBJECT_CLASS(fu_quectel_edl_device_parent_class)->finalize(object);
}

static void
fu_quectel_edl_device_transport_iface_init(FuQuectelEdlTransportInterface *iface)
{
	iface->read = fu_quectel_edl_device_read;
	iface->write = fu_quectel_edl_device_write;
}

static void
fu_quectel_edl_device_class_init(FuQuectelEdlDeviceClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	FuDeviceClass *device_class = FU_DEVICE_CLASS(klass);
	object_class->finalize = fu_quectel_edl_device_finalize;
	device_class->to_string = fu_quectel_edl_device_to_string;
	device_class->probe = fu_quectel_edl_device_probe;
	device_class->open = fu_quectel_edl_device_open;
	device_class->close = fu_quectel_edl_device_close;
	device_class->setup = fu_quectel_edl_device_setup;
	device_class->prepare_firmware = fu_quectel_edl_device_prepare_firmware;
	device_class->write_firmware = fu_quectel_edl_device_write_firmware;
	device_class->attach = fu_quectel_edl_device_attach;
	device_class->replace = fu_quectel_edl_device_replace;
	device_class->set_progress = fu_quectel_edl_device_set_progress;
}
