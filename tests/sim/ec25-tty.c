/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-tty.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>

/* what a USB serial function of the module reports as its modem lines */
#define EC25_TTY_MODEM_LINES (TIOCM_DSR | TIOCM_CTS | TIOCM_CAR)

struct _Ec25Tty {
	UMockdevIoctlBase parent_instance;
	gint slave_fd; /* owned by the simulator */
};

G_DEFINE_TYPE(Ec25Tty, ec25_tty, UMOCKDEV_TYPE_IOCTL_BASE)

/* copy @buf to where the host's pointer argument points */
static gboolean
ec25_tty_reply(UMockdevIoctlClient *client, gconstpointer buf, gsize bufsz)
{
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_autoptr(GError) error = NULL;
	UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, bufsz, &error);

	if (data == NULL) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return TRUE;
	}
	memcpy(data->data, buf, bufsz);
	umockdev_ioctl_client_complete(client, 0, 0);
	return TRUE;
}

static gboolean
ec25_tty_handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *client)
{
	Ec25Tty *self = EC25_TTY(base);
	gulong request = umockdev_ioctl_client_get_request(client);

	switch (request) {
	case TIOCEXCL:
	case TIOCNXCL:
	case TIOCMSET:
	case TIOCMBIS:
	case TIOCMBIC:
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	case TIOCMGET: {
		gint lines = EC25_TTY_MODEM_LINES;
		return ec25_tty_reply(client, &lines, sizeof(lines));
	}
	case TCFLSH: {
		gint queue = (gint)umockdev_ioctl_client_get_arg(client)->data[0];
		gint rc = tcflush(self->slave_fd, queue);
		umockdev_ioctl_client_complete(client, rc, rc < 0 ? errno : 0);
		return TRUE;
	}
	case TCGETS: {
		struct termios tio = {0};
		if (tcgetattr(self->slave_fd, &tio) < 0) {
			umockdev_ioctl_client_complete(client, -1, errno);
			return TRUE;
		}
		return ec25_tty_reply(client, &tio, sizeof(tio));
	}
	case TCSETS:
	case TCSETSW:
	case TCSETSF: {
		struct termios tio = {0};
		UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
		g_autoptr(GError) error = NULL;
		UMockdevIoctlData *data = umockdev_ioctl_data_resolve(arg, 0, sizeof(tio), &error);
		gint rc;
		if (data == NULL) {
			umockdev_ioctl_client_complete(client, -1, EFAULT);
			return TRUE;
		}
		memcpy(&tio, data->data, sizeof(tio));
		rc = tcsetattr(self->slave_fd, TCSANOW, &tio);
		umockdev_ioctl_client_complete(client, rc, rc < 0 ? errno : 0);
		return TRUE;
	}
	default:
		/* TIOCGSERIAL and the rest: as umockdev's default handler answers them */
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		return TRUE;
	}
}

static void
ec25_tty_init(Ec25Tty *self)
{
	self->slave_fd = -1;
}

static void
ec25_tty_class_init(Ec25TtyClass *klass)
{
	UMockdevIoctlBaseClass *base_class = UMOCKDEV_IOCTL_BASE_CLASS(klass);
	base_class->handle_ioctl = ec25_tty_handle_ioctl;
}

Ec25Tty *
ec25_tty_new(gint slave_fd)
{
	Ec25Tty *self = g_object_new(EC25_TYPE_TTY, NULL);
	self->slave_fd = slave_fd;
	return self;
}
