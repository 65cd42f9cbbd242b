/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ec25-module.h"

/*
 * The timing model of the module's download side: a NAND programmer behind a USB 2.0 link, with
 * one receive buffer and one program buffer (double-buffered), and the phases of an update as
 * they were actually taken.
 *
 * Device (all times in µs of the monotonic clock; every rate 0 = that cost is off):
 *   - a bulk OUT transfer of N bytes occupies the link for transfer_us + N×8/link_mbps and
 *     completes for the host when it has been received; a zero-length packet sent in the same
 *     URB (USBDEVFS_URB_ZERO_PACKET) costs nothing more, a separate one costs transfer_us;
 *   - <program> data is received into the receive buffer, which must be empty: it empties when
 *     the NAND takes its content into the program buffer, i.e. when the NAND has finished the
 *     chunk before. The NAND then programs it at page_size×8/nand_mbps per page completed while
 *     the link receives the next chunk;
 *   - any other transfer (Sahara, a Firehose command) is received only once the NAND is idle;
 *     an erase then keeps the NAND busy erase_us per block;
 *   - the device answers (IN transfers) once it is idle: after the NAND finished.
 *
 * Bound (what the best host could reach on the same model): the raw bytes in chunks of the
 * negotiated payload, one transfer each, pipelined: n × max(L, P) + min(L, P) where L is the link
 * time of one chunk and P the NAND time of one chunk; plus erase_us per erased block; plus the
 * module's own delays (DIAG switch to EDL on the bus, reset to normal mode on the bus).
 *
 * Phases (wall time between the first event of a phase and the first event of the next one,
 * summed per phase): startup (the host before the DIAG command or before EDL, as the module
 * started), detach (DIAG download command to 05c6:9008 on the bus), sahara (9008 on the bus to
 * the first Firehose command), setup (configure, nop, getstorageinfo, patch ...), erase,
 * program (the <program> commands, their data and their answers), reset (<power> to the
 * module leaving the bus), boot (off the bus to back on it), verify (back in normal mode to
 * the host's exit).
 */

typedef enum {
	EC25_TIMING_PHASE_STARTUP,
	EC25_TIMING_PHASE_DETACH,
	EC25_TIMING_PHASE_SAHARA,
	EC25_TIMING_PHASE_SETUP,
	EC25_TIMING_PHASE_ERASE,
	EC25_TIMING_PHASE_PROGRAM,
	EC25_TIMING_PHASE_RESET,
	EC25_TIMING_PHASE_BOOT,
	EC25_TIMING_PHASE_VERIFY,
	EC25_TIMING_PHASE_LAST,
} Ec25TimingPhase;

typedef struct {
	guint link_mbps;   /* megabits per second on the bus, 0: off */
	guint transfer_us; /* per bulk transfer (USB scheduling, host controller) */
	guint nand_mbps;   /* megabits per second into the NAND, 0: off */
	guint erase_us;	   /* per erased block, counted when nand_mbps is set */
	guint page_size;
} Ec25TimingParams;

/* what one bulk OUT transfer (one URB, its ZLP included) asked of the device */
typedef struct {
	gsize bytes;
	gboolean raw;	       /* <program> data */
	guint64 pages;	       /* pages it completed, programmed now */
	guint64 blocks;	       /* blocks it erased */
	Ec25TimingPhase phase; /* EC25_TIMING_PHASE_LAST: no change (a ZLP, an ignored transfer) */
	guint payload;	       /* the largest raw chunk the programmer takes, for the bound */
} Ec25TimingWork;

/* the device's pipeline */
typedef struct {
	gint64 link_free; /* the link takes the next transfer */
	gint64 rx_free;	  /* the receive buffer is empty */
	gint64 nand_free; /* the NAND finished what it was given */
} Ec25TimingDevice;

/* the params of @module (0 where the model is off) */
void
ec25_timing_params_from_module(Ec25Module *module, guint page_size, Ec25TimingParams *params);

/* link time of one transfer of @bytes, and NAND time of @pages and @blocks, in ns */
guint64
ec25_timing_link_ns(const Ec25TimingParams *params, gsize bytes);
guint64
ec25_timing_nand_ns(const Ec25TimingParams *params, guint64 pages, guint64 blocks);

/*
 * One bulk OUT transfer the host submitted at @now: returns when it completes for the host;
 * @idle_at: from when the device answers (IN transfers).
 */
gint64
ec25_timing_device_out(Ec25TimingDevice *dev,
		       const Ec25TimingParams *params,
		       gint64 now,
		       const Ec25TimingWork *work,
		       gint64 *idle_at);

/* ns the raw data of @raw_bytes takes at best in @payload chunks (pipelined) */
guint64
ec25_timing_bound_raw_ns(const Ec25TimingParams *params, guint64 raw_bytes, guint payload);

/* --- the whole run (ec25-sim) ---------------------------------------------------------- */

typedef struct _Ec25Timing Ec25Timing;

Ec25Timing *
ec25_timing_new(Ec25Module *module);
void
ec25_timing_free(Ec25Timing *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25Timing, ec25_timing_free)

/* a phase starts at @now (µs, monotonic); the run starts with the first mark */
void
ec25_timing_mark(Ec25Timing *self, Ec25TimingPhase phase, gint64 now);

/* the simulator itself worked @us (opening or checking the NAND model) while the host waited:
 * reported so that it is not taken for the host's time */
void
ec25_timing_add_simulator(Ec25Timing *self, gint64 us);

/* a new EDL session on NAND pages of @page_size: the device pipeline is idle */
void
ec25_timing_edl_start(Ec25Timing *self, guint page_size);

/* a bulk OUT transfer of the EDL session (any thread): returns when it completes for the
 * host; marks its phase and counts raw bytes over time */
gint64
ec25_timing_out(Ec25Timing *self, gint64 now, const Ec25TimingWork *work, gint64 *idle_at);

/* the "timing" member of summary.json at @now */
JsonNode *
ec25_timing_to_json(Ec25Timing *self, gint64 now);

/* the run ended at @now: store the timing member into STATE/summary.json, if the module was
 * in EDL in this run */
gboolean
ec25_timing_save(Ec25Timing *self, const gchar *state_dir, gint64 now, GError **error);
