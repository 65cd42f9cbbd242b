/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ec25-module.h"

/*
 * Faults, module variants and power cycles of the simulated module: the options that select
 * them (--fault, --chip-serial, --hw-id, --dump-kind, --dump-tty, --programmer-running,
 * --power-cycle, --usb-boot), described at the top of ec25-fault.c.
 */

typedef enum {
	EC25_FAULT_NONE,
	EC25_FAULT_DIAG_NO_ECHO,   /* the DIAG EDL command switches the module without an echo */
	EC25_FAULT_DIAG_NO_REENUM, /* the command is echoed, the module stays in normal mode */
	EC25_FAULT_CONFIGURE_NAK,  /* every <configure> is NAKed without a payload hint */
	EC25_FAULT_PROGRAM_NAK,	   /* the selected <program> is NAKed */
	EC25_FAULT_RAW_STALL,	   /* the programmer stops answering in the selected data */
	EC25_FAULT_POWER_LOSS,	   /* power lost inside (or at the end of) the selected data */
	EC25_FAULT_XML_GARBAGE,	   /* the answer to a command is binary noise */
	EC25_FAULT_XML_TRUNCATED,  /* the answer to a command is cut short */
	EC25_FAULT_LOG_FLOOD,	   /* <log> lines flood the answer to <configure> */
	EC25_FAULT_RESET_IGNORED,  /* <power value="reset"/> is ACKed and nothing happens */
	EC25_FAULT_OLD_REVISION,   /* after the update the module comes back on its old revision */
	EC25_FAULT_NO_BOOT,	   /* after a reset from EDL the module stays off USB */
	EC25_FAULT_EDL_GONE,	   /* after the DIAG switch the module stays off USB */
} Ec25Fault;

#define EC25_FAULT_MSM_HW_ID_MDM9607   0x000480E1u
#define EC25_FAULT_LOG_FLOOD_DEFAULT   500
#define EC25_FAULT_LOG_FLOOD_MAX       1000 /* below the IN queue limit of the EDL model */
#define EC25_FAULT_XML_COMMAND_DEFAULT "configure"

/* --fault KIND[:ARG]; also sets module->edl_fault for the older --edl-fault kinds */
gboolean
ec25_fault_parse(Ec25Module *module, const gchar *spec, GError **error);

gboolean
ec25_fault_is(Ec25Module *module, Ec25Fault fault);

/* the selected program: @index counts from 1 in command order */
gboolean
ec25_fault_match_program(Ec25Module *module, guint index, const gchar *label);

/* power-loss: bytes of the selected program that reach the NAND; G_MAXUINT64 for "end" (all
 * of them, then the power goes before the answer) */
guint64
ec25_fault_power_loss_bytes(Ec25Module *module, guint64 total);

/* xml-garbage, xml-truncated: the command whose answer is broken */
const gchar *
ec25_fault_xml_command(Ec25Module *module);

/* log-flood: the number of lines */
guint
ec25_fault_log_flood_count(Ec25Module *module);

/* the chip serial (derived from the IMEI unless set) and the HW ID */
void
ec25_fault_finish_identity(Ec25Module *module);

/* boot from the NAND as after a reset (ec25_edl_boot_nand()), with the old-revision fault */
gboolean
ec25_fault_boot(Ec25Module *module, GError **error);

/* what a power cycle does to the state: the programmer and IMEM are gone; a persistent dump
 * flag stays; with @usb_boot the PBL starts in EDL; otherwise the module boots its NAND */
void
ec25_fault_power_cycle(Ec25Module *module, gboolean usb_boot);

/* the command line */
typedef struct {
	gchar *chip_serial;
	gchar *hw_id;
	gchar *dump_kind;
	gchar *dump_tty;
	gboolean programmer_running;
	gboolean power_cycle;
	gboolean usb_boot;
	gchar **faults; /* checked once the module exists: at most one */
	gchar *layout_shift;
} Ec25FaultOptions;

GOptionGroup *
ec25_fault_option_group(Ec25FaultOptions *opts);
/* after the state folder was loaded and the identity options applied; @start_mode_given:
 * --start-mode set module->mode, which then wins over what a power cycle would boot */
gboolean
ec25_fault_options_apply(Ec25FaultOptions *opts,
			 Ec25Module *module,
			 gboolean start_mode_given,
			 GError **error);
void
ec25_fault_options_clear(Ec25FaultOptions *opts);
