/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Faults at every phase of an update, module variants and power cycles.
 *
 * --fault KIND[:ARG] (one per run, not persisted):
 *   diag-no-echo          the DIAG EDL command switches the module but is not echoed
 *   diag-no-reenum        the command is echoed but the module stays in normal mode
 *   hello-lost            the PBL's HELLO was read by someone else (= --edl-fault hello-consumed)
 *   end-of-image          END_OF_IMAGE with status 0x0D read data error
 *   configure-small       <configure> NAKed with a payload hint (MaxPayloadSizeToTargetInBytes
 *                         4096; = --edl-fault configure-small)
 *   configure-nak         every <configure> NAKed, no payload hint in the response
 *   program-nak:SEL       the selected <program> is NAKed (before raw mode)
 *   raw-stall:SEL         the programmer stops answering in the data of the selected program
 *                         (raw-stall:2 = --edl-fault stall-program); a power cycle revives it
 *   power-loss:SEL[:N]    the power goes after N bytes of the selected program reached the
 *                         NAND (default: half of the program; "end": all of it, before the
 *                         answer); the module drops off the bus and, when the power returns,
 *                         boots what the NAND holds (PBL EDL when the SBL is erased or partial)
 *   xml-garbage[:CMD]     the answer to the first <CMD> (default configure) is binary noise
 *   xml-truncated[:CMD]   the answer to the first <CMD> is cut in the middle of its XML
 *   log-flood[:N]         N (default 500, at most 1000) <log> lines before the answer to the
 *                         first <configure>
 *   reset-ignored         <power value="reset"/> is ACKed, the programmer keeps running
 *   old-revision          the first boot after the NAND changed reports the revision the
 *                         module had before (module.ini keeps it)
 *   no-boot               the first boot from NAND after a reset in EDL hangs: the module
 *                         leaves USB and stays off it until a power cycle (module.ini keeps
 *                         the mode it left in)
 *   edl-gone              the DIAG EDL command is echoed and the module leaves normal mode,
 *                         but it does not show up in EDL: it stays off USB until a power
 *                         cycle (module.ini keeps normal mode)
 * SEL selects a <program> in command order: a number (1 = the first), or its label (sbl,
 * mibib, modem, ...; compared case-insensitively; a "0:" prefix of the program's label is
 * ignored, SEL itself has none since ':' separates the arguments).
 *
 * Module variants (persisted in the state folder's module.ini):
 *   --chip-serial HEX     the serial number Sahara command mode reads (0x01) and the programmer
 *                         logs; default derived from the IMEI
 *   --hw-id HEX           the MSM ID in the MSM HW ID (0x02): 0x000480E1 (MDM9607 family) by
 *                         default; another value is a chip the plugin must leave alone
 *   --layout-shift NAME   a new NAND's factory partition table has partition NAME (e.g.
 *                         modem) one block larger and the next one a block later: the table
 *                         of another variant of the model
 *   --dump-kind KIND      persists (default): the dump flag survives Sahara RESET and power
 *                         cycles until the module is started with --usb-boot and the
 *                         programmer erases or programs the NAND; clears: RESET or a power
 *                         cycle clears it and the module boots its NAND
 *   --dump-tty yes|no     whether the option driver binds the dump interface as a tty
 *                         (default yes); without, only usbfs reaches it
 *   --programmer-running  the module is in EDL with the Firehose programmer running (a host
 *                         crashed mid-update): no HELLO, a HELLO_RESP is answered with XML
 *
 * Operations on the state folder (without COMMAND the simulator applies them and exits):
 *   --power-cycle         what removing and restoring power does: the programmer (IMEM) is
 *                         gone; a persistent dump flag stays (dump mode again); otherwise the
 *                         module boots its NAND: normal mode with the flashed revision, or PBL
 *                         EDL when the SBL or the chain is erased or partial
 *   --usb-boot            a power cycle with USB_BOOT held: the module starts in PBL EDL
 *                         whatever the flash holds (the pin is released once it is up)
 *
 * Also persisted: a run that ends with the programmer running (or stalled) leaves it so for
 * the next run on the same state folder, until a power cycle, a reset, or --start-mode.
 */

#include "ec25-fault.h"

#include <gio/gio.h>
#include <string.h>

#include "ec25-edl.h"

typedef struct {
	const gchar *name;
	Ec25Fault fault;
	guint edl_fault; /* Ec25EdlFault, for the kinds the EDL model had before */
	gboolean needs_arg;
} Ec25FaultKind;

static const Ec25FaultKind ec25_fault_kinds[] = {
    {"diag-no-echo", EC25_FAULT_DIAG_NO_ECHO, EC25_EDL_FAULT_NONE, FALSE},
    {"diag-no-reenum", EC25_FAULT_DIAG_NO_REENUM, EC25_EDL_FAULT_NONE, FALSE},
    {"hello-lost", EC25_FAULT_NONE, EC25_EDL_FAULT_HELLO_CONSUMED, FALSE},
    {"end-of-image", EC25_FAULT_NONE, EC25_EDL_FAULT_END_OF_IMAGE, FALSE},
    {"configure-small", EC25_FAULT_NONE, EC25_EDL_FAULT_CONFIGURE_SMALL, FALSE},
    {"configure-nak", EC25_FAULT_CONFIGURE_NAK, EC25_EDL_FAULT_NONE, FALSE},
    {"program-nak", EC25_FAULT_PROGRAM_NAK, EC25_EDL_FAULT_NONE, TRUE},
    {"raw-stall", EC25_FAULT_RAW_STALL, EC25_EDL_FAULT_NONE, TRUE},
    {"power-loss", EC25_FAULT_POWER_LOSS, EC25_EDL_FAULT_NONE, TRUE},
    {"xml-garbage", EC25_FAULT_XML_GARBAGE, EC25_EDL_FAULT_NONE, FALSE},
    {"xml-truncated", EC25_FAULT_XML_TRUNCATED, EC25_EDL_FAULT_NONE, FALSE},
    {"log-flood", EC25_FAULT_LOG_FLOOD, EC25_EDL_FAULT_NONE, FALSE},
    {"reset-ignored", EC25_FAULT_RESET_IGNORED, EC25_EDL_FAULT_NONE, FALSE},
    {"old-revision", EC25_FAULT_OLD_REVISION, EC25_EDL_FAULT_NONE, FALSE},
    {"no-boot", EC25_FAULT_NO_BOOT, EC25_EDL_FAULT_NONE, FALSE},
    {"edl-gone", EC25_FAULT_EDL_GONE, EC25_EDL_FAULT_NONE, FALSE},
};

/* the program selector of SEL[:N] */
static gboolean
ec25_fault_check_selector(const gchar *sel, GError **error)
{
	if (sel == NULL || sel[0] == '\0') {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "needs a program: a number from 1 or a label");
		return FALSE;
	}
	if (g_ascii_isdigit(sel[0])) {
		guint64 index = 0;
		if (!g_ascii_string_to_unsigned(sel, 10, 1, G_MAXUINT, &index, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
ec25_fault_check_arg(const Ec25FaultKind *kind, const gchar *arg, GError **error)
{
	g_auto(GStrv) parts = NULL;

	if (arg == NULL)
		return !kind->needs_arg || ec25_fault_check_selector(NULL, error);
	switch (kind->fault) {
	case EC25_FAULT_PROGRAM_NAK:
	case EC25_FAULT_RAW_STALL:
		return ec25_fault_check_selector(arg, error);
	case EC25_FAULT_POWER_LOSS:
		parts = g_strsplit(arg, ":", 2);
		if (!ec25_fault_check_selector(parts[0], error))
			return FALSE;
		if (parts[1] != NULL && g_strcmp0(parts[1], "end") != 0) {
			guint64 bytes = 0;
			return g_ascii_string_to_unsigned(parts[1],
							  10,
							  0,
							  G_MAXUINT64,
							  &bytes,
							  error);
		}
		return TRUE;
	case EC25_FAULT_XML_GARBAGE:
	case EC25_FAULT_XML_TRUNCATED:
		if (arg[0] == '\0') {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_INVALID_ARGUMENT,
					    "needs a command name");
			return FALSE;
		}
		return TRUE;
	case EC25_FAULT_LOG_FLOOD: {
		guint64 count = 0;
		return g_ascii_string_to_unsigned(arg,
						  10,
						  1,
						  EC25_FAULT_LOG_FLOOD_MAX,
						  &count,
						  error);
	}
	default:
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "takes no argument");
		return FALSE;
	}
}

gboolean
ec25_fault_parse(Ec25Module *module, const gchar *spec, GError **error)
{
	g_auto(GStrv) parts = g_strsplit(spec, ":", 2);
	g_autoptr(GString) names = g_string_new(NULL);

	for (guint i = 0; i < G_N_ELEMENTS(ec25_fault_kinds); i++) {
		const Ec25FaultKind *kind = &ec25_fault_kinds[i];
		if (g_strcmp0(parts[0], kind->name) != 0)
			continue;
		if (!ec25_fault_check_arg(kind, parts[1], error)) {
			g_prefix_error(error, "--fault %s: ", spec);
			return FALSE;
		}
		module->fault = kind->fault;
		if (kind->edl_fault != EC25_EDL_FAULT_NONE)
			module->edl_fault = kind->edl_fault;
		g_free(module->fault_arg);
		module->fault_arg = g_strdup(parts[1]);
		module->fault_fired = FALSE;
		return TRUE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(ec25_fault_kinds); i++)
		g_string_append_printf(names, "%s%s", i > 0 ? ", " : "", ec25_fault_kinds[i].name);
	g_set_error(error,
		    G_IO_ERROR,
		    G_IO_ERROR_INVALID_ARGUMENT,
		    "--fault %s: unknown fault, expected one of %s",
		    spec,
		    names->str);
	return FALSE;
}

gboolean
ec25_fault_is(Ec25Module *module, Ec25Fault fault)
{
	return module->fault == fault;
}

gboolean
ec25_fault_match_program(Ec25Module *module, guint index, const gchar *label)
{
	g_auto(GStrv) parts = NULL;
	const gchar *sel;

	if (module->fault_arg == NULL)
		return FALSE;
	parts = g_strsplit(module->fault_arg, ":", 2);
	sel = parts[0];
	if (g_ascii_isdigit(sel[0]))
		return g_ascii_strtoull(sel, NULL, 10) == index;
	if (label == NULL)
		return FALSE;
	if (g_str_has_prefix(label, "0:"))
		label += 2;
	return g_ascii_strcasecmp(label, sel) == 0;
}

guint64
ec25_fault_power_loss_bytes(Ec25Module *module, guint64 total)
{
	g_auto(GStrv) parts = NULL;

	if (module->fault_arg == NULL)
		return total / 2;
	parts = g_strsplit(module->fault_arg, ":", 2);
	if (parts[1] == NULL)
		return total / 2;
	if (g_strcmp0(parts[1], "end") == 0)
		return G_MAXUINT64;
	return MIN(g_ascii_strtoull(parts[1], NULL, 10), total);
}

const gchar *
ec25_fault_xml_command(Ec25Module *module)
{
	return module->fault_arg != NULL ? module->fault_arg : EC25_FAULT_XML_COMMAND_DEFAULT;
}

guint
ec25_fault_log_flood_count(Ec25Module *module)
{
	if (module->fault_arg == NULL)
		return EC25_FAULT_LOG_FLOOD_DEFAULT;
	return (guint)MIN(g_ascii_strtoull(module->fault_arg, NULL, 10), EC25_FAULT_LOG_FLOOD_MAX);
}

void
ec25_fault_finish_identity(Ec25Module *module)
{
	if (module->chip_serial == 0)
		module->chip_serial = g_str_hash(module->imei != NULL ? module->imei : "");
	if (module->msm_hw_id == 0)
		module->msm_hw_id = EC25_FAULT_MSM_HW_ID_MDM9607;
}

gboolean
ec25_fault_boot(Ec25Module *module, GError **error)
{
	g_autofree gchar *revision = g_strdup(module->revision);
	g_autofree gchar *subversion = g_strdup(module->subversion);

	if (!ec25_edl_boot_nand(module, error))
		return FALSE;
	if (module->fault == EC25_FAULT_OLD_REVISION && !module->fault_fired &&
	    (g_strcmp0(revision, module->revision) != 0 ||
	     g_strcmp0(subversion, module->subversion) != 0)) {
		ec25_module_log(module,
				"boot: %s_%s flashed, back on %s_%s (fault)",
				module->revision,
				module->subversion,
				revision,
				subversion);
		g_free(module->revision);
		g_free(module->subversion);
		module->revision = g_steal_pointer(&revision);
		module->subversion = g_steal_pointer(&subversion);
		module->fault_fired = TRUE;
	}
	return TRUE;
}

void
ec25_fault_power_cycle(Ec25Module *module, gboolean usb_boot)
{
	g_autoptr(GError) error = NULL;

	module->edl_stage = EC25_EDL_STAGE_PBL;
	if (module->dump_kind == EC25_DUMP_CLEARS)
		module->dump_flag = FALSE;
	if (usb_boot) {
		module->mode = EC25_MODE_EDL;
		ec25_module_log(module, "power: cycled with USB_BOOT held, PBL EDL");
		return;
	}
	if (module->dump_flag) {
		module->mode = EC25_MODE_DUMP;
		ec25_module_log(module, "power: cycled, the dump flag persists: dump mode");
		return;
	}
	if (!ec25_fault_boot(module, &error)) {
		module->mode = EC25_MODE_EDL;
		ec25_module_log(module,
				"power: cycled, %s; the PBL falls back to download mode",
				error->message);
		return;
	}
	module->mode = EC25_MODE_NORMAL;
	ec25_module_log(module,
			"power: cycled, boots %s_%s from NAND",
			module->revision,
			module->subversion);
}

/* --- the command line --------------------------------------------------------------------- */

static gboolean
ec25_fault_parse_hex(const gchar *option, const gchar *str, guint32 *value, GError **error)
{
	guint64 tmp = 0;
	const gchar *digits = str;

	if (g_str_has_prefix(digits, "0x") || g_str_has_prefix(digits, "0X"))
		digits += 2;
	if (!g_ascii_string_to_unsigned(digits, 16, 1, G_MAXUINT32, &tmp, NULL)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "--%s is a non-zero 32-bit hex number, not %s",
			    option,
			    str);
		return FALSE;
	}
	*value = (guint32)tmp;
	return TRUE;
}

GOptionGroup *
ec25_fault_option_group(Ec25FaultOptions *opts)
{
	const GOptionEntry entries[] = {
	    {"fault",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &opts->faults,
	     "a fault of this run (see ec25-fault.c)",
	     "KIND[:ARG]"},
	    {"chip-serial",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->chip_serial,
	     "chip serial number (default: from the IMEI)",
	     "HEX"},
	    {"hw-id",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->hw_id,
	     "MSM ID of the chip (default 0x000480E1, MDM9607)",
	     "HEX"},
	    {"layout-shift",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->layout_shift,
	     "a new NAND's partition table has this partition one block larger (another variant)",
	     "NAME"},
	    {"dump-kind",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->dump_kind,
	     "dump mode: persists (default) or clears on RESET/power cycle",
	     "KIND"},
	    {"dump-tty",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->dump_tty,
	     "dump mode: a tty bound to the interface (yes, default) or not (no)",
	     "yes|no"},
	    {"programmer-running",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts->programmer_running,
	     "start in EDL with the Firehose programmer running",
	     NULL},
	    {"power-cycle",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts->power_cycle,
	     "power-cycle the module of --state first (alone: and exit)",
	     NULL},
	    {"usb-boot",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts->usb_boot,
	     "power-cycle with USB_BOOT held: start in PBL EDL",
	     NULL},
	    {NULL}};
	GOptionGroup *group = g_option_group_new("faults",
						 "Faults and variants",
						 "Show the fault and variant options",
						 NULL,
						 NULL);

	/* the array is copied by GLib */
	g_option_group_add_entries(group, entries);
	return group;
}

gboolean
ec25_fault_options_apply(Ec25FaultOptions *opts,
			 Ec25Module *module,
			 gboolean start_mode_given,
			 GError **error)
{
	Ec25Mode requested = module->mode;

	if (opts->faults != NULL) {
		if (g_strv_length(opts->faults) > 1) {
			g_set_error_literal(error,
					    G_OPTION_ERROR,
					    G_OPTION_ERROR_BAD_VALUE,
					    "--fault may be given once");
			return FALSE;
		}
		if (!ec25_fault_parse(module, opts->faults[0], error))
			return FALSE;
	}
	if (opts->chip_serial != NULL &&
	    !ec25_fault_parse_hex("chip-serial", opts->chip_serial, &module->chip_serial, error))
		return FALSE;
	if (opts->hw_id != NULL &&
	    !ec25_fault_parse_hex("hw-id", opts->hw_id, &module->msm_hw_id, error))
		return FALSE;
	if (opts->layout_shift != NULL) {
		g_free(module->layout_shift);
		module->layout_shift = g_strdup(opts->layout_shift);
	}
	if (opts->dump_kind != NULL) {
		if (g_strcmp0(opts->dump_kind, "persists") == 0) {
			module->dump_kind = EC25_DUMP_PERSISTS;
		} else if (g_strcmp0(opts->dump_kind, "clears") == 0) {
			module->dump_kind = EC25_DUMP_CLEARS;
		} else {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "--dump-kind is persists or clears, not %s",
				    opts->dump_kind);
			return FALSE;
		}
	}
	if (opts->dump_tty != NULL) {
		if (g_strcmp0(opts->dump_tty, "yes") == 0) {
			module->dump_tty = TRUE;
		} else if (g_strcmp0(opts->dump_tty, "no") == 0) {
			module->dump_tty = FALSE;
		} else {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "--dump-tty is yes or no, not %s",
				    opts->dump_tty);
			return FALSE;
		}
	}
	ec25_fault_finish_identity(module);
	if (opts->power_cycle || opts->usb_boot)
		ec25_fault_power_cycle(module, opts->usb_boot);
	if (start_mode_given) {
		/* the module is where --start-mode says, freshly */
		module->mode = requested;
		module->edl_stage = EC25_EDL_STAGE_PBL;
		module->dump_flag = requested == EC25_MODE_DUMP;
	}
	if (opts->programmer_running) {
		module->mode = EC25_MODE_EDL;
		module->edl_stage = EC25_EDL_STAGE_FIREHOSE;
	}
	if (module->mode == EC25_MODE_DUMP)
		module->dump_flag = TRUE;
	return TRUE;
}

void
ec25_fault_options_clear(Ec25FaultOptions *opts)
{
	g_free(opts->chip_serial);
	g_free(opts->hw_id);
	g_free(opts->layout_shift);
	g_free(opts->dump_kind);
	g_free(opts->dump_tty);
	g_strfreev(opts->faults);
}
