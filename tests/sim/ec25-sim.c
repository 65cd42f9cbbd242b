/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * ec25-sim [OPTIONS] -- COMMAND...
 *
 * Builds a umockdev testbed holding one simulated Quectel EC25/EG25, runs COMMAND under the
 * umockdev preload so that it sees the module in /sys and /dev, serves the module's ports
 * until COMMAND exits, and exits with COMMAND's status.
 */

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <umockdev.h>
#include <unistd.h>

#include "ec25-module.h"
#include "ec25-usb.h"

#define EC25_SIM_PRELOAD    "libumockdev-preload.so.0"
#define EC25_SIM_READ_CHUNK 4096
#define EC25_SIM_EXIT_SETUP 125 /* like env(1): the simulator itself failed */
#define EC25_SIM_USB_DEVNUM 2

typedef struct {
	Ec25Module *module;
	UMockdevTestbed *testbed;
	GMainLoop *loop;
	GPtrArray *ports; /* of Ec25SimPort */
	gint child_status;
} Ec25Sim;

typedef struct {
	Ec25Sim *sim;
	Ec25Port port;
	gchar *device_file;
	gint master_fd;
	gint slave_fd; /* held open so the master never reads EIO between clients */
	guint source_id;
} Ec25SimPort;

static void
ec25_sim_port_free(Ec25SimPort *port)
{
	if (port->source_id != 0)
		g_source_remove(port->source_id);
	if (port->slave_fd >= 0)
		close(port->slave_fd);
	g_free(port->device_file);
	g_free(port);
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

static gboolean
ec25_sim_port_input_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	Ec25SimPort *port = user_data;
	guint8 buf[EC25_SIM_READ_CHUNK];
	gssize rc;
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;

	rc = read(fd, buf, sizeof(buf));
	if (rc <= 0)
		return G_SOURCE_CONTINUE;
	ec25_module_port_input(port->sim->module, port->port, buf, rc, out);
	if (out->len > 0 && !ec25_sim_write_all(fd, out->data, out->len, &error))
		ec25_module_log(port->sim->module, "%s: %s", port->device_file, error->message);
	return G_SOURCE_CONTINUE;
}

static gboolean
ec25_sim_serve_port(Ec25Sim *sim, Ec25UsbSerialPort *usb_port, GError **error)
{
	Ec25SimPort *port = g_new0(Ec25SimPort, 1);
	g_autofree gchar *node = NULL;
	g_autofree gchar *pts = NULL;

	port->sim = sim;
	port->port = usb_port->port;
	port->device_file = g_strdup(usb_port->device_file);
	port->slave_fd = -1;
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
	node = g_build_filename(umockdev_testbed_get_root_dir(sim->testbed),
				usb_port->device_file,
				NULL);
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
	port->source_id = g_unix_fd_add(port->master_fd, G_IO_IN, ec25_sim_port_input_cb, port);
	ec25_module_log(sim->module,
			"port: %s is %s",
			usb_port->device_file,
			ec25_module_port_name(usb_port->port));
	return TRUE;
}

static gboolean
ec25_sim_plug_normal(Ec25Sim *sim, GError **error)
{
	g_autofree gchar *fixture = NULL;
	g_autoptr(GPtrArray) usb_ports =
	    g_ptr_array_new_with_free_func((GDestroyNotify)ec25_usb_serial_port_free);

	fixture = ec25_usb_fixture_normal(sim->module, EC25_SIM_USB_DEVNUM, 0, usb_ports);
	if (!umockdev_testbed_add_from_string(sim->testbed, fixture, error))
		return FALSE;
	for (guint i = 0; i < usb_ports->len; i++) {
		if (!ec25_sim_serve_port(sim, g_ptr_array_index(usb_ports, i), error))
			return FALSE;
	}
	ec25_module_log(sim->module,
			"mode: normal %s %s_%s",
			sim->module->model,
			sim->module->revision,
			sim->module->subversion);
	return TRUE;
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
	g_autofree gchar *preload_new = NULL;
	g_auto(GStrv) envp = g_get_environ();

	preload_new = preload != NULL && preload[0] != '\0'
			  ? g_strdup_printf("%s:%s", EC25_SIM_PRELOAD, preload)
			  : g_strdup(EC25_SIM_PRELOAD);
	envp = g_environ_setenv(envp, "LD_PRELOAD", preload_new, TRUE);
	envp = g_environ_setenv(envp,
				"UMOCKDEV_DIR",
				umockdev_testbed_get_root_dir(sim->testbed),
				TRUE);
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
	g_autoptr(Ec25Module) module = ec25_module_new();
	g_autoptr(GOptionContext) context = NULL;
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
	    {"at-fault",
	     0,
	     0,
	     G_OPTION_ARG_CALLBACK,
	     ec25_sim_parse_at_fault,
	     "silent, garbage or no-qgmr",
	     "FAULT"},
	    {"log", 0, 0, G_OPTION_ARG_FILENAME, &log_fn, "log what the module sees", "FILE"},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "log to stderr too", NULL},
	    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &command, NULL, "COMMAND..."},
	    {NULL}};

	context = g_option_context_new("-- COMMAND... - run COMMAND against a simulated EC25/EG25");
	group =
	    g_option_group_new("ec25-sim", "Simulated module", "Simulated module", module, NULL);
	g_option_group_add_entries(group, entries);
	g_option_context_set_main_group(context, group);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	if (command == NULL || command[0] == NULL) {
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
	if (!ec25_sim_check_identity(module, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	if (log_fn != NULL) {
		module->log = fopen(log_fn, "a");
		if (module->log == NULL) {
			g_printerr("ec25-sim: cannot open %s: %s\n", log_fn, g_strerror(errno));
			return EC25_SIM_EXIT_SETUP;
		}
	}

	/* the testbed, with the module plugged in normal mode */
	sim.module = module;
	sim.loop = g_main_loop_new(NULL, FALSE);
	sim.ports = g_ptr_array_new_with_free_func((GDestroyNotify)ec25_sim_port_free);
	sim.testbed = umockdev_testbed_new();
	if (!ec25_sim_plug_normal(&sim, &error) || !ec25_sim_spawn(&sim, command, &error)) {
		g_printerr("ec25-sim: %s\n", error->message);
		return EC25_SIM_EXIT_SETUP;
	}
	g_main_loop_run(sim.loop);

	if (!ec25_module_save_state(module, &error))
		g_printerr("ec25-sim: cannot save the module state: %s\n", error->message);
	g_ptr_array_unref(sim.ports);
	g_object_unref(sim.testbed);
	g_main_loop_unref(sim.loop);
	g_strfreev(command);
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
