/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The timing model and the phases of a run: see ec25-timing.h. summary.json gets a "timing"
 * member when the run ends (and whenever the simulator saves the summary):
 *
 * "timing": {
 *   "model": {"link_mbps", "transfer_us", "nand_mbps", "erase_us_per_block", "page_size",
 *             "payload", "diag_switch_ms", "edl_delay_ms", "reboot_ms"},
 *   "total_ms": n,                 first mark (the host started) to the end of the run
 *   "simulator_ms": n,             of which the simulator worked on its NAND model while the
 *                                  module was off the bus (not the host's time, not a delay)
 *   "phases": {"<phase>": ms, …},  the phases taken, in the order first taken
 *   "edl_sessions": n, "detaches": n, "boots": n,
 *   "raw_bytes": n, "raw_transfers": n, "transfers": n, "erase_blocks": n, "sahara_bytes": n,
 *   "bound": {"raw_ms", "erase_ms", "sahara_ms", "switch_ms", "total_ms"},
 *                                  the same model's best case for the raw bytes received, the
 *                                  blocks erased, the Sahara bytes and the mode switches taken
 *   "written": [[ms, bytes], …]    raw bytes received by then, every 256 KiB and at the end
 * }
 */

#include "ec25-timing.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define EC25_TIMING_NS_PER_US	   1000
#define EC25_TIMING_US_PER_MS	   1000
#define EC25_TIMING_BITS_PER_BYTE  8
#define EC25_TIMING_SAMPLE_BYTES   (256 * 1024)
#define EC25_TIMING_SAHARA_REQUEST 4096 /* bytes per READ_DATA, for the Sahara bound */
#define EC25_TIMING_SUMMARY_FILE   "summary.json"

static const gchar *ec25_timing_phase_names[] = {
    "startup",
    "detach",
    "sahara",
    "setup",
    "erase",
    "program",
    "reset",
    "boot",
    "verify",
};
G_STATIC_ASSERT(G_N_ELEMENTS(ec25_timing_phase_names) == EC25_TIMING_PHASE_LAST);

/* --- the device -------------------------------------------------------------------------- */

void
ec25_timing_params_from_module(Ec25Module *module, guint page_size, Ec25TimingParams *params)
{
	params->link_mbps = module->link_mbps;
	params->transfer_us = module->transfer_us;
	params->nand_mbps = module->nand_mbps;
	params->erase_us = module->erase_us;
	params->page_size = page_size;
}

guint64
ec25_timing_link_ns(const Ec25TimingParams *params, gsize bytes)
{
	guint64 ns = (guint64)params->transfer_us * EC25_TIMING_NS_PER_US;

	/* a megabit per second is a bit per µs */
	if (params->link_mbps != 0)
		ns += (guint64)bytes * EC25_TIMING_BITS_PER_BYTE * EC25_TIMING_NS_PER_US /
		      params->link_mbps;
	return ns;
}

guint64
ec25_timing_nand_ns(const Ec25TimingParams *params, guint64 pages, guint64 blocks)
{
	if (params->nand_mbps == 0)
		return 0;
	return pages * params->page_size * EC25_TIMING_BITS_PER_BYTE * EC25_TIMING_NS_PER_US /
		   params->nand_mbps +
	       blocks * params->erase_us * EC25_TIMING_NS_PER_US;
}

/* in ns internally, so that fractions of a µs add up over many transfers */
gint64
ec25_timing_device_out(Ec25TimingDevice *dev,
		       const Ec25TimingParams *params,
		       gint64 now,
		       const Ec25TimingWork *work,
		       gint64 *idle_at)
{
	gint64 now_ns = now * EC25_TIMING_NS_PER_US;
	gint64 start;
	gint64 done;

	if (work->raw) {
		/* into the receive buffer once it is empty, programmed once the NAND is free */
		start = MAX(now_ns, MAX(dev->link_free, dev->rx_free));
		done = start + (gint64)ec25_timing_link_ns(params, work->bytes);
		if (work->pages > 0) {
			gint64 program_start = MAX(done, dev->nand_free);
			dev->rx_free = program_start;
			dev->nand_free =
			    program_start + (gint64)ec25_timing_nand_ns(params, work->pages, 0);
		}
	} else {
		/* a command: read once the programmer is idle, then the NAND works on it */
		start = MAX(now_ns, MAX(dev->link_free, dev->nand_free));
		done = start + (gint64)ec25_timing_link_ns(params, work->bytes);
		dev->nand_free =
		    done + (gint64)ec25_timing_nand_ns(params, work->pages, work->blocks);
		dev->rx_free = dev->nand_free;
	}
	dev->link_free = done;
	if (idle_at != NULL)
		*idle_at =
		    (MAX(done, dev->nand_free) + EC25_TIMING_NS_PER_US - 1) / EC25_TIMING_NS_PER_US;
	return (done + EC25_TIMING_NS_PER_US - 1) / EC25_TIMING_NS_PER_US;
}

guint64
ec25_timing_bound_raw_ns(const Ec25TimingParams *params, guint64 raw_bytes, guint payload)
{
	guint64 chunks;
	guint64 link;
	guint64 nand;

	if (raw_bytes == 0 || payload == 0)
		return 0;
	chunks = (raw_bytes + payload - 1) / payload;
	link = ec25_timing_link_ns(params, payload);
	nand = params->page_size != 0
		   ? ec25_timing_nand_ns(params,
					 (payload + params->page_size - 1) / params->page_size,
					 0)
		   : 0;
	/* a pipeline of two stages: the slower one sets the pace, the faster one fills it */
	return chunks * MAX(link, nand) + MIN(link, nand);
}

/* --- the run ----------------------------------------------------------------------------- */

struct _Ec25Timing {
	GMutex mutex;
	Ec25Module *module;
	Ec25TimingParams params;
	Ec25TimingDevice dev;
	guint payload;
	gint64 start; /* µs, 0 before the first mark */
	Ec25TimingPhase phase;
	gint64 phase_at;
	gint64 phase_us[EC25_TIMING_PHASE_LAST];
	guint phase_marks[EC25_TIMING_PHASE_LAST];
	guint phase_order[EC25_TIMING_PHASE_LAST];
	guint phases_seen;
	guint edl_sessions;
	gint64 simulator_us;
	guint64 raw_bytes;
	guint64 raw_transfers;
	guint64 transfers;
	guint64 erase_blocks;
	guint64 sahara_bytes;
	guint64 sahara_transfers;
	guint64 next_sample;
	gint64 raw_done; /* µs: the last raw transfer was received */
	GArray *written; /* of gint64 pairs: µs since start, raw bytes */
};

Ec25Timing *
ec25_timing_new(Ec25Module *module)
{
	Ec25Timing *self = g_new0(Ec25Timing, 1);

	g_mutex_init(&self->mutex);
	self->module = module;
	self->phase = EC25_TIMING_PHASE_LAST;
	self->written = g_array_new(FALSE, FALSE, sizeof(gint64));
	ec25_timing_params_from_module(module, module->page_size, &self->params);
	return self;
}

void
ec25_timing_free(Ec25Timing *self)
{
	if (self == NULL)
		return;
	g_array_unref(self->written);
	g_mutex_clear(&self->mutex);
	g_free(self);
}

/* mutex held */
static void
ec25_timing_mark_locked(Ec25Timing *self, Ec25TimingPhase phase, gint64 now)
{
	if (phase >= EC25_TIMING_PHASE_LAST)
		return;
	if (self->start == 0)
		self->start = now;
	if (self->phase < EC25_TIMING_PHASE_LAST)
		self->phase_us[self->phase] += MAX(now - self->phase_at, 0);
	if (self->phase != phase) {
		if (self->phase_marks[phase] == 0)
			self->phase_order[self->phases_seen++] = phase;
		self->phase_marks[phase]++;
	}
	self->phase = phase;
	self->phase_at = now;
}

void
ec25_timing_mark(Ec25Timing *self, Ec25TimingPhase phase, gint64 now)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	ec25_timing_mark_locked(self, phase, now);
}

void
ec25_timing_add_simulator(Ec25Timing *self, gint64 us)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	self->simulator_us += MAX(us, 0);
}

void
ec25_timing_edl_start(Ec25Timing *self, guint page_size)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);

	ec25_timing_params_from_module(self->module, page_size, &self->params);
	memset(&self->dev, 0, sizeof(self->dev));
	self->edl_sessions++;
}

static void
ec25_timing_sample(Ec25Timing *self, gint64 at)
{
	gint64 pair[2] = {at - self->start, (gint64)self->raw_bytes};
	g_array_append_vals(self->written, pair, G_N_ELEMENTS(pair));
}

gint64
ec25_timing_out(Ec25Timing *self, gint64 now, const Ec25TimingWork *work, gint64 *idle_at)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	gint64 done;

	if (self->phase != work->phase)
		ec25_timing_mark_locked(self, work->phase, now);
	done = ec25_timing_device_out(&self->dev, &self->params, now, work, idle_at);
	self->transfers++;
	self->erase_blocks += work->blocks;
	self->payload = MAX(self->payload, work->payload);
	if (work->phase == EC25_TIMING_PHASE_SAHARA) {
		self->sahara_bytes += work->bytes;
		self->sahara_transfers++;
	}
	if (work->raw && work->bytes > 0) {
		self->raw_bytes += work->bytes;
		self->raw_transfers++;
		self->raw_done = done;
		if (self->raw_bytes >= self->next_sample) {
			ec25_timing_sample(self, done);
			self->next_sample = self->raw_bytes + EC25_TIMING_SAMPLE_BYTES;
		}
	}
	return done;
}

/* --- summary.json ------------------------------------------------------------------------ */

static void
ec25_timing_json_ms(JsonBuilder *builder, const gchar *key, gint64 us)
{
	json_builder_set_member_name(builder, key);
	json_builder_add_double_value(builder, (gdouble)us / EC25_TIMING_US_PER_MS);
}

static void
ec25_timing_json_int(JsonBuilder *builder, const gchar *key, gint64 value)
{
	json_builder_set_member_name(builder, key);
	json_builder_add_int_value(builder, value);
}

static void
ec25_timing_json_model(Ec25Timing *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "model");
	json_builder_begin_object(builder);
	ec25_timing_json_int(builder, "link_mbps", self->params.link_mbps);
	ec25_timing_json_int(builder, "transfer_us", self->params.transfer_us);
	ec25_timing_json_int(builder, "nand_mbps", self->params.nand_mbps);
	ec25_timing_json_int(builder,
			     "erase_us_per_block",
			     self->params.nand_mbps != 0 ? self->params.erase_us : 0);
	ec25_timing_json_int(builder, "page_size", self->params.page_size);
	ec25_timing_json_int(builder, "payload", self->payload);
	ec25_timing_json_int(builder, "diag_switch_ms", self->module->diag_switch_ms);
	ec25_timing_json_int(builder, "edl_delay_ms", self->module->edl_delay_ms);
	ec25_timing_json_int(builder, "reboot_ms", self->module->reboot_ms);
	json_builder_end_object(builder);
}

static void
ec25_timing_json_bound(Ec25Timing *self, JsonBuilder *builder)
{
	guint64 raw = ec25_timing_bound_raw_ns(&self->params, self->raw_bytes, self->payload);
	guint64 erase = ec25_timing_nand_ns(&self->params, 0, self->erase_blocks);
	/* the programmer in READ_DATA requests of 4 KiB: one transfer each */
	guint64 sahara_requests =
	    (self->sahara_bytes + EC25_TIMING_SAHARA_REQUEST - 1) / EC25_TIMING_SAHARA_REQUEST;
	guint64 sahara = ec25_timing_link_ns(&self->params, self->sahara_bytes) +
			 (sahara_requests - 1) * ec25_timing_link_ns(&self->params, 0);
	guint64 switches =
	    (guint64)self->phase_marks[EC25_TIMING_PHASE_DETACH] * self->module->edl_delay_ms +
	    (guint64)self->phase_marks[EC25_TIMING_PHASE_BOOT] * self->module->reboot_ms;

	if (sahara_requests == 0)
		sahara = 0;
	switches *= (guint64)EC25_TIMING_US_PER_MS * EC25_TIMING_NS_PER_US;
	json_builder_set_member_name(builder, "bound");
	json_builder_begin_object(builder);
	ec25_timing_json_ms(builder, "raw_ms", raw / EC25_TIMING_NS_PER_US);
	ec25_timing_json_ms(builder, "erase_ms", erase / EC25_TIMING_NS_PER_US);
	ec25_timing_json_ms(builder, "sahara_ms", sahara / EC25_TIMING_NS_PER_US);
	ec25_timing_json_ms(builder, "switch_ms", switches / EC25_TIMING_NS_PER_US);
	ec25_timing_json_ms(builder,
			    "total_ms",
			    (raw + erase + sahara + switches) / EC25_TIMING_NS_PER_US);
	json_builder_end_object(builder);
}

static void
ec25_timing_json_written(Ec25Timing *self, JsonBuilder *builder)
{
	json_builder_set_member_name(builder, "written");
	json_builder_begin_array(builder);
	for (guint i = 0; i + 1 < self->written->len; i += 2) {
		json_builder_begin_array(builder);
		json_builder_add_double_value(builder,
					      (gdouble)g_array_index(self->written, gint64, i) /
						  EC25_TIMING_US_PER_MS);
		json_builder_add_int_value(builder, g_array_index(self->written, gint64, i + 1));
		json_builder_end_array(builder);
	}
	json_builder_end_array(builder);
}

JsonNode *
ec25_timing_to_json(Ec25Timing *self, gint64 now)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	gint64 phase_us[EC25_TIMING_PHASE_LAST];

	/* the phase in progress counts up to now */
	memcpy(phase_us, self->phase_us, sizeof(phase_us));
	if (self->phase < EC25_TIMING_PHASE_LAST)
		phase_us[self->phase] += MAX(now - self->phase_at, 0);
	if (self->written->len == 0 ||
	    g_array_index(self->written, gint64, self->written->len - 1) != (gint64)self->raw_bytes)
		ec25_timing_sample(self, self->raw_done);

	json_builder_begin_object(builder);
	ec25_timing_json_model(self, builder);
	ec25_timing_json_ms(builder, "total_ms", self->start != 0 ? now - self->start : 0);
	json_builder_set_member_name(builder, "phases");
	json_builder_begin_object(builder);
	for (guint i = 0; i < self->phases_seen; i++) {
		Ec25TimingPhase phase = self->phase_order[i];
		ec25_timing_json_ms(builder, ec25_timing_phase_names[phase], phase_us[phase]);
	}
	json_builder_end_object(builder);
	ec25_timing_json_ms(builder, "simulator_ms", self->simulator_us);
	ec25_timing_json_int(builder, "edl_sessions", self->edl_sessions);
	ec25_timing_json_int(builder, "detaches", self->phase_marks[EC25_TIMING_PHASE_DETACH]);
	ec25_timing_json_int(builder, "boots", self->phase_marks[EC25_TIMING_PHASE_BOOT]);
	ec25_timing_json_int(builder, "raw_bytes", (gint64)self->raw_bytes);
	ec25_timing_json_int(builder, "raw_transfers", (gint64)self->raw_transfers);
	ec25_timing_json_int(builder, "transfers", (gint64)self->transfers);
	ec25_timing_json_int(builder, "erase_blocks", (gint64)self->erase_blocks);
	ec25_timing_json_int(builder, "sahara_bytes", (gint64)self->sahara_bytes);
	ec25_timing_json_bound(self, builder);
	ec25_timing_json_written(self, builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

gboolean
ec25_timing_save(Ec25Timing *self, const gchar *state_dir, gint64 now, GError **error)
{
	g_autofree gchar *fn = NULL;
	g_autofree gchar *tmp = NULL;
	g_autofree gchar *data = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	JsonNode *root;

	if (state_dir == NULL || self->edl_sessions == 0)
		return TRUE;
	fn = g_build_filename(state_dir, EC25_TIMING_SUMMARY_FILE, NULL);
	if (!json_parser_load_from_file(parser, fn, error)) {
		g_prefix_error(error, "cannot read %s: ", fn);
		return FALSE;
	}
	root = json_parser_get_root(parser);
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s is not an object", fn);
		return FALSE;
	}
	json_object_set_member(json_node_get_object(root),
			       "timing",
			       ec25_timing_to_json(self, now));
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	data = json_generator_to_data(generator, NULL);
	tmp = g_strdup_printf("%s.tmp", fn);
	if (!g_file_set_contents(tmp, data, -1, error))
		return FALSE;
	if (g_rename(tmp, fn) != 0) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "cannot rename %s: %s",
			    tmp,
			    g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}
