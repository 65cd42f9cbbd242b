/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>
#include <termios.h>

#include "fu-quectel-common.h"
#include "fu-quectel-device.h"
#include "fu-quectel-edl-device.h"
#include "fu-quectel-firmware.h"
#include "fu-quectel-struct.h"

/* time allowed for one AT command, counted in polls of the port */
#define FU_QUECTEL_DEVICE_AT_TIMEOUT_MS	    1500
#define FU_QUECTEL_DEVICE_AT_POLL_MS	    100
#define FU_QUECTEL_DEVICE_AT_WRITE_TIMEOUT  1000
#define FU_QUECTEL_DEVICE_AT_RETRIES	    2
#define FU_QUECTEL_DEVICE_AT_RETRY_DELAY_MS 250
#define FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS  500
#define FU_QUECTEL_DEVICE_READ_CHUNK	    256

/* the SBL dump mode of Quectel modules as it shows on USB */
#define FU_QUECTEL_DEVICE_DUMP_BCD     0x0000
#define FU_QUECTEL_DEVICE_DUMP_PRODUCT "QHSUSB__BULK"

/* the priority over the stock plugins' devices for the same module */
#define FU_QUECTEL_DEVICE_PRIORITY 2
/* normal mode and EDL are one fwupd device: same physical and logical ID */
#define FU_QUECTEL_DEVICE_LOGICAL_ID "quectel"

/* the DIAG EDL command on the DM port: echoed, then the module re-enumerates as 05c6:9008 */
#define FU_QUECTEL_DEVICE_EDL_RETRIES	      3
#define FU_QUECTEL_DEVICE_EDL_RETRY_DELAY_MS  1000
#define FU_QUECTEL_DEVICE_EDL_ECHO_TIMEOUT_MS 2000
#define FU_QUECTEL_DEVICE_DM_DRAIN_READS      32
/* the module drops off USB and shows up as 05c6:9008 a few seconds later */
#define FU_QUECTEL_DEVICE_EDL_REPLUG_MS 30000

struct _FuQuectelDevice {
	FuUdevDevice parent_instance;
	GArray *port_roles;	 /* of FuQuectelPortRole, from the QuectelSerialPorts quirk */
	gchar *models;		 /* from the QuectelModels quirk, e.g. EC25,EG25 */
	gchar *dm_port;		 /* e.g. /dev/ttyUSB0 */
	gchar *dm_sysfs_path;	 /* its tty class device */
	gchar *usb_sysfs_path;	 /* the module as ModemManager names it */
	gchar *model;		 /* e.g. EC25 */
	gchar *full_version;	 /* e.g. EC25EFAR06A08M4G_01.001.01.001 */
	gchar *version_expected; /* after an update: what the module must now report */
	gboolean dump_mode;	 /* in the SBL dump mode of Quectel: nothing to update */
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
	fwupd_codec_string_append_bool(str, idt, "DumpMode", self->dump_mode);
}

/* the serial functions of the USB device, as (interface number, tty name), sorted */
typedef struct {
	guint64 ifnum;
	gchar *tty;
	gchar *sysfs_path; /* of the tty class device */
} FuQuectelDeviceSerialPort;

static void
fu_quectel_device_serial_port_clear(FuQuectelDeviceSerialPort *port)
{
	g_free(port->tty);
	g_free(port->sysfs_path);
}

static gint
fu_quectel_device_serial_port_sort_cb(gconstpointer a, gconstpointer b)
{
	const FuQuectelDeviceSerialPort *port_a = a;
	const FuQuectelDeviceSerialPort *port_b = b;
	if (port_a->ifnum < port_b->ifnum)
		return -1;
	if (port_a->ifnum > port_b->ifnum)
		return 1;
	return 0;
}

static gboolean
fu_quectel_device_read_ifnum(FuUdevDevice *iface, guint64 *ifnum, GError **error)
{
	g_autofree gchar *str = NULL;
	str = fu_udev_device_read_sysfs(iface,
					"bInterfaceNumber",
					FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					error);
	if (str == NULL)
		return FALSE;
	return fu_strtoull(str, ifnum, 0, G_MAXUINT8, FU_INTEGER_BASE_16, error);
}

static GArray *
fu_quectel_device_list_serial_ports(FuQuectelDevice *self, FuUdevDevice *usb_device, GError **error)
{
	FuContext *ctx = fu_device_get_context(FU_DEVICE(self));
	const gchar *usb_path = fu_udev_device_get_sysfs_path(usb_device);
	g_autofree gchar *usb_name = g_path_get_basename(usb_path);
	g_autofree gchar *iface_prefix = g_strdup_printf("%s:", usb_name);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GArray) ports = g_array_new(FALSE, TRUE, sizeof(FuQuectelDeviceSerialPort));

	g_array_set_clear_func(ports, (GDestroyNotify)fu_quectel_device_serial_port_clear);
	entries = fu_udev_device_list_sysfs(usb_device, error);
	if (entries == NULL)
		return NULL;
	for (guint i = 0; i < entries->len; i++) {
		const gchar *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *iface_path = NULL;
		g_autoptr(FuUdevDevice) iface = NULL;
		g_autoptr(GPtrArray) children = NULL;
		FuQuectelDeviceSerialPort port = {0};

		if (!g_str_has_prefix(entry, iface_prefix))
			continue;
		iface_path = g_build_filename(usb_path, entry, NULL);
		iface = g_object_new(FU_TYPE_UDEV_DEVICE,
				     "context",
				     ctx,
				     "backend-id",
				     iface_path,
				     NULL);
		children = fu_udev_device_list_sysfs(iface, error);
		if (children == NULL)
			return NULL;
		for (guint j = 0; j < children->len; j++) {
			const gchar *child = g_ptr_array_index(children, j);
			if (g_str_has_prefix(child, "ttyUSB")) {
				port.tty = g_strdup(child);
				port.sysfs_path =
				    g_build_filename(iface_path, child, "tty", child, NULL);
				break;
			}
		}
		if (port.tty == NULL)
			continue;
		if (!fu_quectel_device_read_ifnum(iface, &port.ifnum, error)) {
			fu_quectel_device_serial_port_clear(&port);
			return NULL;
		}
		g_array_append_val(ports, port);
	}
	g_array_sort(ports, fu_quectel_device_serial_port_sort_cb);
	return g_steal_pointer(&ports);
}

static gboolean
fu_quectel_device_probe_ports(FuQuectelDevice *self, FuUdevDevice *usb_device, GError **error)
{
	const gchar *usb_name = fu_device_get_physical_id(FU_DEVICE(self));
	FuQuectelPortRole role = FU_QUECTEL_PORT_ROLE_UNKNOWN;
	guint64 ifnum = 0;
	g_autoptr(FuDevice) iface = NULL;
	g_autoptr(GArray) ports = NULL;

	iface = fu_device_get_backend_parent_with_subsystem(FU_DEVICE(self),
							    "usb:usb_interface",
							    error);
	if (iface == NULL)
		return FALSE;
	if (!fu_quectel_device_read_ifnum(FU_UDEV_DEVICE(iface), &ifnum, error))
		return FALSE;
	ports = fu_quectel_device_list_serial_ports(self, usb_device, error);
	if (ports == NULL)
		return FALSE;

	/* the roles are given for the serial functions in interface order */
	for (guint i = 0; i < ports->len && i < self->port_roles->len; i++) {
		FuQuectelDeviceSerialPort *port =
		    &g_array_index(ports, FuQuectelDeviceSerialPort, i);
		FuQuectelPortRole role_tmp = g_array_index(self->port_roles, FuQuectelPortRole, i);
		if (port->ifnum == ifnum)
			role = role_tmp;
		if (role_tmp == FU_QUECTEL_PORT_ROLE_DM) {
			g_free(self->dm_port);
			g_free(self->dm_sysfs_path);
			self->dm_port = g_strdup_printf("/dev/%s", port->tty);
			self->dm_sysfs_path = g_strdup(port->sysfs_path);
		}
	}
	if (ports->len != self->port_roles->len) {
		g_debug("%s has %u serial functions, the quirk describes %u",
			usb_name,
			ports->len,
			self->port_roles->len);
	}
	if (role != FU_QUECTEL_PORT_ROLE_AT) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "interface 0x%x of %s is the %s port; the module is handled from its "
			    "AT port",
			    (guint)ifnum,
			    usb_name,
			    fu_quectel_port_role_to_string(role));
		return FALSE;
	}
	return TRUE;
}

/*
 * After an interrupted vendor flash the module may boot into Quectel's SBL dump mode: the
 * normal USB ID, but one interface, bcdDevice 0000 and "QHSUSB__BULK". It speaks neither AT
 * nor DIAG, and flashing through it is what bricks modules: report it, never update it.
 */
static gboolean
fu_quectel_device_probe_dump_mode(FuQuectelDevice *self,
				  FuUdevDevice *usb_device,
				  guint64 bcd,
				  GError **error)
{
	guint64 ninterfaces = 0;
	g_autofree gchar *ninterfaces_str = NULL;
	g_autofree gchar *product = NULL;

	if (bcd != FU_QUECTEL_DEVICE_DUMP_BCD)
		return TRUE;
	ninterfaces_str = fu_udev_device_read_sysfs(usb_device,
						    "bNumInterfaces",
						    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
						    error);
	if (ninterfaces_str == NULL)
		return FALSE;
	if (!fu_strtoull(g_strstrip(ninterfaces_str),
			 &ninterfaces,
			 0,
			 G_MAXUINT8,
			 FU_INTEGER_BASE_10,
			 error)) {
		g_prefix_error_literal(error, "invalid bNumInterfaces: ");
		return FALSE;
	}
	product = fu_udev_device_read_sysfs(usb_device,
					    "product",
					    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					    NULL);
	if (ninterfaces != 1 || g_strcmp0(product, FU_QUECTEL_DEVICE_DUMP_PRODUCT) != 0)
		return TRUE;
	self->dump_mode = TRUE;
	fu_device_set_name(FU_DEVICE(self), "EC25/EG25 in SBL dump mode");
	fu_device_remove_flag(FU_DEVICE(self), FWUPD_DEVICE_FLAG_UPDATABLE);
	fu_device_set_update_error(FU_DEVICE(self),
				   "The module is in Quectel's SBL dump mode after an interrupted "
				   "update: power it off and on; if it comes back in this mode, "
				   "connect USB_BOOT to VDD_EXT so that it starts in emergency "
				   "download mode, and install the firmware again");
	return TRUE;
}

static gboolean
fu_quectel_device_probe(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	const gchar *device_file;
	guint64 vid = 0;
	guint64 pid = 0;
	guint64 rev = 0;
	g_autofree gchar *usb_name = NULL;
	g_autofree gchar *vid_str = NULL;
	g_autofree gchar *pid_str = NULL;
	g_autofree gchar *rev_str = NULL;
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
	if (usb_device == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "not a USB serial port: %s",
			    error_local->message);
		return FALSE;
	}
	vid_str = fu_udev_device_read_sysfs(FU_UDEV_DEVICE(usb_device),
					    "idVendor",
					    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					    error);
	if (vid_str == NULL)
		return FALSE;
	pid_str = fu_udev_device_read_sysfs(FU_UDEV_DEVICE(usb_device),
					    "idProduct",
					    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					    error);
	if (pid_str == NULL)
		return FALSE;
	rev_str = fu_udev_device_read_sysfs(FU_UDEV_DEVICE(usb_device),
					    "bcdDevice",
					    FU_QUECTEL_DEVICE_SYSFS_TIMEOUT_MS,
					    error);
	if (rev_str == NULL)
		return FALSE;
	if (!fu_strtoull(vid_str, &vid, 0, G_MAXUINT16, FU_INTEGER_BASE_16, error) ||
	    !fu_strtoull(pid_str, &pid, 0, G_MAXUINT16, FU_INTEGER_BASE_16, error) ||
	    !fu_strtoull(rev_str, &rev, 0, G_MAXUINT16, FU_INTEGER_BASE_16, error)) {
		g_prefix_error_literal(error, "invalid USB identity: ");
		return FALSE;
	}
	fu_device_add_instance_u16(device, "VID", vid);
	fu_device_add_instance_u16(device, "PID", pid);
	fu_device_add_instance_u16(device, "REV", rev);
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
			    (guint)vid,
			    (guint)pid);
		return FALSE;
	}

	/* the physical ID is the USB device, so all of its ports and its EDL self are one */
	g_free(self->usb_sysfs_path);
	self->usb_sysfs_path = g_strdup(fu_udev_device_get_sysfs_path(FU_UDEV_DEVICE(usb_device)));
	usb_name = g_path_get_basename(self->usb_sysfs_path);
	fu_device_set_physical_id(device, usb_name);
	fu_device_set_logical_id(device, FU_QUECTEL_DEVICE_LOGICAL_ID);
	if (!fu_quectel_device_probe_dump_mode(self, FU_UDEV_DEVICE(usb_device), rev, error))
		return FALSE;
	if (!self->dump_mode &&
	    !fu_quectel_device_probe_ports(self, FU_UDEV_DEVICE(usb_device), error))
		return FALSE;

	/* GUIDs */
	if (!fu_device_build_instance_id(device, error, "USB", "VID", "PID", NULL))
		return FALSE;
	if (!fu_device_build_instance_id(device, error, "USB", "VID", "PID", "REV", NULL))
		return FALSE;
	fu_device_build_vendor_id_u16(device, "USB", vid);
	return TRUE;
}

/* the module talks raw bytes: no echo, no line editing, no CR/LF translation */
static gboolean
fu_quectel_device_make_raw(FuUdevDevice *udev_device, GError **error)
{
	gint fd = fu_io_channel_unix_get_fd(fu_udev_device_get_io_channel(udev_device));
	struct termios tio = {0};

	if (tcgetattr(fd, &tio) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "could not get termios attributes of %s: %s",
			    fu_udev_device_get_device_file(udev_device),
			    fwupd_strerror(errno));
		return FALSE;
	}
	cfmakeraw(&tio);
	if (tcsetattr(fd, TCSANOW, &tio) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "could not set termios attributes of %s: %s",
			    fu_udev_device_get_device_file(udev_device),
			    fwupd_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_device_open(FuDevice *device, GError **error)
{
	/* FuUdevDevice->open */
	if (!FU_DEVICE_CLASS(fu_quectel_device_parent_class)->open(device, error))
		return FALSE;
	return fu_quectel_device_make_raw(FU_UDEV_DEVICE(device), error);
}

/* send one command and collect its response until the final result code */
static GPtrArray *
fu_quectel_device_at_transaction(FuQuectelDevice *self,
				 const gchar *cmd,
				 FuQuectelAtStatus *status,
				 GError **error)
{
	g_autofree gchar *tx = g_strdup_printf("%s\r", cmd);
	g_autofree gchar *rx_str = NULL;
	g_autoptr(GByteArray) rx = g_byte_array_new();

	if (!fu_udev_device_write(FU_UDEV_DEVICE(self),
				  (const guint8 *)tx,
				  strlen(tx),
				  FU_QUECTEL_DEVICE_AT_WRITE_TIMEOUT,
				  FU_IO_CHANNEL_FLAG_FLUSH_INPUT,
				  error)) {
		g_prefix_error(error, "failed to send %s: ", cmd);
		return NULL;
	}
	for (guint i = 0; i < FU_QUECTEL_DEVICE_AT_TIMEOUT_MS / FU_QUECTEL_DEVICE_AT_POLL_MS; i++) {
		guint8 buf[FU_QUECTEL_DEVICE_READ_CHUNK] = {0};
		gsize bufsz = 0;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GPtrArray) lines = NULL;

		if (!fu_udev_device_read(FU_UDEV_DEVICE(self),
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DEVICE_AT_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 &error_local)) {
			if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
				g_propagate_prefixed_error(error,
							   g_steal_pointer(&error_local),
							   "failed to read response to %s: ",
							   cmd);
				return NULL;
			}
			continue;
		}
		g_byte_array_append(rx, buf, bufsz);
		if (!fu_quectel_at_response_parse((const gchar *)rx->data,
						  rx->len,
						  cmd,
						  status,
						  &lines,
						  error))
			return NULL;
		if (*status != FU_QUECTEL_AT_STATUS_INCOMPLETE)
			return g_steal_pointer(&lines);
	}
	if (rx->len == 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_TIMED_OUT,
			    "no answer to %s within %u ms",
			    cmd,
			    (guint)FU_QUECTEL_DEVICE_AT_TIMEOUT_MS);
		return NULL;
	}
	rx_str = fu_strsafe((const gchar *)rx->data, rx->len);
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_TIMED_OUT,
		    "no final result code for %s within %u ms, got '%s'",
		    cmd,
		    (guint)FU_QUECTEL_DEVICE_AT_TIMEOUT_MS,
		    rx_str);
	return NULL;
}

/* a command that must succeed */
static GPtrArray *
fu_quectel_device_at_cmd(FuQuectelDevice *self, const gchar *cmd, GError **error)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autoptr(GPtrArray) lines = fu_quectel_device_at_transaction(self, cmd, &status, error);
	if (lines == NULL)
		return NULL;
	if (status != FU_QUECTEL_AT_STATUS_OK) {
		const gchar *reason = lines->len > 0 ? g_ptr_array_index(lines, lines->len - 1)
						     : "";
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "%s failed: %s",
			    cmd,
			    reason);
		return NULL;
	}
	return g_steal_pointer(&lines);
}

static gboolean
fu_quectel_device_echo_off_cb(FuDevice *device, gpointer user_data, GError **error)
{
	g_autoptr(GPtrArray) lines =
	    fu_quectel_device_at_cmd(FU_QUECTEL_DEVICE(device), "ATE0", error);
	return lines != NULL;
}

static gboolean
fu_quectel_device_ensure_full_version(FuQuectelDevice *self, const gchar *revision, GError **error)
{
	FuQuectelAtStatus status = FU_QUECTEL_AT_STATUS_INCOMPLETE;
	g_autofree gchar *full_version = NULL;
	g_autoptr(GPtrArray) lines = NULL;

	lines = fu_quectel_device_at_transaction(self, "AT+QGMR", &status, error);
	if (lines == NULL)
		return FALSE;
	if (status == FU_QUECTEL_AT_STATUS_ERROR) {
		g_debug("AT+QGMR is not supported by this firmware, using the ATI revision %s",
			revision);
		g_free(self->full_version);
		self->full_version = g_strdup(revision);
		return TRUE;
	}
	full_version = fu_quectel_at_parse_qgmr(lines, revision, error);
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
	g_autoptr(GPtrArray) lines = fu_quectel_device_at_cmd(self, "AT+CGSN", error);
	if (lines == NULL)
		return FALSE;
	imei = fu_quectel_at_parse_imei(lines, error);
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

static gboolean
fu_quectel_device_setup_identity(FuQuectelDevice *self, GError **error)
{
	FuDevice *device = FU_DEVICE(self);
	g_autofree gchar *manufacturer = NULL;
	g_autofree gchar *model = NULL;
	g_autofree gchar *revision = NULL;
	g_autoptr(FuQuectelRevision) rev = NULL;
	g_autoptr(GPtrArray) instance_ids = NULL;
	g_autoptr(GPtrArray) lines = NULL;
	g_autoptr(GError) error_local = NULL;

	/* the module echoes commands by default; the parser copes, but quieter is safer */
	if (!fu_device_retry_full(device,
				  fu_quectel_device_echo_off_cb,
				  FU_QUECTEL_DEVICE_AT_RETRIES,
				  FU_QUECTEL_DEVICE_AT_RETRY_DELAY_MS,
				  NULL,
				  error))
		return FALSE;

	lines = fu_quectel_device_at_cmd(self, "ATI", error);
	if (lines == NULL)
		return FALSE;
	if (!fu_quectel_at_parse_ati(lines, &manufacturer, &model, &revision, error))
		return FALSE;
	if (!fu_quectel_device_model_supported(self, model)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "module model %s is not supported, only %s",
			    model,
			    self->models);
		return FALSE;
	}
	rev = fu_quectel_revision_parse(revision, error);
	if (rev == NULL)
		return FALSE;
	if (g_strcmp0(rev->model, model) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "revision %s is for %s but the module says it is an %s",
			    revision,
			    rev->model,
			    model);
		return FALSE;
	}
	g_free(self->model);
	self->model = g_strdup(model);

	/* per-model name and summary come from the quirk file */
	fu_device_add_instance_strup(device, "MODEL", model);
	if (!fu_device_build_instance_id_full(device,
					      FU_DEVICE_INSTANCE_FLAG_QUIRKS,
					      error,
					      FU_QUECTEL_INSTANCE_ID_PREFIX,
					      "MODEL",
					      NULL))
		return FALSE;
	fu_device_set_name(device, model);

	/* the variant GUIDs are what a cabinet must match */
	instance_ids = fu_quectel_revision_get_instance_ids(rev);
	for (guint i = 0; i < instance_ids->len; i++)
		fu_device_add_instance_id(device, g_ptr_array_index(instance_ids, i));
	fu_device_set_version(device, rev->revision);

	/* optional details */
	if (!fu_quectel_device_ensure_full_version(self, rev->revision, error))
		return FALSE;
	if (!fu_quectel_device_ensure_serial(self, &error_local))
		g_debug("no IMEI: %s", error_local->message);
	return TRUE;
}

static gboolean
fu_quectel_device_setup(FuDevice *device, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	g_autoptr(GError) error_local = NULL;

	/* nothing to ask a module in dump mode */
	if (self->dump_mode)
		return TRUE;

	/* a port that is silent or answers garbage is not a module we can update: say why, once */
	if (!fu_quectel_device_setup_identity(self, &error_local)) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "AT port %s of module %s is unusable: %s",
			    fu_udev_device_get_device_file(FU_UDEV_DEVICE(device)),
			    fu_device_get_physical_id(device),
			    error_local->message);
		return FALSE;
	}
	return TRUE;
}

/* throw away whatever the DM port said before the command */
static void
fu_quectel_device_dm_drain(FuUdevDevice *dm)
{
	for (guint i = 0; i < FU_QUECTEL_DEVICE_DM_DRAIN_READS; i++) {
		guint8 buf[FU_QUECTEL_DEVICE_READ_CHUNK] = {0};
		gsize bufsz = 0;
		if (!fu_udev_device_read(dm,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DEVICE_AT_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 NULL) ||
		    bufsz == 0)
			return;
	}
}

static gboolean
fu_quectel_device_edl_cb(FuDevice *device, gpointer user_data, GError **error)
{
	FuUdevDevice *dm = FU_UDEV_DEVICE(user_data);
	g_autoptr(FuStructQuectelDiagEdl) st = fu_struct_quectel_diag_edl_new();
	g_autoptr(GByteArray) frame = fu_quectel_diag_frame_encode(st->buf->data, st->buf->len);
	g_autoptr(GByteArray) rx = g_byte_array_new();

	fu_quectel_device_dm_drain(dm);
	if (!fu_udev_device_write(dm,
				  frame->data,
				  frame->len,
				  FU_QUECTEL_DEVICE_AT_WRITE_TIMEOUT,
				  FU_IO_CHANNEL_FLAG_NONE,
				  error)) {
		g_prefix_error_literal(error, "failed to send the EDL command: ");
		return FALSE;
	}

	/* the module echoes the frame when it accepts it */
	for (guint i = 0; i < FU_QUECTEL_DEVICE_EDL_ECHO_TIMEOUT_MS / FU_QUECTEL_DEVICE_AT_POLL_MS;
	     i++) {
		guint8 buf[FU_QUECTEL_DEVICE_READ_CHUNK] = {0};
		gsize bufsz = 0;
		g_autoptr(GError) error_local = NULL;
		if (!fu_udev_device_read(dm,
					 buf,
					 sizeof(buf),
					 &bufsz,
					 FU_QUECTEL_DEVICE_AT_POLL_MS,
					 FU_IO_CHANNEL_FLAG_SINGLE_SHOT,
					 &error_local)) {
			if (!g_error_matches(error_local, FWUPD_ERROR, FWUPD_ERROR_TIMED_OUT)) {
				g_propagate_prefixed_error(error,
							   g_steal_pointer(&error_local),
							   "failed to read the EDL echo: ");
				return FALSE;
			}
			continue;
		}
		g_byte_array_append(rx, buf, bufsz);
		if (rx->len > FU_QUECTEL_AT_RESPONSE_MAX)
			break;
		if (fu_memmem_safe(rx->data, rx->len, frame->data, frame->len, NULL, NULL))
			return TRUE;
	}
	g_set_error(error,
		    FWUPD_ERROR,
		    FWUPD_ERROR_TIMED_OUT,
		    "the DM port did not echo the EDL command within %u ms (0x%x bytes received)",
		    (guint)FU_QUECTEL_DEVICE_EDL_ECHO_TIMEOUT_MS,
		    rx->len);
	return FALSE;
}

/* DIAG on the DM port takes the module to the PBL's emergency download mode (05c6:9008) */
static gboolean
fu_quectel_device_detach(FuDevice *device, FuProgress *progress, GError **error)
{
	FuQuectelDevice *self = FU_QUECTEL_DEVICE(device);
	g_autoptr(FuUdevDevice) dm = NULL;
	g_autoptr(FuDeviceLocker) locker = NULL;

	if (self->dm_port == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "module %s has no DM port: cannot switch it to emergency download mode",
			    fu_device_get_physical_id(device));
		return FALSE;
	}
	dm = g_object_new(FU_TYPE_UDEV_DEVICE,
			  "context",
			  fu_device_get_context(device),
			  "backend-id",
			  self->dm_sysfs_path,
			  NULL);
	fu_device_set_physical_id(FU_DEVICE(dm), fu_device_get_physical_id(device));
	fu_device_set_logical_id(FU_DEVICE(dm), "dm");
	fu_udev_device_set_device_file(dm, self->dm_port);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_READ);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_WRITE);
	fu_udev_device_add_open_flag(dm, FU_IO_CHANNEL_OPEN_FLAG_NONBLOCK);
	locker = fu_device_locker_new(FU_DEVICE(dm), error);
	if (locker == NULL) {
		g_prefix_error(error, "failed to open DM port %s: ", self->dm_port);
		return FALSE;
	}
	if (!fu_quectel_device_make_raw(dm, error))
		return FALSE;
	if (!fu_device_retry_full(device,
				  fu_quectel_device_edl_cb,
				  FU_QUECTEL_DEVICE_EDL_RETRIES,
				  FU_QUECTEL_DEVICE_EDL_RETRY_DELAY_MS,
				  dm,
				  error)) {
		g_prefix_error(error, "failed to switch to EDL through %s: ", self->dm_port);
		return FALSE;
	}
	fu_device_add_flag(device, FWUPD_DEVICE_FLAG_WAIT_FOR_REPLUG);
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
		return FALSE;
	}
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

/**
 * fu_quectel_device_get_usb_sysfs_path:
 * @self: a #FuQuectelDevice
 *
 * Returns: the sysfs path of the module's USB device
 **/
const gchar *
fu_quectel_device_get_usb_sysfs_path(FuQuectelDevice *self)
{
	g_return_val_if_fail(FU_IS_QUECTEL_DEVICE(self), NULL);
	return self->usb_sysfs_path;
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
	/* measured on the simulator with the timing model: a full package at 4 MB/s, 25 s boot */
	fu_progress_set_id(progress, G_STRLOC);
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
	fu_device_set_priority(device, FU_QUECTEL_DEVICE_PRIORITY);
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
	device_class->reload = fu_quectel_device_reload;
	device_class->replace = fu_quectel_device_replace;
}
