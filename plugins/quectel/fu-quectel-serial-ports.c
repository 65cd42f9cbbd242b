/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <termios.h>

#include "fu-quectel-serial-ports.h"

#define FU_QUECTEL_SERIAL_PORTS_SYSFS_TIMEOUT_MS 500
#define FU_QUECTEL_SERIAL_PORTS_TTY_PREFIX	 "ttyUSB"

/* one serial function of the USB device */
typedef struct {
	guint64 ifnum;
	gchar *tty;
	gchar *sysfs_path; /* of the tty class device */
} FuQuectelSerialPortsEntry;

static void
fu_quectel_serial_ports_entry_clear(FuQuectelSerialPortsEntry *entry)
{
	g_free(entry->tty);
	g_free(entry->sysfs_path);
}

static gint
fu_quectel_serial_ports_entry_sort_cb(gconstpointer a, gconstpointer b)
{
	const FuQuectelSerialPortsEntry *entry_a = a;
	const FuQuectelSerialPortsEntry *entry_b = b;
	if (entry_a->ifnum < entry_b->ifnum)
		return -1;
	if (entry_a->ifnum > entry_b->ifnum)
		return 1;
	return 0;
}

/**
 * fu_quectel_serial_ports_free:
 * @self: a #FuQuectelSerialPorts
 *
 * Frees the port topology.
 **/
void
fu_quectel_serial_ports_free(FuQuectelSerialPorts *self)
{
	g_free(self->dm_port);
	g_free(self->dm_sysfs_path);
	g_free(self);
}

static gboolean
fu_quectel_serial_ports_read_ifnum(FuUdevDevice *iface, guint64 *ifnum, GError **error)
{
	g_autofree gchar *str = NULL;
	str = fu_udev_device_read_sysfs(iface,
					"bInterfaceNumber",
					FU_QUECTEL_SERIAL_PORTS_SYSFS_TIMEOUT_MS,
					error);
	if (str == NULL)
		return FALSE;
	return fu_strtoull(str, ifnum, 0, G_MAXUINT8, FU_INTEGER_BASE_16, error);
}

/* a helper device whose sysfs reads are recorded and replayed as events of @proxy */
static FuUdevDevice *
fu_quectel_serial_ports_new_helper(FuDevice *proxy, const gchar *sysfs_path)
{
	g_autoptr(FuUdevDevice) helper = g_object_new(FU_TYPE_UDEV_DEVICE,
						      "context",
						      fu_device_get_context(proxy),
						      "backend-id",
						      sysfs_path,
						      NULL);
	fu_device_add_private_flag(FU_DEVICE(helper), FU_DEVICE_PRIVATE_FLAG_REFCOUNTED_PROXY);
	fu_device_set_proxy(FU_DEVICE(helper), proxy);
	return g_steal_pointer(&helper);
}

/* the serial functions of the USB device, as (interface number, tty name), sorted */
static GArray *
fu_quectel_serial_ports_list(FuDevice *proxy, FuUdevDevice *usb_device, GError **error)
{
	const gchar *usb_path = fu_udev_device_get_sysfs_path(usb_device);
	g_autofree gchar *usb_name = g_path_get_basename(usb_path);
	g_autofree gchar *iface_prefix = g_strdup_printf("%s:", usb_name);
	g_autoptr(GPtrArray) entries = NULL;
	g_autoptr(GArray) ports = g_array_new(FALSE, TRUE, sizeof(FuQuectelSerialPortsEntry));

	g_array_set_clear_func(ports, (GDestroyNotify)fu_quectel_serial_ports_entry_clear);
	entries = fu_udev_device_list_sysfs(usb_device, error);
	if (entries == NULL)
		return NULL;
	for (guint i = 0; i < entries->len; i++) {
		const gchar *entry = g_ptr_array_index(entries, i);
		g_autofree gchar *iface_path = NULL;
		g_autoptr(FuUdevDevice) iface = NULL;
		g_autoptr(GPtrArray) children = NULL;
		FuQuectelSerialPortsEntry port = {0};

		if (!g_str_has_prefix(entry, iface_prefix))
			continue;
		iface_path = g_build_filename(usb_path, entry, NULL);
		iface = fu_quectel_serial_ports_new_helper(proxy, iface_path);
		children = fu_udev_device_list_sysfs(iface, error);
		if (children == NULL)
			return NULL;
		for (guint j = 0; j < children->len; j++) {
			const gchar *child = g_ptr_array_index(children, j);
			if (g_str_has_prefix(child, FU_QUECTEL_SERIAL_PORTS_TTY_PREFIX)) {
				port.tty = g_strdup(child);
				port.sysfs_path =
				    g_build_filename(iface_path, child, "tty", child, NULL);
				break;
			}
		}
		if (port.tty == NULL)
			continue;
		if (!fu_quectel_serial_ports_read_ifnum(iface, &port.ifnum, error)) {
			fu_quectel_serial_ports_entry_clear(&port);
			return NULL;
		}
		g_array_append_val(ports, port);
	}
	g_array_sort(ports, fu_quectel_serial_ports_entry_sort_cb);
	return g_steal_pointer(&ports);
}

/**
 * fu_quectel_serial_ports_probe:
 * @proxy: the device of one serial port of the module, which records and replays the I/O
 * @usb_device: the module's USB device, a backend parent of @proxy
 * @roles: #FuQuectelPortRole values from the `QuectelSerialPorts` quirk, in interface order
 * @error: (nullable): optional return location for an error
 *
 * Finds the role of the port of @proxy and where the module's DM port is. Every sysfs read
 * goes through helper devices that record into @proxy, so that emulation can replay them.
 *
 * Returns: (transfer full): the topology, or %NULL on error
 **/
FuQuectelSerialPorts *
fu_quectel_serial_ports_probe(FuDevice *proxy,
			      FuUdevDevice *usb_device,
			      GArray *roles,
			      GError **error)
{
	g_autoptr(FuDevice) iface = NULL;
	g_autoptr(GArray) ports = NULL;
	g_autoptr(FuQuectelSerialPorts) topology = g_new0(FuQuectelSerialPorts, 1);

	topology->role = FU_QUECTEL_PORT_ROLE_UNKNOWN;
	iface = fu_device_get_backend_parent_with_subsystem(proxy, "usb:usb_interface", error);
	if (iface == NULL)
		return NULL;
	if (!fu_quectel_serial_ports_read_ifnum(FU_UDEV_DEVICE(iface), &topology->ifnum, error))
		return NULL;
	ports = fu_quectel_serial_ports_list(proxy, usb_device, error);
	if (ports == NULL)
		return NULL;
	topology->count = ports->len;

	/* the roles are given for the serial functions in interface order */
	for (guint i = 0; i < ports->len && i < roles->len; i++) {
		FuQuectelSerialPortsEntry *port =
		    &g_array_index(ports, FuQuectelSerialPortsEntry, i);
		FuQuectelPortRole role_tmp = g_array_index(roles, FuQuectelPortRole, i);
		if (port->ifnum == topology->ifnum)
			topology->role = role_tmp;
		if (role_tmp == FU_QUECTEL_PORT_ROLE_DM) {
			g_free(topology->dm_port);
			g_free(topology->dm_sysfs_path);
			topology->dm_port = g_strdup_printf("/dev/%s", port->tty);
			topology->dm_sysfs_path = g_strdup(port->sysfs_path);
		}
	}
	return g_steal_pointer(&topology);
}

/**
 * fu_quectel_serial_ports_set_raw:
 * @port: an open serial port of the module
 * @error: (nullable): optional return location for an error
 *
 * The module talks raw bytes: no echo, no line editing, no CR/LF translation. An emulated
 * port has no terminal, and its replayed bytes are already what the raw port returned.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_serial_ports_set_raw(FuUdevDevice *port, GError **error)
{
	FuIOChannel *io_channel;
	gint fd;
	struct termios tio = {0};

	if (fu_device_has_flag(FU_DEVICE(port), FWUPD_DEVICE_FLAG_EMULATED))
		return TRUE;
	io_channel = fu_udev_device_get_io_channel(port);
	if (io_channel == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INTERNAL,
			    "serial port %s is not open",
			    fu_udev_device_get_device_file(port));
		return FALSE;
	}
	fd = fu_io_channel_unix_get_fd(io_channel);
	if (tcgetattr(fd, &tio) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "could not get termios attributes of %s: %s",
			    fu_udev_device_get_device_file(port),
			    fwupd_strerror(errno));
		return FALSE;
	}
	cfmakeraw(&tio);
	if (tcsetattr(fd, TCSANOW, &tio) != 0) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "could not set termios attributes of %s: %s",
			    fu_udev_device_get_device_file(port),
			    fwupd_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
