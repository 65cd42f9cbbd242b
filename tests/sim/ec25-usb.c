/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-usb.h"

#include <string.h>

#define EC25_USB_VID_QUECTEL	0x2C7C
#define EC25_USB_PID_EC25	0x0125
#define EC25_USB_BCD_NORMAL	0x0318
#define EC25_USB_VID_QUALCOMM	0x05C6
#define EC25_USB_PID_EDL	0x9008
#define EC25_USB_BCD_BOOT	0x0000 /* PBL and SBL report bcdDevice 0.00 */
#define EC25_USB_BOOT_VENDOR	"Qualcomm CDMA Technologies MSM"
#define EC25_USB_BOOT_PRODUCT	"QHSUSB__BULK"
#define EC25_USB_ATTR_NORMAL	0xA0 /* bus powered, remote wakeup */
#define EC25_USB_ATTR_BOOT	0x80 /* bus powered */
#define EC25_USB_POWER_NORMAL	250  /* 500 mA */
#define EC25_USB_POWER_BOOT	1    /* 2 mA */
#define EC25_USB_MAX_PACKET	512
#define EC25_USB_INTR_PACKET	16
#define EC25_USB_INTR_INTERVAL	9
#define EC25_USB_TTY_MAJOR	188
#define EC25_USB_DEV_MAJOR	189
#define EC25_USB_BUS_DEVNUMS	128
#define EC25_USB_DESC_DEVICE	0x01
#define EC25_USB_DESC_CONFIG	0x02
#define EC25_USB_DESC_INTERFACE 0x04
#define EC25_USB_DESC_ENDPOINT	0x05
#define EC25_USB_DESC_IAD	0x0B
#define EC25_USB_EP_BULK	0x02
#define EC25_USB_EP_INTR	0x03

typedef enum {
	EC25_USB_FUNC_SERIAL,
	EC25_USB_FUNC_QMI,
	EC25_USB_FUNC_RNDIS_CONTROL,
	EC25_USB_FUNC_RNDIS_DATA,
	EC25_USB_FUNC_BOOT, /* the single bulk interface of the PBL and SBL download modes */
} Ec25UsbFuncKind;

/* one interface of a USB composition */
typedef struct {
	Ec25UsbFuncKind kind;
	Ec25Port port; /* for EC25_USB_FUNC_SERIAL */
	guint8 cls;
	guint8 subcls;
	guint8 proto;
	gboolean intr; /* has an interrupt IN endpoint */
	gboolean bulk; /* has a bulk IN/OUT pair */
	const gchar *driver;
} Ec25UsbFunc;

static const Ec25UsbFunc ec25_usb_layout_qmi[] = {
    {EC25_USB_FUNC_SERIAL, EC25_PORT_DM, 0xFF, 0xFF, 0xFF, FALSE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_NMEA, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_AT, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_MODEM, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
    {EC25_USB_FUNC_QMI, EC25_PORT_LAST, 0xFF, 0xFF, 0xFF, TRUE, TRUE, "qmi_wwan"},
};

static const Ec25UsbFunc ec25_usb_layout_rndis[] = {
    {EC25_USB_FUNC_RNDIS_CONTROL, EC25_PORT_LAST, 0xE0, 0x01, 0x03, TRUE, FALSE, "rndis_host"},
    {EC25_USB_FUNC_RNDIS_DATA, EC25_PORT_LAST, 0x0A, 0x00, 0x00, FALSE, TRUE, "rndis_host"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_DM, 0xFF, 0xFF, 0xFF, FALSE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_NMEA, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_AT, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
    {EC25_USB_FUNC_SERIAL, EC25_PORT_MODEM, 0xFF, 0x00, 0x00, TRUE, TRUE, "option"},
};

static const Ec25UsbFunc ec25_usb_layout_edl[] = {
    {EC25_USB_FUNC_BOOT, EC25_PORT_LAST, 0xFF, 0xFF, 0xFF, FALSE, TRUE, "qcserial"},
};

static const Ec25UsbFunc ec25_usb_layout_dump[] = {
    {EC25_USB_FUNC_SERIAL, EC25_PORT_DM, 0xFF, 0xFF, 0xFF, FALSE, TRUE, "option"},
};

/* the same interface where no driver bound it (no tty): only usbfs reaches it */
static const Ec25UsbFunc ec25_usb_layout_dump_no_tty[] = {
    {EC25_USB_FUNC_BOOT, EC25_PORT_LAST, 0xFF, 0xFF, 0xFF, FALSE, TRUE, NULL},
};

void
ec25_usb_serial_port_free(Ec25UsbSerialPort *port)
{
	g_free(port->device_file);
	g_free(port);
}

void
ec25_usb_device_free(Ec25UsbDevice *self)
{
	g_free(self->manufacturer);
	g_free(self->product);
	g_free(self->driver);
	if (self->descriptors != NULL)
		g_bytes_unref(self->descriptors);
	g_free(self->device_file);
	g_free(self->fixture);
	g_ptr_array_unref(self->ports);
	g_free(self);
}

static gint
ec25_usb_syspath_depth_cmp(gconstpointer a, gconstpointer b)
{
	const gchar *path_a = *(const gchar **)a;
	const gchar *path_b = *(const gchar **)b;
	gint depth_a = 0;
	gint depth_b = 0;

	for (const gchar *p = path_a; *p != '\0'; p++)
		depth_a += *p == '/';
	for (const gchar *p = path_b; *p != '\0'; p++)
		depth_b += *p == '/';
	if (depth_a != depth_b)
		return depth_b - depth_a;
	return g_strcmp0(path_b, path_a);
}

GPtrArray *
ec25_usb_device_get_syspaths(Ec25UsbDevice *self)
{
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) lines = g_strsplit(self->fixture, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (g_str_has_prefix(lines[i], "P: "))
			g_ptr_array_add(paths, g_strconcat("/sys", lines[i] + 3, NULL));
	}
	/* umockdev 0.17.16 leaves the links of children behind when a parent goes first */
	g_ptr_array_sort(paths, ec25_usb_syspath_depth_cmp);
	return paths;
}

static void
ec25_usb_append_u8(GByteArray *buf, guint8 value)
{
	g_byte_array_append(buf, &value, 1);
}

static void
ec25_usb_append_u16(GByteArray *buf, guint16 value)
{
	ec25_usb_append_u8(buf, value & 0xFF);
	ec25_usb_append_u8(buf, value >> 8);
}

static void
ec25_usb_append_device_desc(GByteArray *buf, guint16 vid, guint16 pid, guint16 bcd)
{
	ec25_usb_append_u8(buf, 18);
	ec25_usb_append_u8(buf, EC25_USB_DESC_DEVICE);
	ec25_usb_append_u16(buf, 0x0200); /* USB 2.0 */
	ec25_usb_append_u8(buf, 0x00);	  /* class per interface */
	ec25_usb_append_u8(buf, 0x00);
	ec25_usb_append_u8(buf, 0x00);
	ec25_usb_append_u8(buf, 64); /* bMaxPacketSize0 */
	ec25_usb_append_u16(buf, vid);
	ec25_usb_append_u16(buf, pid);
	ec25_usb_append_u16(buf, bcd);
	ec25_usb_append_u8(buf, 1); /* iManufacturer */
	ec25_usb_append_u8(buf, 2); /* iProduct */
	ec25_usb_append_u8(buf, 0); /* iSerialNumber */
	ec25_usb_append_u8(buf, 1); /* bNumConfigurations */
}

static void
ec25_usb_append_endpoint(GByteArray *buf, guint8 addr, guint8 attr, guint16 mps, guint8 interval)
{
	ec25_usb_append_u8(buf, 7);
	ec25_usb_append_u8(buf, EC25_USB_DESC_ENDPOINT);
	ec25_usb_append_u8(buf, addr);
	ec25_usb_append_u8(buf, attr);
	ec25_usb_append_u16(buf, mps);
	ec25_usb_append_u8(buf, interval);
}

/* descriptors of a composition: endpoints numbered as the real module does */
static GByteArray *
ec25_usb_descriptors(guint16 vid,
		     guint16 pid,
		     guint16 bcd,
		     guint8 attributes,
		     guint8 max_power,
		     const Ec25UsbFunc *funcs,
		     guint nfuncs)
{
	GByteArray *buf = g_byte_array_new();
	g_autoptr(GByteArray) cfg = g_byte_array_new();
	guint8 ep_in = 0x81;
	guint8 ep_out = 0x01;

	for (guint i = 0; i < nfuncs; i++) {
		const Ec25UsbFunc *func = &funcs[i];
		if (func->kind == EC25_USB_FUNC_RNDIS_CONTROL) {
			/* interface association: RNDIS control + data */
			ec25_usb_append_u8(cfg, 8);
			ec25_usb_append_u8(cfg, EC25_USB_DESC_IAD);
			ec25_usb_append_u8(cfg, i);
			ec25_usb_append_u8(cfg, 2);
			ec25_usb_append_u8(cfg, func->cls);
			ec25_usb_append_u8(cfg, func->subcls);
			ec25_usb_append_u8(cfg, func->proto);
			ec25_usb_append_u8(cfg, 0);
		}
		ec25_usb_append_u8(cfg, 9);
		ec25_usb_append_u8(cfg, EC25_USB_DESC_INTERFACE);
		ec25_usb_append_u8(cfg, i);
		ec25_usb_append_u8(cfg, 0);
		ec25_usb_append_u8(cfg, (func->intr ? 1 : 0) + (func->bulk ? 2 : 0));
		ec25_usb_append_u8(cfg, func->cls);
		ec25_usb_append_u8(cfg, func->subcls);
		ec25_usb_append_u8(cfg, func->proto);
		ec25_usb_append_u8(cfg, 0);
		if (func->intr) {
			ec25_usb_append_endpoint(cfg,
						 func->bulk ? ep_in + 1 : ep_in,
						 EC25_USB_EP_INTR,
						 EC25_USB_INTR_PACKET,
						 EC25_USB_INTR_INTERVAL);
		}
		if (func->bulk) {
			ec25_usb_append_endpoint(cfg,
						 ep_in,
						 EC25_USB_EP_BULK,
						 EC25_USB_MAX_PACKET,
						 0);
			ec25_usb_append_endpoint(cfg,
						 ep_out,
						 EC25_USB_EP_BULK,
						 EC25_USB_MAX_PACKET,
						 0);
			ep_out++;
		}
		ep_in += func->intr && func->bulk ? 2 : 1;
	}

	ec25_usb_append_device_desc(buf, vid, pid, bcd);
	ec25_usb_append_u8(buf, 9);
	ec25_usb_append_u8(buf, EC25_USB_DESC_CONFIG);
	ec25_usb_append_u16(buf, 9 + cfg->len);
	ec25_usb_append_u8(buf, nfuncs);
	ec25_usb_append_u8(buf, 1); /* bConfigurationValue */
	ec25_usb_append_u8(buf, 0); /* iConfiguration */
	ec25_usb_append_u8(buf, attributes);
	ec25_usb_append_u8(buf, max_power);
	g_byte_array_append(buf, cfg->data, cfg->len);
	return buf;
}

static gchar *
ec25_usb_hex(const guint8 *buf, gsize bufsz)
{
	GString *str = g_string_new(NULL);
	for (gsize i = 0; i < bufsz; i++)
		g_string_append_printf(str, "%02X", buf[i]);
	return g_string_free(str, FALSE);
}

static void
ec25_usb_fixture_usb_device(GString *str, Ec25UsbDevice *dev, guint ninterfaces)
{
	gsize descsz = 0;
	const guint8 *desc = g_bytes_get_data(dev->descriptors, &descsz);
	g_autofree gchar *hex = ec25_usb_hex(desc, descsz);
	guint minor = (EC25_USB_BUSNUM - 1) * EC25_USB_BUS_DEVNUMS + dev->devnum - 1;

	g_string_append_printf(str, "P: %s\n", EC25_USB_SYSFS_PATH);
	/* libusb_wrap_sys_device() reads the descriptors from the node */
	g_string_append_printf(str, "N: %s=%s\n", dev->device_file + strlen("/dev/"), hex);
	g_string_append(str, "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n");
	g_string_append_printf(str, "E: DEVNAME=%s\n", dev->device_file);
	g_string_append_printf(str, "E: PRODUCT=%x/%x/%x\n", dev->vid, dev->pid, dev->bcd);
	g_string_append(str, "E: TYPE=0/0/0\n");
	g_string_append_printf(str,
			       "E: BUSNUM=%03u\nE: DEVNUM=%03u\n",
			       EC25_USB_BUSNUM,
			       dev->devnum);
	g_string_append_printf(str, "E: MAJOR=%u\nE: MINOR=%u\n", EC25_USB_DEV_MAJOR, minor);
	g_string_append_printf(str,
			       "E: ID_VENDOR_ID=%04x\nE: ID_MODEL_ID=%04x\n",
			       dev->vid,
			       dev->pid);
	g_string_append_printf(str, "E: ID_REVISION=%04x\n", dev->bcd);
	g_string_append_printf(str, "A: dev=%u:%u\n", EC25_USB_DEV_MAJOR, minor);
	g_string_append_printf(str, "A: idVendor=%04x\nA: idProduct=%04x\n", dev->vid, dev->pid);
	g_string_append_printf(str, "A: bcdDevice=%04x\n", dev->bcd);
	g_string_append_printf(str, "A: busnum=%u\nA: devnum=%u\n", EC25_USB_BUSNUM, dev->devnum);
	g_string_append(str, "A: devpath=1\n");
	g_string_append_printf(str,
			       "A: manufacturer=%s\nA: product=%s\n",
			       dev->manufacturer,
			       dev->product);
	g_string_append(str, "A: speed=480\nA: version= 2.00\n");
	g_string_append(str, "A: bDeviceClass=00\nA: bDeviceSubClass=00\nA: bDeviceProtocol=00\n");
	g_string_append(str, "A: bMaxPacketSize0=64\nA: bNumConfigurations=1\n");
	g_string_append_printf(str, "A: bNumInterfaces=%2u\n", ninterfaces);
	g_string_append(str, "A: bConfigurationValue=1\n");
	g_string_append_printf(str, "A: bmAttributes=%02x\n", desc[18 + 7]);
	g_string_append_printf(str, "A: bMaxPower=%umA\n", desc[18 + 8] * 2u);
	g_string_append(str, "A: removable=unknown\n");
	g_string_append_printf(str, "H: descriptors=%s\n\n", hex);
}

static void
ec25_usb_fixture_interface(GString *str,
			   const gchar *iface_path,
			   guint num,
			   const Ec25UsbFunc *func,
			   guint16 vid,
			   guint16 pid,
			   guint16 bcd)
{
	g_string_append_printf(str, "P: %s\n", iface_path);
	g_string_append(str, "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n");
	if (func->driver != NULL)
		g_string_append_printf(str, "E: DRIVER=%s\n", func->driver);
	g_string_append_printf(str, "E: PRODUCT=%x/%x/%x\nE: TYPE=0/0/0\n", vid, pid, bcd);
	g_string_append_printf(str,
			       "E: INTERFACE=%u/%u/%u\n",
			       func->cls,
			       func->subcls,
			       func->proto);
	g_string_append_printf(
	    str,
	    "E: MODALIAS=usb:v%04Xp%04Xd%04Xdc00dsc00dp00ic%02Xisc%02Xip%02Xin%02X\n",
	    vid,
	    pid,
	    bcd,
	    func->cls,
	    func->subcls,
	    func->proto,
	    num);
	g_string_append_printf(str, "A: bInterfaceNumber=%02x\n", num);
	g_string_append_printf(str, "A: bInterfaceClass=%02x\n", func->cls);
	g_string_append_printf(str, "A: bInterfaceSubClass=%02x\n", func->subcls);
	g_string_append_printf(str, "A: bInterfaceProtocol=%02x\n", func->proto);
	g_string_append_printf(str,
			       "A: bNumEndpoints=%02x\n",
			       (func->intr ? 1 : 0) + (func->bulk ? 2 : 0));
	g_string_append(str, "A: bAlternateSetting= 0\n\n");
}

/* the port types ModemManager's udev rules give 2c7c:0125, by interface number */
static const gchar *ec25_usb_mm_port_types[] = {"QCDM", "GPS", "AT_PRIMARY", "AT_SECONDARY"};

static void
ec25_usb_fixture_tty(GString *str, const gchar *iface_path, guint tty, guint ifnum)
{
	/* the usb-serial port, then its tty class device with a PTY behind the node */
	g_string_append_printf(str, "P: %s/ttyUSB%u\n", iface_path, tty);
	g_string_append(str, "E: SUBSYSTEM=usb-serial\nE: DRIVER=option1\n");
	g_string_append(str, "A: port_number=0\n\n");
	g_string_append_printf(str, "P: %s/ttyUSB%u/tty/ttyUSB%u\n", iface_path, tty, tty);
	g_string_append_printf(str, "N: ttyUSB%u\n", tty);
	g_string_append(str, "E: SUBSYSTEM=tty\n");
	g_string_append_printf(str, "E: DEVNAME=/dev/ttyUSB%u\n", tty);
	g_string_append_printf(str, "E: MAJOR=%u\nE: MINOR=%u\n", EC25_USB_TTY_MAJOR, tty);
	/* as ModemManager's udev rules (80-mm-candidate, 77-mm-quectel-port-types) set them */
	g_string_append(str, "E: ID_MM_CANDIDATE=1\n");
	if (ifnum < G_N_ELEMENTS(ec25_usb_mm_port_types))
		g_string_append_printf(str,
				       "E: ID_MM_PORT_TYPE_%s=1\n",
				       ec25_usb_mm_port_types[ifnum]);
	g_string_append_printf(str, "A: dev=%u:%u\n\n", EC25_USB_TTY_MAJOR, tty);
}

static void
ec25_usb_fixture_net(GString *str, const gchar *iface_path, const gchar *ifname, gboolean wdm)
{
	g_string_append_printf(str, "P: %s/net/%s\n", iface_path, ifname);
	g_string_append_printf(str, "E: SUBSYSTEM=net\nE: INTERFACE=%s\n", ifname);
	g_string_append(str, "A: address=02:50:f4:00:00:00\nA: type=1\n\n");
	if (!wdm)
		return;
	g_string_append_printf(str, "P: %s/usbmisc/cdc-wdm0\n", iface_path);
	g_string_append(str, "E: SUBSYSTEM=usbmisc\nE: DEVNAME=/dev/cdc-wdm0\n\n");
}

/* sysfs text attributes end with a newline, which libusb expects */
static gchar *
ec25_usb_fixture_terminate_attributes(const gchar *fixture)
{
	GString *str = g_string_new(NULL);
	g_auto(GStrv) lines = g_strsplit(fixture, "\n", -1);

	for (guint i = 0; lines[i] != NULL; i++) {
		if (i > 0)
			g_string_append_c(str, '\n');
		g_string_append(str, lines[i]);
		if (g_str_has_prefix(lines[i], "A: "))
			g_string_append(str, "\\n");
	}
	return g_string_free(str, FALSE);
}

static Ec25UsbDevice *
ec25_usb_device_new(guint16 vid,
		    guint16 pid,
		    guint16 bcd,
		    guint8 attributes,
		    guint8 max_power,
		    const gchar *manufacturer,
		    const gchar *product,
		    const Ec25UsbFunc *funcs,
		    guint nfuncs,
		    guint devnum,
		    guint tty_base)
{
	Ec25UsbDevice *self = g_new0(Ec25UsbDevice, 1);
	GString *str = g_string_new(NULL);
	g_autoptr(GByteArray) desc = NULL;
	guint tty = tty_base;

	self->vid = vid;
	self->pid = pid;
	self->bcd = bcd;
	self->devnum = devnum;
	self->manufacturer = g_strdup(manufacturer);
	self->product = g_strdup(product);
	self->driver = g_strdup(funcs[0].driver);
	self->device_file = g_strdup_printf("/dev/bus/usb/%03u/%03u", EC25_USB_BUSNUM, devnum);
	self->ports = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_usb_serial_port_free);
	desc = ec25_usb_descriptors(vid, pid, bcd, attributes, max_power, funcs, nfuncs);
	self->descriptors = g_bytes_new(desc->data, desc->len);

	ec25_usb_fixture_usb_device(str, self, nfuncs);
	for (guint i = 0; i < nfuncs; i++) {
		const Ec25UsbFunc *func = &funcs[i];
		g_autofree gchar *iface_path =
		    g_strdup_printf("%s/1-1:1.%u", EC25_USB_SYSFS_PATH, i);
		ec25_usb_fixture_interface(str, iface_path, i, func, vid, pid, bcd);
		if (func->kind == EC25_USB_FUNC_SERIAL) {
			Ec25UsbSerialPort *port = g_new0(Ec25UsbSerialPort, 1);
			port->port = func->port;
			port->device_file = g_strdup_printf("/dev/ttyUSB%u", tty);
			g_ptr_array_add(self->ports, port);
			ec25_usb_fixture_tty(str, iface_path, tty++, i);
		} else if (func->kind == EC25_USB_FUNC_QMI) {
			ec25_usb_fixture_net(str, iface_path, "wwan0", TRUE);
		} else if (func->kind == EC25_USB_FUNC_RNDIS_CONTROL) {
			ec25_usb_fixture_net(str, iface_path, "usb0", FALSE);
		}
	}
	self->fixture = ec25_usb_fixture_terminate_attributes(str->str);
	g_string_free(str, TRUE);
	return self;
}

Ec25UsbDevice *
ec25_usb_device_new_normal(Ec25Module *module, guint devnum, guint tty_base)
{
	if (module->layout == EC25_USB_LAYOUT_RNDIS) {
		return ec25_usb_device_new(EC25_USB_VID_QUECTEL,
					   EC25_USB_PID_EC25,
					   EC25_USB_BCD_NORMAL,
					   EC25_USB_ATTR_NORMAL,
					   EC25_USB_POWER_NORMAL,
					   "Quectel",
					   ec25_module_usb_product(module),
					   ec25_usb_layout_rndis,
					   G_N_ELEMENTS(ec25_usb_layout_rndis),
					   devnum,
					   tty_base);
	}
	return ec25_usb_device_new(EC25_USB_VID_QUECTEL,
				   EC25_USB_PID_EC25,
				   EC25_USB_BCD_NORMAL,
				   EC25_USB_ATTR_NORMAL,
				   EC25_USB_POWER_NORMAL,
				   "Quectel",
				   ec25_module_usb_product(module),
				   ec25_usb_layout_qmi,
				   G_N_ELEMENTS(ec25_usb_layout_qmi),
				   devnum,
				   tty_base);
}

Ec25UsbDevice *
ec25_usb_device_new_edl(guint devnum)
{
	return ec25_usb_device_new(EC25_USB_VID_QUALCOMM,
				   EC25_USB_PID_EDL,
				   EC25_USB_BCD_BOOT,
				   EC25_USB_ATTR_BOOT,
				   EC25_USB_POWER_BOOT,
				   EC25_USB_BOOT_VENDOR,
				   EC25_USB_BOOT_PRODUCT,
				   ec25_usb_layout_edl,
				   G_N_ELEMENTS(ec25_usb_layout_edl),
				   devnum,
				   0);
}

Ec25UsbDevice *
ec25_usb_device_new_dump(guint devnum, guint tty)
{
	return ec25_usb_device_new(EC25_USB_VID_QUECTEL,
				   EC25_USB_PID_EC25,
				   EC25_USB_BCD_BOOT,
				   EC25_USB_ATTR_BOOT,
				   EC25_USB_POWER_BOOT,
				   EC25_USB_BOOT_VENDOR,
				   EC25_USB_BOOT_PRODUCT,
				   ec25_usb_layout_dump,
				   G_N_ELEMENTS(ec25_usb_layout_dump),
				   devnum,
				   tty);
}

Ec25UsbDevice *
ec25_usb_device_new_dump_no_tty(guint devnum)
{
	return ec25_usb_device_new(EC25_USB_VID_QUECTEL,
				   EC25_USB_PID_EC25,
				   EC25_USB_BCD_BOOT,
				   EC25_USB_ATTR_BOOT,
				   EC25_USB_POWER_BOOT,
				   EC25_USB_BOOT_VENDOR,
				   EC25_USB_BOOT_PRODUCT,
				   ec25_usb_layout_dump_no_tty,
				   G_N_ELEMENTS(ec25_usb_layout_dump_no_tty),
				   devnum,
				   0);
}
