/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * ec25-sim [OPTIONS] -- COMMAND...
 *
 * Builds a umockdev testbed holding one simulated Quectel EC25/EG25, runs COMMAND under the
 * umockdev preload so that it sees the module in /sys and /dev, serves the module until
 * COMMAND exits, and exits with COMMAND's status.
 *
 * The module re-enumerates as the real one does: the DIAG download command on the DM port
 * takes it off the bus and brings it back as the PBL's 05c6:9008 (EDL), where the host
 * talks Sahara and Firehose over usbdevfs (ec25-usbfs.c) to the download model
 * (ec25-edl.c); a reset there boots whatever the NAND holds, back in normal mode, or in EDL
 * again when nothing bootable was flashed. Every enumeration gets a new USB address and,
 * because umockdev cannot re-create a PTY, new ttyUSB numbers.
 *
 * Faults at every phase, Sahara command mode identity, dump mode variants, a programmer still
 * running at start and power cycles between runs (--fault, --chip-serial, --hw-id,
 * --dump-kind, --dump-tty, --programmer-running, --power-cycle, --usb-boot) are described
 * in ec25-fault.c. `ec25-sim --state DIR --power-cycle` without COMMAND power-cycles the
 * module of DIR and exits.
 */

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <umockdev.h>
#include <unistd.h>

#include "ec25-edl.h"
#include "ec25-fault.h"
#include "ec25-module.h"
#include "ec25-timing.h"
#include "ec25-tty.h"
#include "ec25-urc.h"
#include "ec25-usb.h"
#include "ec25-usbfs.h"

#define EC25_SIM_PRELOAD	 "libumockdev-preload.so.0"
#define EC25_SIM_PRELOAD_MATCH	 "libumockdev-preload"
#define EC25_SIM_ASAN_LINK_ORDER "verify_asan_link_order=0"
#define EC25_SIM_READ_CHUNK	 4096
#define EC25_SIM_EXIT_SETUP	 125 /* like env(1): the simulator itself failed */
#define EC25_SIM_DEVNUM_FIRST	 2
#define EC25_SIM_DEVNUM_LAST	 127
#define EC25_SIM_RESET_LINGER_MS 250 /* a reset target leaves the bus, read or not */
#define EC25_SIM_INOTIFY_BUF	 4096

/* what the module boots into once it is back on the bus */
typedef enum {
	EC25_SIM_BOOT_NAND, /* whatever the NAND holds: normal mode, or EDL if nothing valid */
	EC25_SIM_BOOT_EDL,
	EC25_SIM_BOOT_DUMP,
} Ec25SimBoot;

typedef struct {
	Ec25Module *module;
	UMockdevTestbed *testbed;
	GMainLoop *loop;
	Ec25UsbDevice *usb; /* the enumeration on the bus, NULL while off the bus */
	GPtrArray *ports;   /* of Ec25SimPort, the serial ports of usb */
	GArray *held_fds;   /* slaves of hung-up PTYs */
	Ec25Usbfs *usbfs;   /* serves usb's node in EDL and dump mode */
	Ec25Edl *edl;	    /* the download side, in EDL */
	Ec25Timing *timing; /* the timing model and the phases of the run */
	Ec25EdlState edl_state;
	GQueue dump_in; /* of GBytes: dump mode packets for bulk IN, under the usbfs lock */
	guint generation;
	guint devnum_next;
	guint tty_next;
	gboolean leaving; /* rebooting: the ports stop answering */
	gboolean rebooting;
	gboolean reset_drained; /* the host read the answer to the reset */
	Ec25SimBoot boot;
	gint64 boot_at; /* monotonic time the module is back on the bus */
	guint transition_id;
	gint child_status;
	gboolean tty_ioctls; /* serve TIOCEXCL and the other tty ioctls ModemManager needs */
} Ec25Sim;

typedef struct {
	Ec25Sim *sim;
	Ec25Port port;
	gboolean dump; /* the single port of the SBL dump mode */
	gchar *device_file;
	gint master_fd;
	gint slave_fd; /* held open so the master never reads EIO between clients */
	gint inotify_fd;
	guint source_id;
	guint inotify_id;
	Ec25Tty *tty; /* its tty ioctls, with --tty-ioctls */
} Ec25SimPort;

typedef enum {
	EC25_SIM_EVENT_EDL_STATE,     /* the download model changed state */
	EC25_SIM_EVENT_RESET_DRAINED, /* the host read the answer to a reset */
	EC25_SIM_EVENT_DUMP_RESET,    /* Sahara RESET in dump mode */
} Ec25SimEventKind;

typedef struct {
	Ec25Sim *sim;
	guint generation;
	Ec25SimEventKind kind;
	Ec25EdlState edl_state;
} Ec25SimEvent;

static void
ec25_sim_port_free(Ec25SimPort *port)
{
	if (port->tty != NULL) {
		umockdev_testbed_detach_ioctl(port->sim->testbed, port->device_file, NULL);
		g_object_unref(port->tty);
	}
	if (port->source_id != 0)
		g_source_remove(port->source_id);
	if (port->inotify_id != 0)
		g_source_remove(port->inotify_id);
	if (port->inotify_fd >= 0)
		close(port->inotify_fd);
	if (port->slave_fd >= 0)
		close(port->slave_fd);
	g_free(port->device_file);
	g_free(port);
}

/*
 * The tty went away with its device: closing the master hangs up clients that still hold the
 * port open (EIO, as from a vanished ttyUSB). The fd number stays valid because the testbed
 * closes it at the end. The slave stays open until then so that the kernel does not hand the
 * same /dev/pts number to a later PTY, which umockdev 0.17.16 cannot map twice.
 */
static void
ec25_sim_port_hangup(Ec25SimPort *port, GArray *held_fds)
{
	gint null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null_fd < 0)
		return;
	if (port->master_fd >= 0 && dup2(null_fd, port->master_fd) < 0)
		g_warning("cannot hang up %s: %s", port->device_file, g_strerror(errno));
	close(null_fd);
	if (port->slave_fd >= 0) {
		g_array_append_val(held_fds, port->slave_fd);
		port->slave_fd = -1;
	}
}

static gboolean
ec25_sim_write_all(gint fd, const guint8 *buf, gsize bufsz, GError **error)
{
	gsize done = 0;
	while (done < bufsz) {
		gssize rc = write(fd, buf + done, bufsz - done);
		if (rc < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				g_usleep(1000);
				continue;
			}
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "write failed: %s",
				    g_strerror(errno));
			return FALSE;
		}
		done += rc;
	}
	return TRUE;
}

static void
ec25_sim_port_write_packets(Ec25SimPort *port, GPtrArray *packets)
{
	for (guint i = 0; i < packets->len; i++) {
		GBytes *blob = g_ptr_array_index(packets, i);
		g_autoptr(GError) error = NULL;
		if (!ec25_sim_write_all(port->master_fd,
					g_bytes_get_data(blob, NULL),
					g_bytes_get_size(blob),
					&error)) {
			ec25_module_log(port->sim->module,
					"%s: %s",
					port->device_file,
					error->message);
			return;
		}
	}
}

static void
ec25_sim_reboot(Ec25Sim *sim, guint drop_ms, guint total_ms, Ec25SimBoot boot);
static gboolean
ec25_sim_drop_cb(gpointer user_data);

static gboolean
ec25_sim_port_input_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	Ec25SimPort *port = user_data;
	Ec25Sim *sim = port->sim;
	guint8 buf[EC25_SIM_READ_CHUNK];
	gssize rc;
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;

	rc = read(fd, buf, sizeof(buf));
	if (rc <= 0 || sim->leaving)
		return G_SOURCE_CONTINUE;
	if (port->dump) {
		g_autoptr(GPtrArray) packets =
		    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
		ec25_usbfs_lock(sim->usbfs);
		ec25_module_dump_input(sim->module, buf, rc, packets);
		ec25_usbfs_unlock(sim->usbfs);
		ec25_sim_port_write_packets(port, packets);
		if (sim->module->dump_reset_requested) {
			sim->module->dump_reset_requested = FALSE;
			ec25_sim_reboot(sim,
					EC25_SIM_RESET_LINGER_MS,
					sim->module->reboot_ms,
					EC25_SIM_BOOT_DUMP);
		}
		return G_SOURCE_CONTINUE;
	}
	ec25_module_port_input(sim->module, port->port, buf, rc, out);
	if (out->len > 0 && !ec25_sim_write_all(fd, out->data, out->len, &error))
		ec25_module_log(sim->module, "%s: %s", port->device_file, error->message);
	if (sim->module->edl_requested) {
		/* the module drops off the bus and comes back as the PBL's 05c6:9008 */
		sim->module->edl_requested = FALSE;
		ec25_timing_mark(sim->timing, EC25_TIMING_PHASE_DETACH, g_get_monotonic_time());
		ec25_sim_reboot(sim,
				MIN(sim->module->diag_switch_ms, sim->module->edl_delay_ms),
				sim->module->edl_delay_ms,
				EC25_SIM_BOOT_EDL);
	}
	return G_SOURCE_CONTINUE;
}

/* dump mode: the SBL sends its HELLO when the host opens the port */
static gboolean
ec25_sim_port_opened_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	Ec25SimPort *port = user_data;
	Ec25Sim *sim = port->sim;
	guint8 buf[EC25_SIM_INOTIFY_BUF]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	gssize rc = read(fd, buf, sizeof(buf));
	gboolean opened = FALSE;
	gint pending = 0;
	g_autoptr(GPtrArray) packets = NULL;

	for (gssize offset = 0; offset + (gssize)sizeof(struct inotify_event) <= rc;) {
		const struct inotify_event *event = (const struct inotify_event *)(buf + offset);
		opened |= (event->mask & IN_OPEN) != 0;
		offset += sizeof(struct inotify_event) + event->len;
	}
	if (!opened || sim->leaving)
		return G_SOURCE_CONTINUE;
	/* unless the last HELLO is still unread */
	if (ioctl(port->slave_fd, FIONREAD, &pending) == 0 && pending > 0)
		return G_SOURCE_CONTINUE;
	packets = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	ec25_usbfs_lock(sim->usbfs);
	ec25_module_dump_hello(sim->module, packets);
	ec25_usbfs_unlock(sim->usbfs);
	ec25_sim_port_write_packets(port, packets);
	return G_SOURCE_CONTINUE;
}

static gboolean
ec25_sim_serve_port(Ec25Sim *sim, Ec25UsbSerialPort *usb_port, gboolean dump, GError **error)
{
	Ec25SimPort *port = g_new0(Ec25SimPort, 1);
	g_autofree gchar *root = NULL;
	g_autofree gchar *node = NULL;
	g_autofree gchar *pts = NULL;

	port->sim = sim;
	port->port = usb_port->port;
	port->dump = dump;
	port->device_file = g_strdup(usb_port->device_file);
	port->slave_fd = -1;
	port->inotify_fd = -1;
	g_ptr_array_add(sim->ports, port);

	port->master_fd = umockdev_testbed_get_dev_fd(sim->testbed, usb_port->device_file);
	if (port->master_fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_FAILED,
			    "umockdev created no PTY for %s",
			    usb_port->device_file);
		return FALSE;
	}
	root = umockdev_testbed_get_root_dir(sim->testbed);
	node = g_build_filename(root, usb_port->device_file, NULL);
	pts = g_file_read_link(node, error);
	if (pts == NULL)
		return FALSE;
	port->slave_fd = open(pts, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (port->slave_fd < 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot open %s: %s",
			    pts,
			    g_strerror(errno));
		return FALSE;
	}
	if (!g_unix_set_fd_nonblocking(port->master_fd, TRUE, error))
		return FALSE;
	if (!dump && sim->tty_ioctls) {
		port->tty = ec25_tty_new(port->slave_fd);
		if (!umockdev_testbed_attach_ioctl(sim->testbed,
						   usb_port->device_file,
						   UMOCKDEV_IOCTL_BASE(port->tty),
						   error))
			return FALSE;
	}
	port->source_id = g_unix_fd_add(port->master_fd, G_IO_IN, ec25_sim_port_input_cb, port);
	if (dump) {
		g_autoptr(GPtrArray) packets =
		    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
		port->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (port->inotify_fd < 0 || inotify_add_watch(port->inotify_fd, pts, IN_OPEN) < 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "cannot watch %s: %s",
				    pts,
				    g_strerror(errno));
			return FALSE;
		}
		port->inotify_id =
		    g_unix_fd_add(port->inotify_fd, G_IO_IN, ec25_sim_port_opened_cb, port);
		/* a client that opened the port before the watch existed gets one too */
		ec25_module_dump_hello(sim->module, packets);
		ec25_sim_port_write_packets(port, packets);
	}
	ec25_module_log(sim->module,
			"port: %s is %s",
			usb_port->device_file,
			dump ? "the dump port" : ec25_module_port_name(usb_port->port));
	return TRUE;
}

static void
ec25_sim_save_state(Ec25Sim *sim)
{
	g_autoptr(GError) error = NULL;
	if (!ec25_module_save_state(sim->module, &error))
		g_printerr("ec25-sim: cannot save the module state: %s\n", error->message);
}

static void
ec25_sim_save_summary(Ec25Sim *sim)
{
	g_autoptr(GError) error = NULL;
	gboolean ok;

	if (sim->edl == NULL)
		return;
	/* summary.json tells what the host did in EDL: a session the host never talked to (the
	 * module back in EDL after a power loss, say) keeps the one before */
	if (sim->module->state_dir != NULL && ec25_edl_get_host_transfers(sim->edl) == 0) {
		g_autofree gchar *fn =
		    g_build_filename(sim->module->state_dir, "summary.json", NULL);
		if (g_file_test(fn, G_FILE_TEST_EXISTS))
			return;
	}
	/* umockdev's ioctl thread drives the model with the device lock held */
	if (sim->usbfs != NULL)
		ec25_usbfs_lock(sim->usbfs);
	ok = ec25_edl_save_summary(sim->edl, &error);
	if (sim->usbfs != NULL)
		ec25_usbfs_unlock(sim->usbfs);
	if (!ok)
		g_printerr("ec25-sim: cannot save the EDL summary: %s\n", error->message);
}

static void
ec25_sim_save_timing(Ec25Sim *sim)
{
	g_autoptr(GError) error = NULL;
	if (!ec25_timing_save(sim->timing, sim->module->state_dir, g_get_monotonic_time(), &error))
		g_printerr("ec25-sim: cannot save the timing: %s\n", error->message);
}

static gboolean
ec25_sim_event_cb(gpointer user_data)
{
	Ec25SimEvent *event = user_data;
	Ec25Sim *sim = event->sim;

	if (event->generation != sim->generation)
		return G_SOURCE_REMOVE;
	if (event->kind == EC25_SIM_EVENT_RESET_DRAINED) {
		/* the host has the answer: the target resets now */
		if (sim->rebooting && sim->usb != NULL) {
			g_clear_handle_id(&sim->transition_id, g_source_remove);
			ec25_sim_drop_cb(sim);
		}
		return G_SOURCE_REMOVE;
	}
	if (sim->rebooting)
		return G_SOURCE_REMOVE;
	if (event->kind == EC25_SIM_EVENT_DUMP_RESET) {
		ec25_sim_reboot(sim,
				ec25_usbfs_get_busy_ms(sim->usbfs) + EC25_SIM_RESET_LINGER_MS,
				sim->module->reboot_ms,
				sim->module->dump_flag ? EC25_SIM_BOOT_DUMP : EC25_SIM_BOOT_NAND);
		return G_SOURCE_REMOVE;
	}
	switch (event->edl_state) {
	case EC25_EDL_STATE_FIREHOSE:
		ec25_module_log(sim->module, "mode: edl, the firehose programmer runs");
		break;
	case EC25_EDL_STATE_DEAD:
		ec25_module_log(sim->module, "mode: edl, target dead until power-cycled");
		ec25_sim_save_summary(sim);
		break;
	case EC25_EDL_STATE_NOPOWER:
		/* off the bus at once; the power returns after the usual reboot time */
		ec25_module_log(sim->module, "mode: edl, power lost");
		ec25_sim_save_summary(sim);
		ec25_sim_reboot(sim, 0, sim->module->reboot_ms, EC25_SIM_BOOT_NAND);
		break;
	case EC25_EDL_STATE_RESET:
		/* leaves the bus once the host has read the answer, or after a while */
		ec25_module_log(sim->module, "mode: edl, reset");
		ec25_sim_save_summary(sim);
		ec25_sim_reboot(sim,
				ec25_usbfs_get_busy_ms(sim->usbfs) + EC25_SIM_RESET_LINGER_MS,
				sim->module->reboot_ms,
				EC25_SIM_BOOT_NAND);
		break;
	default:
		break;
	}
	return G_SOURCE_REMOVE;
}

/* from umockdev's ioctl thread, with the usbfs lock held */
static void
ec25_sim_post_event(Ec25Sim *sim, Ec25SimEventKind kind, Ec25EdlState edl_state)
{
	Ec25SimEvent *event = g_new0(Ec25SimEvent, 1);
	event->sim = sim;
	event->generation = sim->generation;
	event->kind = kind;
	event->edl_state = edl_state;
	g_idle_add_full(G_PRIORITY_DEFAULT, ec25_sim_event_cb, event, g_free);
}

static void
ec25_sim_edl_bulk_out(gpointer user_data, const guint8 *buf, gsize bufsz)
{
	Ec25Sim *sim = user_data;
	if (sim->edl != NULL)
		ec25_edl_bulk_out(sim->edl, buf, bufsz);
}

static GBytes *
ec25_sim_edl_bulk_in(gpointer user_data, gsize max_len)
{
	Ec25Sim *sim = user_data;
	return sim->edl != NULL ? ec25_edl_bulk_in(sim->edl, max_len) : NULL;
}

static gint64
ec25_sim_edl_out_timing(gpointer user_data, gint64 now, gint64 *idle_at)
{
	Ec25Sim *sim = user_data;
	Ec25TimingWork work;

	if (sim->edl == NULL || !ec25_edl_take_work(sim->edl, &work)) {
		*idle_at = now;
		return now;
	}
	return ec25_timing_out(sim->timing, now, &work, idle_at);
}

static void
ec25_sim_edl_changed(gpointer user_data)
{
	Ec25Sim *sim = user_data;
	Ec25EdlState state;

	if (sim->edl == NULL)
		return;
	state = ec25_edl_get_state(sim->edl);
	if (state != sim->edl_state) {
		sim->edl_state = state;
		ec25_sim_post_event(sim, EC25_SIM_EVENT_EDL_STATE, state);
	}
	if (state == EC25_EDL_STATE_RESET && !sim->reset_drained &&
	    ec25_edl_get_pending_in(sim->edl) == 0) {
		sim->reset_drained = TRUE;
		ec25_sim_post_event(sim, EC25_SIM_EVENT_RESET_DRAINED, state);
	}
}

static const Ec25UsbfsBackend ec25_sim_edl_backend = {
    .bulk_out = ec25_sim_edl_bulk_out,
    .bulk_in = ec25_sim_edl_bulk_in,
    .out_timing = ec25_sim_edl_out_timing,
    .changed = ec25_sim_edl_changed,
};

static void
ec25_sim_dump_bulk_out(gpointer user_data, const guint8 *buf, gsize bufsz)
{
	Ec25Sim *sim = user_data;
	g_autoptr(GPtrArray) packets =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	ec25_module_dump_input(sim->module, buf, bufsz, packets);
	for (guint i = 0; i < packets->len; i++)
		g_queue_push_tail(&sim->dump_in, g_bytes_ref(g_ptr_array_index(packets, i)));
}

static GBytes *
ec25_sim_dump_bulk_in(gpointer user_data, gsize max_len)
{
	Ec25Sim *sim = user_data;
	GBytes *blob = g_queue_pop_head(&sim->dump_in);
	gsize blobsz;

	if (blob == NULL)
		return NULL;
	blobsz = g_bytes_get_size(blob);
	if (blobsz > max_len) {
		GBytes *head = g_bytes_new_from_bytes(blob, 0, max_len);
		g_queue_push_head(&sim->dump_in,
				  g_bytes_new_from_bytes(blob, max_len, blobsz - max_len));
		g_bytes_unref(blob);
		return head;
	}
	return blob;
}

static void
ec25_sim_dump_changed(gpointer user_data)
{
	Ec25Sim *sim = user_data;
	if (sim->module->dump_reset_requested) {
		sim->module->dump_reset_requested = FALSE;
		ec25_sim_post_event(sim, EC25_SIM_EVENT_DUMP_RESET, sim->edl_state);
	}
}

static const Ec25UsbfsBackend ec25_sim_dump_backend = {
    .bulk_out = ec25_sim_dump_bulk_out,
    .bulk_in = ec25_sim_dump_bulk_in,
    .changed = ec25_sim_dump_changed,
};

/* put an enumeration on the bus: its node handler first, then the devices (umockdev sends
 * an add uevent for each), then the serial ports */
static gboolean
ec25_sim_plug(Ec25Sim *sim,
	      Ec25UsbDevice *usb,
	      const Ec25UsbfsBackend *backend,
	      gboolean dump,
	      GError **error)
{
	const gchar *strings[] = {usb->manufacturer, usb->product, NULL};

	sim->usb = usb;
	if (backend != NULL) {
		sim->usbfs = ec25_usbfs_new(usb->descriptors,
					    strings,
					    usb->driver,
					    usb->devnum,
					    backend,
					    sim,
					    sim->module);
		if (!umockdev_testbed_attach_ioctl(sim->testbed,
						   usb->device_file,
						   UMOCKDEV_IOCTL_BASE(sim->usbfs),
						   error))
			return FALSE;
	}
	if (!umockdev_testbed_add_from_string(sim->testbed, usb->fixture, error))
		return FALSE;
	for (guint i = 0; i < usb->ports->len; i++) {
		if (!ec25_sim_serve_port(sim, g_ptr_array_index(usb->ports, i), dump, error))
			return FALSE;
	}
	return TRUE;
}

static guint
ec25_sim_next_devnum(Ec25Sim *sim)
{
	guint devnum = sim->devnum_next++;
	if (sim->devnum_next > EC25_SIM_DEVNUM_LAST)
		sim->devnum_next = EC25_SIM_DEVNUM_FIRST;
	return devnum;
}

static gboolean
ec25_sim_plug_normal(Ec25Sim *sim, GError **error)
{
	Ec25UsbDevice *usb =
	    ec25_usb_device_new_normal(sim->module, ec25_sim_next_devnum(sim), sim->tty_next);

	sim->tty_next += usb->ports->len;
	if (!ec25_sim_plug(sim, usb, NULL, FALSE, error))
		return FALSE;
	sim->module->mode = EC25_MODE_NORMAL;
	if (sim->generation > 0)
		ec25_timing_mark(sim->timing, EC25_TIMING_PHASE_VERIFY, g_get_monotonic_time());
	ec25_urc_boot(sim->module);
	ec25_module_log(sim->module,
			"mode: normal %s %s_%s on %s",
			sim->module->model,
			sim->module->revision,
			sim->module->subversion,
			usb->device_file);
	ec25_sim_save_state(sim);
	return TRUE;
}

static gboolean
ec25_sim_plug_edl(Ec25Sim *sim, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gint64 started = g_get_monotonic_time();

	sim->edl = ec25_edl_new(sim->module, sim->module->edl_fault, &error_local);
	ec25_timing_add_simulator(sim->timing, g_get_monotonic_time() - started);
	if (sim->edl == NULL) {
		/* on the bus regardless, but it never answers */
		g_printerr("ec25-sim: cannot start the EDL model: %s\n", error_local->message);
		ec25_module_log(sim->module, "edl: no model: %s", error_local->message);
	}
	sim->edl_state = EC25_EDL_STATE_SAHARA;
	sim->reset_drained = FALSE;
	ec25_timing_edl_start(sim->timing, sim->module->page_size);
	/* as the module started in EDL, the host's first Sahara transfer starts that phase */
	if (sim->generation > 0)
		ec25_timing_mark(sim->timing, EC25_TIMING_PHASE_SAHARA, g_get_monotonic_time());
	if (!ec25_sim_plug(sim,
			   ec25_usb_device_new_edl(ec25_sim_next_devnum(sim)),
			   &ec25_sim_edl_backend,
			   FALSE,
			   error))
		return FALSE;
	sim->module->mode = EC25_MODE_EDL;
	ec25_module_log(sim->module, "mode: edl on %s", sim->usb->device_file);
	ec25_sim_save_state(sim);
	return TRUE;
}

static gboolean
ec25_sim_plug_dump(Ec25Sim *sim, GError **error)
{
	g_autoptr(GPtrArray) packets =
	    g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);

	/* the bulk pipe holds a HELLO for a host that claims the interface */
	ec25_module_dump_hello(sim->module, packets);
	for (guint i = 0; i < packets->len; i++)
		g_queue_push_tail(&sim->dump_in, g_bytes_ref(g_ptr_array_index(packets, i)));
	if (!ec25_sim_plug(
		sim,
		sim->module->dump_tty
		    ? ec25_usb_device_new_dump(ec25_sim_next_devnum(sim), sim->tty_next++)
		    : ec25_usb_device_new_dump_no_tty(ec25_sim_next_devnum(sim)),
		&ec25_sim_dump_backend,
		TRUE,
		error))
		return FALSE;
	sim->module->mode = EC25_MODE_DUMP;
	ec25_module_log(sim->module, "mode: dump on %s", sim->usb->device_file);
	ec25_sim_save_state(sim);
	return TRUE;
}

/* take the enumeration off the bus: its node stops working, then every device goes,
 * deepest first, each with a remove uevent */
static void
ec25_sim_unplug(Ec25Sim *sim)
{
	g_autoptr(GPtrArray) syspaths = NULL;

	if (sim->usb == NULL)
		return;
	if (sim->usbfs != NULL) {
		g_autofree gchar *stats = NULL;
		g_autoptr(GError) error = NULL;
		ec25_usbfs_disconnect(sim->usbfs);
		stats = ec25_usbfs_get_stats(sim->usbfs);
		ec25_module_log(sim->module, "usb: %s", stats);
		if (!umockdev_testbed_detach_ioctl(sim->testbed, sim->usb->device_file, &error))
			g_warning("cannot detach %s: %s", sim->usb->device_file, error->message);
		g_clear_object(&sim->usbfs);
	}
	if (sim->edl != NULL) {
		ec25_sim_save_summary(sim);
		ec25_sim_save_timing(sim);
		g_clear_pointer(&sim->edl, ec25_edl_free);
	}
	g_queue_clear_full(&sim->dump_in, (GDestroyNotify)g_bytes_unref);
	for (guint i = 0; i < sim->ports->len; i++)
		ec25_sim_port_hangup(g_ptr_array_index(sim->ports, i), sim->held_fds);
	g_ptr_array_set_size(sim->ports, 0);
	syspaths = ec25_usb_device_get_syspaths(sim->usb);
	for (guint i = 0; i < syspaths->len; i++) {
		const gchar *syspath = g_ptr_array_index(syspaths, i);
		umockdev_testbed_uevent(sim->testbed, syspath, "remove");
		umockdev_testbed_remove_device(sim->testbed, syspath);
	}
	ec25_module_log(sim->module, "usb: %s left the bus", sim->usb->device_file);
	g_clear_pointer(&sim->usb, ec25_usb_device_free);
	sim->generation++;
}

/* what the module comes up as after a reset */
static Ec25Mode
ec25_sim_boot_mode(Ec25Sim *sim)
{
	g_autoptr(GError) error = NULL;

	if (sim->boot == EC25_SIM_BOOT_EDL)
		return EC25_MODE_EDL;
	if (sim->boot == EC25_SIM_BOOT_DUMP || sim->module->dump_flag)
		return EC25_MODE_DUMP;
	if (!ec25_fault_boot(sim->module, &error)) {
		ec25_module_log(sim->module,
				"boot: %s; the PBL falls back to download mode",
				error->message);
		return EC25_MODE_EDL;
	}
	ec25_module_log(sim->module,
			"boot: %s_%s from NAND",
			sim->module->revision,
			sim->module->subversion);
	return EC25_MODE_NORMAL;
}

static gboolean
ec25_sim_plug_mode(Ec25Sim *sim, Ec25Mode mode, GError **error)
{
	if (mode == EC25_MODE_EDL)
		return ec25_sim_plug_edl(sim, error);
	if (mode == EC25_MODE_DUMP)
		return ec25_sim_plug_dump(sim, error);
	return ec25_sim_plug_normal(sim, error);
}

static gboolean
ec25_sim_boot_cb(gpointer user_data)
{
	Ec25Sim *sim = user_data;
	g_autoptr(GError) error = NULL;
	gint64 started = g_get_monotonic_time();
	Ec25Mode mode;

	sim->transition_id = 0;
	sim->rebooting = FALSE;
	sim->leaving = FALSE;
	if (sim->boot == EC25_SIM_BOOT_NAND && ec25_fault_is(sim->module, EC25_FAULT_NO_BOOT) &&
	    !sim->module->fault_fired) {
		sim->module->fault_fired = TRUE;
		ec25_module_log(sim->module,
				"boot: hangs, the module stays off USB until power-cycled (fault)");
		return G_SOURCE_REMOVE;
	}
	if (sim->boot == EC25_SIM_BOOT_EDL && ec25_fault_is(sim->module, EC25_FAULT_EDL_GONE) &&
	    !sim->module->fault_fired) {
		sim->module->fault_fired = TRUE;
		ec25_module_log(
		    sim->module,
		    "boot: no EDL, the module stays off USB until power-cycled (fault)");
		return G_SOURCE_REMOVE;
	}
	mode = ec25_sim_boot_mode(sim);
	ec25_timing_add_simulator(sim->timing, g_get_monotonic_time() - started);
	if (!ec25_sim_plug_mode(sim, mode, &error)) {
		/* nothing on the bus: the host under test sees no device */
		g_printerr("ec25-sim: cannot re-enumerate: %s\n", error->message);
		ec25_module_log(sim->module, "usb: cannot re-enumerate: %s", error->message);
		ec25_sim_unplug(sim);
	}
	return G_SOURCE_REMOVE;
}

static gboolean
ec25_sim_drop_cb(gpointer user_data)
{
	Ec25Sim *sim = user_data;
	gint64 now;

	ec25_sim_unplug(sim);
	now = g_get_monotonic_time();
	if (sim->boot == EC25_SIM_BOOT_NAND)
		ec25_timing_mark(sim->timing, EC25_TIMING_PHASE_BOOT, now);
	sim->transition_id =
	    g_timeout_add(sim->boot_at > now ? (sim->boot_at - now + 999) / 1000 : 0,
			  ec25_sim_boot_cb,
			  sim);
	return G_SOURCE_REMOVE;
}

/* the module resets: it leaves the bus after @drop_ms at the latest and is back @total_ms
 * after now, or right after leaving if that is later */
static void
ec25_sim_reboot(Ec25Sim *sim, guint drop_ms, guint total_ms, Ec25SimBoot boot)
{
	if (sim->rebooting)
		return;
	sim->rebooting = TRUE;
	sim->leaving = TRUE;
	sim->boot = boot;
	sim->boot_at = g_get_monotonic_time() + (gint64)total_ms * 1000;
	g_clear_handle_id(&sim->transition_id, g_source_remove);
	sim->transition_id = g_timeout_add(drop_ms, ec25_sim_drop_cb, sim);
}

static void
ec25_sim_child_exited_cb(GPid pid, gint status, gpointer user_data)
{
	Ec25Sim *sim = user_data;
	sim->child_status = status;
	g_spawn_close_pid(pid);
	g_main_loop_quit(sim->loop);
}

static gboolean
ec25_sim_spawn(Ec25Sim *sim, gchar **argv, GError **error)
{
	GPid pid = 0;
	const gchar *preload = g_getenv("LD_PRELOAD");
	g_autofree gchar *root = umockdev_testbed_get_root_dir(sim->testbed);
	g_auto(GStrv) envp = g_get_environ();

	if (preload == NULL || strstr(preload, EC25_SIM_PRELOAD_MATCH) == NULL) {
		g_autofree gchar *preload_new =
		    preload != NULL && preload[0] != '\0'
			? g_strdup_printf("%s:%s", EC25_SIM_PRELOAD, preload)
			: g_strdup(EC25_SIM_PRELOAD);
		envp = g_environ_setenv(envp, "LD_PRELOAD", preload_new, TRUE);
	}
	envp = g_environ_setenv(envp, "UMOCKDEV_DIR", root, TRUE);
	if (!g_spawn_async(NULL,
			   argv,
			   envp,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			       G_SPAWN_CHILD_INHERITS_STDIN,
			   NULL,
			   NULL,
			   &pid,
			   error))
		return FALSE;
	g_child_watch_add(pid, ec25_sim_child_exited_cb, sim);
	return TRUE;
}

/*
 * umockdev sends uevents through libudev, which only finds the testbed's /sys under the
 * preload: run the simulator itself under it, as umockdev-wrapper would.
 */
static void
ec25_sim_reexec_under_preload(gchar **argv)
{
	const gchar *preload = g_getenv("LD_PRELOAD");
	const gchar *asan = g_getenv("ASAN_OPTIONS");
	g_autofree gchar *preload_new = NULL;

	if (preload != NULL && strstr(preload, EC25_SIM_PRELOAD_MATCH) != NULL)
		return;
	preload_new = preload != NULL && preload[0] != '\0'
			  ? g_strdup_printf("%s:%s", EC25_SIM_PRELOAD, preload)
			  : g_strdup(EC25_SIM_PRELOAD);
	g_setenv("LD_PRELOAD", preload_new, TRUE);
	/* a sanitizer build would refuse a library loaded before its runtime */
	if (asan == NULL || strstr(asan, "verify_asan_link_order") == NULL) {
		g_autofree gchar *asan_new =
		    asan != NULL && asan[0] != '\0'
			? g_strdup_printf("%s:%s", asan, EC25_SIM_ASAN_LINK_ORDER)
			: g_strdup(EC25_SIM_ASAN_LINK_ORDER);
		g_setenv("ASAN_OPTIONS", asan_new, TRUE);
	}
	execv("/proc/self/exe", argv);
	g_printerr("ec25-sim: cannot re-execute under %s: %s\n",
		   EC25_SIM_PRELOAD,
		   g_strerror(errno));
	exit(EC25_SIM_EXIT_SETUP);
}

static gboolean
ec25_sim_parse_layout(const gchar *option_name, const gchar *value, gpointer data, GError **error)
{
	Ec25Module *module = data;
	if (g_strcmp0(value, "qmi") == 0) {
		module->layout = EC25_USB_LAYOUT_QMI;
		return TRUE;
	}
	if (g_strcmp0(value, "rndis") == 0) {
		module->layout = EC25_USB_LAYOUT_RNDIS;
		return TRUE;
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    "--usb-layout is qmi or rndis, not %s",
		    value);
	return FALSE;
}

static gboolean
ec25_sim_parse_at_fault(const gchar *option_name, const gchar *value, gpointer data, GError **error)
{
	Ec25Module *module = data;
	const gchar *names[] = {"none", "silent", "garbage", "no-qgmr"};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		if (g_strcmp0(value, names[i]) == 0) {
			module->at_fault = i;
			return TRUE;
		}
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    "--at-fault is none, silent, garbage or no-qgmr, not %s",
		    value);
	return FALSE;
}

static gboolean
ec25_sim_parse_edl_fault(const gchar *option_name,
			 const gchar *value,
			 gpointer data,
			 GError **error)
{
	Ec25Module *module = data;
	const struct {
		const gchar *name;
		Ec25EdlFault fault;
	} faults[] = {
	    {"none", EC25_EDL_FAULT_NONE},
	    {"hello-consumed", EC25_EDL_FAULT_HELLO_CONSUMED},
	    {"end-of-image", EC25_EDL_FAULT_END_OF_IMAGE},
	    {"configure-small", EC25_EDL_FAULT_CONFIGURE_SMALL},
	    {"stall-program", EC25_EDL_FAULT_STALL_PROGRAM},
	};
	for (guint i = 0; i < G_N_ELEMENTS(faults); i++) {
		if (g_strcmp0(value, faults[i].name) == 0) {
			module->edl_fault = faults[i].fault;
			return TRUE;
		}
	}
	g_set_error(error,
		    G_OPTION_ERROR,
		    G_OPTION_ERROR_BAD_VALUE,
		    "--edl-fault is hello-consumed, end-of-image, configure-small or "
		    "stall-program, not %s",
		    value);
	return FALSE;
}

/* a non-negative integer option into a module field */
static gboolean
ec25_sim_set_uint(const gchar *name, gint value, guint minimum, guint *field, GError **error)
{
	if (value < 0)
		return TRUE; /* not given */
	if ((guint)value < minimum) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "--%s must be at least %u",
			    name,
			    minimum);
		return FALSE;
	}
	*field = value;
	return TRUE;
}

/* the DIAG switch is part of the EDL delay: half of it unless given */
static gboolean
ec25_sim_set_diag_switch(Ec25Module *module, gint value, GError **error)
{
	if (value < 0) {
		module->diag_switch_ms = module->edl_delay_ms / 2;
		return TRUE;
	}
	if ((guint)value > module->edl_delay_ms) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "--diag-switch-ms must not exceed --edl-delay-ms (%u)",
			    module->edl_delay_ms);
		return FALSE;
	}
	module->diag_switch_ms = value;
	return TRUE;
}

static gboolean
ec25_sim_check_identity(Ec25Module *module, GError **error)
{
	if (g_strcmp0(module->model, "EC25") != 0 && g_strcmp0(module->model, "EG25") != 0) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "--model is EC25 or EG25, not %s",
			    module->model);
		return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	gchar *model = NULL;
	gchar *revision = NULL;
	gchar *subversion = NULL;
	gchar *imei = NULL;
	gchar *state_dir = NULL;
	gchar *log_fn = NULL;
	gboolean verbose = FALSE;
	gchar **command = NULL;
	gint max_payload = -1;
	gint edl_delay_ms = -1;
	gint reboot_ms = -1;
	gint link_mbps = -1;
	gint nand_mbps = -1;
	gint transfer_us = -1;
	gint erase_us = -1;
	gint diag_switch_ms = -1;
	gchar *functions_log = NULL;
	gchar *start_mode = NULL;
	g_autoptr(Ec25Module) module = NULL;
	g_autoptr(GOptionContext) context = NULL;
	Ec25FaultOptions fault_opts = {0};
	GOptionGroup *group;
	g_autoptr(GError) error = NULL;
	Ec25Sim sim = {0};
	const GOptionEntry entries[] = {
	    {"model", 0, 0, G_OPTION_ARG_STRING, &model, "EC25 or EG25", "MODEL"},
	    {"revision", 0, 0, G_OPTION_ARG_STRING, &revision, "e.g. EC25EFAR06A08M4G", "REV"},
	    {"subversion", 0, 0, G_OPTION_ARG_STRING, &subversion, "e.g. 01.001.01.001", "SUB"},
	    {"imei", 0, 0, G_OPTION_ARG_STRING, &imei, "15 digits", "IMEI"},
	    {"usb-layout",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_sim_parse_layout,
	     "qmi (default) or rndis",
	     "LAYOUT"},
	    {"state", 0, 0, G_OPTION_ARG_FILENAME, &state_dir, "persistent module state", "DIR"},
	    {"start-mode",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &start_mode,
	     "normal, edl or dump (default: as the state left it, else normal)",
	     "MODE"},
	    {"at-fault",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_sim_parse_at_fault,
	     "silent, garbage or no-qgmr",
	     "FAULT"},
	    {"urc",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_urc_parse_option,
	     "unsolicited result codes: boot, before-echo, after-echo, before-final, "
	     "after-final, all or random",
	     "POINTS"},
	    {"urc-seed",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_urc_parse_option,
	     "seed of the URC generator (reproducible runs)",
	     "SEED"},
	    {"edl-fault",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_sim_parse_edl_fault,
	     "hello-consumed, end-of-image, configure-small or stall-program",
	     "FAULT"},
	    {"max-payload",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &max_payload,
	     "largest Firehose payload the programmer accepts (8192)",
	     "BYTES"},
	    {"edl-delay-ms",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &edl_delay_ms,
	     "DIAG download command to 05c6:9008 on the bus (200)",
	     "MS"},
	    {"reboot-ms",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &reboot_ms,
	     "reset to the module back on the bus (300)",
	     "MS"},
	    {"link-mbps",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &link_mbps,
	     "timing model: USB throughput (default: off)",
	     "MBPS"},
	    {"nand-mbps",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &nand_mbps,
	     "timing model: NAND program throughput (default: off)",
	     "MBPS"},
	    {"transfer-us",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &transfer_us,
	     "timing model: cost of each bulk transfer (default: 0)",
	     "US"},
	    {"erase-us",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &erase_us,
	     "timing model: erase time per block, with --nand-mbps (2000)",
	     "US"},
	    {"diag-switch-ms",
	     0,
	     0,
	     G_OPTION_ARG_INT,
	     &diag_switch_ms,
	     "DIAG download command to the module off the bus; the rest of --edl-delay-ms is "
	     "the EDL boot (half of it)",
	     "MS"},
	    {"functions-log",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &functions_log,
	     "how the programmer lists its functions: per-line (default) or single-line",
	     "FORM"},

	    {"tty-ioctls",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &sim.tty_ioctls,
	     "serve the tty ioctls ModemManager needs (TIOCEXCL, TIOCM*, TCFLSH)",
	     NULL},
	    {"log", 0, 0, G_OPTION_ARG_FILENAME, &log_fn, "log what the module sees", "FILE"},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "log to stderr too", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, "COMMAND..."},
	    {NULL}};

	ec25_sim_reexec_under_preload(argv);

	/* the preload sleeps after every emulated ioctl: with the default 50 µs timer slack a
	 * bulk transfer through usbdevfs costs far more than on a real bus (inherited by
	 * COMMAND and by umockdev's ioctl thread) */
	if (prctl(PR_SET_TIMERSLACK, 1UL) != 0)
		g_printerr("ec25-sim: cannot lower the timer slack: %s\n", g_strerror(errno));

	module = ec25_module_new();
	context = g_option_context_new("-- COMMAND... - run COMMAND against a simulated EC25/EG25");
	group =
	    g_option_group_new("ec25-sim", "Simulated module", "Simulated module", module, NULL);
	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(context, group);
	g_option_context_add_group(context, ec25_fault_option_group(&fault_opts));
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	if (start_mode != NULL && !ec25_module_mode_from_string(start_mode, &module->mode)) {
		g_printerr("ec25-sim: --start-mode is normal, edl or dump, not %s\n", start_mode);
		return EC25_SIM_EXIT_SETUP;
	}
	if ((command == NULL || command[0] == NULL) && !fault_opts.power_cycle &&
	    !fault_opts.usb_boot) {
		g_printerr("ec25-sim: no COMMAND given (ec25-sim [OPTIONS] -- COMMAND...)\n");
		return EC25_SIM_EXIT_SETUP;
	}

	/* the state folder first, then what the command line says */
	module->verbose = verbose;
	if (state_dir != NULL) {
		if (g_mkdir_with_parents(state_dir, 0755) != 0) {
			g_printerr("ec25-sim: cannot create %s: %s\n",
				   state_dir,
				   g_strerror(errno));
			return EC25_SIM_EXIT_SETUP;
		}
		module->state_dir = g_strdup(state_dir);
		if (log_fn == NULL)
			log_fn = g_build_filename(state_dir, "sim.log", NULL);
	}
	if (!ec25_module_load_state(module, &error)) {
		g_printerr("ec25-sim: cannot load the module state: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	if (start_mode != NULL)
		ec25_module_mode_from_string(start_mode, &module->mode);
	if (model != NULL) {
		g_free(module->model);
		module->model = g_ascii_strup(model, -1);
	}
	if (revision != NULL) {
		g_free(module->revision);
		module->revision = g_strdup(revision);
	} else if (model != NULL && g_strcmp0(module->model, "EG25") == 0) {
		g_free(module->revision);
		module->revision = g_strdup("EG25GGBR07A08M2G");
	}
	if (subversion != NULL) {
		g_free(module->subversion);
		module->subversion = g_strdup(subversion);
	}
	if (imei != NULL) {
		g_free(module->imei);
		module->imei = g_strdup(imei);
	}
	ec25_module_set_default_geometry(module);
	if (!ec25_sim_check_identity(module, &error) ||
	    !ec25_sim_set_uint("max-payload", max_payload, 1, &module->max_payload, &error) ||
	    !ec25_sim_set_uint("edl-delay-ms", edl_delay_ms, 0, &module->edl_delay_ms, &error) ||
	    !ec25_sim_set_uint("reboot-ms", reboot_ms, 0, &module->reboot_ms, &error) ||
	    !ec25_sim_set_uint("link-mbps", link_mbps, 0, &module->link_mbps, &error) ||
	    !ec25_sim_set_uint("nand-mbps", nand_mbps, 0, &module->nand_mbps, &error) ||
	    !ec25_sim_set_uint("transfer-us", transfer_us, 0, &module->transfer_us, &error) ||
	    !ec25_sim_set_uint("erase-us", erase_us, 0, &module->erase_us, &error) ||
	    !ec25_sim_set_diag_switch(module, diag_switch_ms, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	if (functions_log != NULL) {
		if (g_strcmp0(functions_log, "single-line") != 0 &&
		    g_strcmp0(functions_log, "per-line") != 0) {
			g_printerr("ec25-sim: --functions-log is per-line or single-line, not %s\n",
				   functions_log);
			return EC25_SIM_EXIT_SETUP;
		}
		module->functions_single_line = g_strcmp0(functions_log, "single-line") == 0;
	}
	if (log_fn != NULL) {
		module->log = fopen(log_fn, "a");
		if (module->log == NULL) {
			g_printerr("ec25-sim: cannot open %s: %s\n", log_fn, g_strerror(errno));
			return EC25_SIM_EXIT_SETUP;
		}
	}
	if (!ec25_fault_options_apply(&fault_opts, module, start_mode != NULL, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	ec25_fault_options_clear(&fault_opts);
	if (command == NULL || command[0] == NULL) {
		/* only an operation on the state folder */
		if (!ec25_module_save_state(module, &error)) {
			g_printerr("ec25-sim: cannot save the module state: %s\n", error->message);
			return EC25_SIM_EXIT_SETUP;
		}
		g_strfreev(command);
		g_free(start_mode);
		g_free(model);
		g_free(revision);
		g_free(subversion);
		g_free(imei);
		g_free(state_dir);
		g_free(log_fn);
		return EXIT_SUCCESS;
	}

	/* the testbed, with the module plugged in the mode it starts in */
	sim.module = module;
	sim.loop = g_main_loop_new(NULL, FALSE);
	sim.ports = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_sim_port_free);
	sim.held_fds = g_array_new(FALSE, FALSE, sizeof(gint));
	sim.devnum_next = EC25_SIM_DEVNUM_FIRST;
	sim.testbed = umockdev_testbed_new();
	sim.timing = ec25_timing_new(module);
	ec25_timing_mark(sim.timing, EC25_TIMING_PHASE_STARTUP, g_get_monotonic_time());
	if (!ec25_sim_plug_mode(&sim, module->mode, &error) ||
	    !ec25_sim_spawn(&sim, command, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	g_main_loop_run(sim.loop);

	/* the host is gone: a reboot in progress completes, the rest stays as it is */
	g_clear_handle_id(&sim.transition_id, g_source_remove);
	if (sim.usbfs != NULL)
		ec25_usbfs_disconnect(sim.usbfs);
	if (sim.edl != NULL) {
		/* a programmer left running (or stalled) is still there for the next host */
		if (!sim.rebooting)
			module->edl_stage = ec25_edl_get_stage(sim.edl);
		ec25_sim_save_summary(&sim);
		g_clear_pointer(&sim.edl, ec25_edl_free);
	}
	if (sim.rebooting)
		module->mode = ec25_sim_boot_mode(&sim);
	ec25_sim_save_state(&sim);
	ec25_sim_save_timing(&sim);
	ec25_timing_free(sim.timing);

	g_clear_object(&sim.usbfs);
	g_ptr_array_unref(sim.ports);
	g_clear_pointer(&sim.usb, ec25_usb_device_free);
	g_queue_clear_full(&sim.dump_in, (GDestroyNotify)g_bytes_unref);
	g_object_unref(sim.testbed);
	for (guint i = 0; i < sim.held_fds->len; i++)
		close(g_array_index(sim.held_fds, gint, i));
	g_array_unref(sim.held_fds);
	g_main_loop_unref(sim.loop);
	g_strfreev(command);
	g_free(start_mode);
	g_free(functions_log);
	g_free(model);
	g_free(revision);
	g_free(subversion);
	g_free(imei);
	g_free(state_dir);
	g_free(log_fn);
	if (WIFEXITED(sim.child_status))
		return WEXITSTATUS(sim.child_status);
	return 128 + WTERMSIG(sim.child_status);
}
