/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <stdio.h>

/*
 * The simulated module: what it is and how it answers, independent of how its ports are
 * exposed (umockdev PTYs and usbdevfs in ec25-sim.c).
 */

typedef enum {
	EC25_USB_LAYOUT_QMI,   /* DM, NMEA, AT, modem, QMI */
	EC25_USB_LAYOUT_RNDIS, /* RNDIS (2 interfaces), DM, NMEA, AT, modem */
} Ec25UsbLayout;

typedef enum {
	EC25_AT_FAULT_NONE,
	EC25_AT_FAULT_SILENT,  /* the AT port never answers */
	EC25_AT_FAULT_GARBAGE, /* the AT port answers binary noise */
	EC25_AT_FAULT_NO_QGMR, /* old firmware: AT+QGMR is ERROR */
} Ec25AtFault;

typedef enum {
	EC25_MODE_NORMAL, /* 2c7c:0125, AT and DM ports */
	EC25_MODE_EDL,	  /* 05c6:9008, the PBL's Sahara, then Firehose */
	EC25_MODE_DUMP,	  /* 2c7c:0125 with one interface: Quectel's SBL dump mode */
} Ec25Mode;

/* Quectel's SBL dump mode: what clears the flag that makes the module boot into it */
typedef enum {
	EC25_DUMP_PERSISTS, /* kept across Sahara RESET and power cycles (flash), until USB_BOOT
			     * and a Firehose write */
	EC25_DUMP_CLEARS,   /* in IMEM: a Sahara RESET or a power cycle clears it */
} Ec25DumpKind;

/* what runs in EDL when the host opens the module (persisted: a run that ends with the
 * programmer running leaves it running for the next one until a power cycle) */
typedef enum {
	EC25_EDL_STAGE_PBL,	 /* the PBL, which sends a Sahara HELLO */
	EC25_EDL_STAGE_FIREHOSE, /* the Firehose programmer, still running */
	EC25_EDL_STAGE_DEAD,	 /* a programmer that stopped answering */
} Ec25EdlStage;

typedef enum {
	EC25_PORT_DM,
	EC25_PORT_NMEA,
	EC25_PORT_AT,
	EC25_PORT_MODEM,
	EC25_PORT_LAST,
} Ec25Port;

typedef struct {
	gchar *model;	   /* EC25 or EG25 */
	gchar *revision;   /* EC25EFAR06A08M4G */
	gchar *subversion; /* 01.001.01.001 */
	gchar *imei;
	Ec25UsbLayout layout;
	Ec25AtFault at_fault;
	Ec25Mode mode;
	/* NAND geometry, from the model: EC25 4096-byte pages, EG25 2048; 64 pages a block */
	guint page_size;
	guint pages_per_block;
	guint blocks;
	/* the download side */
	guint edl_fault;		/* Ec25EdlFault */
	guint max_payload;		/* what the programmer accepts, 8192 by default */
	guint edl_delay_ms;		/* DIAG EDL command to 05c6:9008 on the bus */
	guint reboot_ms;		/* power reset to normal mode on the bus */
	guint link_mbps;		/* timing model, 0 = off */
	guint nand_mbps;		/* timing model, 0 = off */
	guint transfer_us;		/* timing model: per bulk transfer, 0 = off */
	guint erase_us;			/* timing model: per erased block (with nand_mbps) */
	guint diag_switch_ms;		/* DIAG EDL command to the module off the bus */
	gboolean functions_single_line; /* Firehose lists its functions in one log line */
	gboolean edl_requested;		/* set by the DIAG EDL command, taken by the USB layer */
	gchar *state_dir;		/* NULL: nothing persists */
	FILE *log;			/* NULL: no log */
	gboolean verbose;
	/* per-port input state */
	GString *line[EC25_PORT_LAST];
	gboolean echo;
	gpointer hdlc; /* Ec25HdlcDecoder */
	GRand *rand;
	guint at_commands; /* counters for the summary */
	guint diag_frames;
	guint diag_bad_frames;
	/* Quectel's SBL dump mode: a Sahara target in MEMORY_DEBUG mode */
	GByteArray *dump_rx;	       /* a packet being received */
	gboolean dump_silent;	       /* went quiet after asking for an image */
	gboolean dump_reset_requested; /* Sahara RESET: the module reboots (into dump mode again) */
	/* the chip's identity as Sahara command mode reads it (ec25-fault.h) */
	guint32 chip_serial; /* 0: derived from the IMEI once the identity is known */
	guint32 msm_hw_id;   /* MSM ID, 0x000480E1 for the MDM9607 family */
	/* dump mode variants */
	Ec25DumpKind dump_kind;
	gboolean dump_tty;  /* the option driver binds the dump interface as a tty */
	gboolean dump_flag; /* the module boots into dump mode */
	/* the factory partition one block larger than in the model's table, the next one block
	 * smaller: the table of another variant of the model (NULL: the model's own) */
	gchar *layout_shift;
	Ec25EdlStage edl_stage;
	/* the fault of this run (Ec25Fault, ec25-fault.h) and its argument */
	guint fault;
	gchar *fault_arg;
	gboolean fault_fired; /* one-shot faults: already happened */

	/* unsolicited result codes on the AT ports (ec25-urc.c) */
	guint urc_points;	   /* Ec25UrcPoint flags */
	GRand *urc_rand;	   /* which URC, and where in random mode; seeded */
	gboolean urc_boot_pending; /* the boot burst goes with the first command */
	guint urc_count;
} Ec25Module;

Ec25Module *
ec25_module_new(void);
void
ec25_module_free(Ec25Module *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25Module, ec25_module_free)

const gchar *
ec25_module_mode_to_string(Ec25Mode mode);
gboolean
ec25_module_mode_from_string(const gchar *str, Ec25Mode *mode);

/* NAND geometry of the model (EC25: 4096-byte pages, EG25: 2048) where no state set it */
void
ec25_module_set_default_geometry(Ec25Module *self);

gboolean
ec25_module_load_state(Ec25Module *self, GError **error);
gboolean
ec25_module_save_state(Ec25Module *self, GError **error);
void
ec25_module_log(Ec25Module *self, const gchar *fmt, ...) G_GNUC_PRINTF(2, 3);

const gchar *
ec25_module_port_name(Ec25Port port);
const gchar *
ec25_module_usb_product(Ec25Module *self);

/* dump mode: the HELLO (mode MEMORY_DEBUG) the SBL sends when the port is opened */
void
ec25_module_dump_hello(Ec25Module *self, GPtrArray *packets);
/* dump mode: bytes from the host; answers are appended to @packets (of GBytes, one each) */
void
ec25_module_dump_input(Ec25Module *self, const guint8 *buf, gsize bufsz, GPtrArray *packets);

/* bytes the host wrote to @port; the module's answer is appended to @out */
void
ec25_module_port_input(Ec25Module *self,
		       Ec25Port port,
		       const guint8 *buf,
		       gsize bufsz,
		       GByteArray *out);
