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
	guint edl_fault;	/* Ec25EdlFault */
	guint max_payload;	/* what the programmer accepts, 8192 by default */
	guint edl_delay_ms;	/* DIAG EDL command to 05c6:9008 on the bus */
	guint reboot_ms;	/* power reset to normal mode on the bus */
	guint link_mbps;	/* timing model, 0 = off */
	guint nand_mbps;	/* timing model, 0 = off */
	gboolean edl_requested; /* set by the DIAG EDL command, taken by the USB layer */
	gchar *state_dir;	/* NULL: nothing persists */
	FILE *log;		/* NULL: no log */
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
