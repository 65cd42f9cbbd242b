/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ec25-module.h"
#include "ec25-timing.h"

/*
 * The module's download side as the host sees it over USB in EDL (05c6:9008): the PBL's Sahara
 * target, then the Firehose programmer once it "runs", writing a NAND model kept in the state
 * folder. Transport-free: the USB layer (usbdevfs ioctl handler in ec25-sim.c) hands every
 * bulk OUT transfer to ec25_edl_bulk_out() and asks ec25_edl_bulk_in() for each bulk IN
 * transfer, so that responses are delivered per USB transfer as on real hardware.
 *
 * Behaviour, summary.json, the module log lines and the timing model are described at the top
 * of ec25-edl.c (Sahara in ec25-sahara.c, Firehose in ec25-firehose.c, the NAND files in
 * ec25-nand.h). An Ec25Edl is not thread-safe: calls on one object must not run concurrently
 * (summary.json is already rewritten after every command; calling ec25_edl_save_summary()
 * from another thread while the ioctl thread feeds transfers is a race).
 */

typedef enum {
	EC25_EDL_FAULT_NONE,
	EC25_EDL_FAULT_HELLO_CONSUMED,	/* the HELLO was read by someone else before the host */
	EC25_EDL_FAULT_END_OF_IMAGE,	/* END_OF_IMAGE with a NAK status (0x0D read data error) */
	EC25_EDL_FAULT_CONFIGURE_SMALL, /* configure is NAKed: the programmer wants 4096 */
	EC25_EDL_FAULT_STALL_PROGRAM,	/* the programmer stops answering during the 2nd program */
} Ec25EdlFault;

typedef enum {
	EC25_EDL_STATE_SAHARA,	 /* PBL: Sahara target */
	EC25_EDL_STATE_FIREHOSE, /* programmer running */
	EC25_EDL_STATE_RESET,	 /* reset requested: the USB layer re-enumerates the module */
	EC25_EDL_STATE_DEAD,	 /* protocol broken beyond recovery (needs a power cycle) */
	EC25_EDL_STATE_NOPOWER,	 /* fault power-loss: off the bus at once, the NAND as it is */
} Ec25EdlState;

typedef struct _Ec25Edl Ec25Edl;

/* created when the module enters EDL; queues the Sahara HELLO (unless HELLO_CONSUMED), or
 * starts with the programmer running (module->edl_stage, which it resets to the PBL) */
Ec25Edl *
ec25_edl_new(Ec25Module *module, Ec25EdlFault fault, GError **error);
void
ec25_edl_free(Ec25Edl *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Ec25Edl, ec25_edl_free)

/* one bulk OUT transfer from the host; @bufsz 0 is a zero-length packet */
void
ec25_edl_bulk_out(Ec25Edl *self, const guint8 *buf, gsize bufsz);

/* the next bulk IN transfer for a host buffer of @max_len bytes, or NULL if nothing is
 * pending (the host's read then times out) */
GBytes *
ec25_edl_bulk_in(Ec25Edl *self, gsize max_len);

/* IN transfers queued and not read yet: after a reset the USB layer re-enumerates once the
 * host has read everything (RESET_RESP; or the ACK of <power> and the log that follows it,
 * "read out all of the remaining messages, otherwise modem won't go into reset") */
guint
ec25_edl_get_pending_in(Ec25Edl *self);

Ec25EdlState
ec25_edl_get_state(Ec25Edl *self);

/* bulk OUT transfers the host sent in this session, zero-length packets included */
guint64
ec25_edl_get_host_transfers(Ec25Edl *self);

/* what keeps running if the host goes away now (module->edl_stage for the next run) */
Ec25EdlStage
ec25_edl_get_stage(Ec25Edl *self);

/* milliseconds of device work (link and NAND, one after the other) the last bulk OUT caused
 * with the timing model (0 when it is off); fractions carry over to the next transfer */
guint
ec25_edl_get_busy_ms(Ec25Edl *self);

/* what the OUT transfers since the last call asked of the device, for the timing model
 * (ec25-timing.h); FALSE if there were none */
gboolean
ec25_edl_take_work(Ec25Edl *self, Ec25TimingWork *work);

/* write the machine-readable summary (summary.json) into the state folder */
gboolean
ec25_edl_save_summary(Ec25Edl *self, GError **error);

/*
 * Boot from the NAND model after a reset: succeeds only if SBL, MIBIB and the images parse
 * as a valid set; sets module->revision and module->subversion from the flashed images.
 * On failure the module cannot boot and comes back in EDL (the PBL falls back to 9008).
 */
gboolean
ec25_edl_boot_nand(Ec25Module *module, GError **error);
