/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the arithmetic of the timing model (ec25-timing.h): link, NAND, double buffering, the bound */

#include <string.h>

#include "ec25-timing.h"

#define TEST_PAGE    4096
#define TEST_PAYLOAD 8192

/* the figures of the benchmark: 35 MB/s link, 125 µs a transfer, 4 MB/s NAND, 2 ms a block */
static const Ec25TimingParams test_params = {
    .link_mbps = 280,
    .transfer_us = 125,
    .nand_mbps = 32,
    .erase_us = 2000,
    .page_size = TEST_PAGE,
};

static Ec25TimingWork
test_raw(gsize bytes, guint64 pages)
{
	Ec25TimingWork work = {.bytes = bytes,
			       .raw = TRUE,
			       .pages = pages,
			       .phase = EC25_TIMING_PHASE_PROGRAM,
			       .payload = TEST_PAYLOAD};
	return work;
}

static Ec25TimingWork
test_cmd(gsize bytes, guint64 blocks)
{
	Ec25TimingWork work = {.bytes = bytes,
			       .blocks = blocks,
			       .phase = EC25_TIMING_PHASE_ERASE,
			       .payload = TEST_PAYLOAD};
	return work;
}

static void
test_costs(void)
{
	Ec25TimingParams off = {.page_size = TEST_PAGE};

	/* 8192 bytes at 280 Mbit/s: 234.057 µs, plus 125 µs for the transfer */
	g_assert_cmpuint(ec25_timing_link_ns(&test_params, TEST_PAYLOAD), ==, 125000 + 234057);
	g_assert_cmpuint(ec25_timing_link_ns(&test_params, 0), ==, 125000);
	/* two 4 KiB pages at 32 Mbit/s: 2048 µs; 36 blocks: 72 ms */
	g_assert_cmpuint(ec25_timing_nand_ns(&test_params, 2, 0), ==, 2048000);
	g_assert_cmpuint(ec25_timing_nand_ns(&test_params, 0, 36), ==, 72000000);
	/* all off */
	g_assert_cmpuint(ec25_timing_link_ns(&off, TEST_PAYLOAD), ==, 0);
	g_assert_cmpuint(ec25_timing_nand_ns(&off, 2, 36), ==, 0);
}

/* a host that always has the next chunk ready: the link receives chunk n+1 while the NAND
 * programs chunk n, so the NAND sets the pace and the link adds only the first chunk */
static void
test_double_buffer(void)
{
	Ec25TimingDevice dev = {0};
	Ec25TimingWork work = test_raw(TEST_PAYLOAD, 2);
	gint64 now = 1000000;
	gint64 t = now;
	gint64 idle_at = 0;
	gint64 done1;
	gint64 done2;
	gint64 done3;
	const guint n = 1000;

	/* chunk 1: received after 359 µs, programmed until 359 + 2048 */
	done1 = ec25_timing_device_out(&dev, &test_params, t, &work, &idle_at);
	g_assert_cmpint(done1 - now, ==, 360); /* 359.057 rounded up */
	g_assert_cmpint(idle_at - now, ==, 2408);
	/* chunk 2: the receive buffer is empty at once, so it is received during the program */
	done2 = ec25_timing_device_out(&dev, &test_params, done1, &work, &idle_at);
	g_assert_cmpint(done2 - now, ==, 720); /* sent at 360, 359.057 µs of link */
	g_assert_cmpint(idle_at - now, ==, 359 + 2 * 2048 + 1);
	/* chunk 3: waits for the receive buffer, which empties when chunk 1 is programmed */
	done3 = ec25_timing_device_out(&dev, &test_params, done2, &work, &idle_at);
	g_assert_cmpint(done3 - now, ==, 2408 + 359);
	g_assert_cmpint(idle_at - now, ==, 359 + 3 * 2048 + 1);

	/* n chunks in all: the last answer comes at L + n × P, the bound exactly */
	t = done3;
	for (guint i = 3; i < n; i++)
		t = ec25_timing_device_out(&dev, &test_params, t, &work, &idle_at);
	g_assert_cmpint(
	    idle_at - now,
	    ==,
	    (ec25_timing_bound_raw_ns(&test_params, (guint64)n * TEST_PAYLOAD, TEST_PAYLOAD) +
	     999) /
		1000);
}

/* a host that sends half-page transfers with a ZLP after every 8 KiB (as fwupd's qc_firehose
 * does with 512 bytes): every transfer costs 125 µs, so the link sets the pace */
static void
test_small_transfers(void)
{
	Ec25TimingDevice dev = {0};
	Ec25TimingWork half = test_raw(TEST_PAGE / 2, 0);
	Ec25TimingWork full = test_raw(TEST_PAGE / 2, 1);
	Ec25TimingWork zlp = test_raw(0, 0);
	gint64 t = 0;
	gint64 idle_at = 0;
	const guint pages = 100;

	for (guint i = 0; i < pages; i++) {
		t = ec25_timing_device_out(&dev, &test_params, t, &half, &idle_at);
		t = ec25_timing_device_out(&dev, &test_params, t, &full, &idle_at);
		if (i % 2 == 1)
			t = ec25_timing_device_out(&dev, &test_params, t, &zlp, &idle_at);
	}
	/* per 8 KiB: 4 × (125 + 58.5) + 125 = 859 µs of link against 2048 µs of NAND: still
	 * NAND-bound, the last answer at the link time of one page + 100 × 1024 µs */
	g_assert_cmpint(idle_at, >=, 100 * 1024);
	g_assert_cmpint(idle_at, <=, 100 * 1024 + 2 * (125 + 59) + 125 + 1);

	/* with 512-byte transfers the link is the slower path: 17 × 125 + 234 µs per 8 KiB */
	memset(&dev, 0, sizeof(dev));
	t = 0;
	for (guint chunk = 0; chunk < 50; chunk++) {
		for (guint i = 0; i < 16; i++) {
			Ec25TimingWork w = test_raw(512, i == 7 || i == 15 ? 1 : 0);
			t = ec25_timing_device_out(&dev, &test_params, t, &w, &idle_at);
		}
		t = ec25_timing_device_out(&dev, &test_params, t, &zlp, &idle_at);
	}
	g_assert_cmpint(t, >=, 50 * (17 * 125 + 234));
	g_assert_cmpint(t, <=, 50 * (17 * 125 + 235) + 1024);
	g_assert_cmpint(idle_at, <=, t + 1024 + 1);
}

/* a command waits for the NAND, an erase keeps it busy, the answer waits for the erase */
static void
test_commands(void)
{
	Ec25TimingDevice dev = {0};
	Ec25TimingWork raw = test_raw(TEST_PAYLOAD, 2);
	Ec25TimingWork erase = test_cmd(300, 36);
	gint64 idle_at = 0;
	gint64 done;

	done = ec25_timing_device_out(&dev, &test_params, 0, &raw, &idle_at);
	g_assert_cmpint(done, ==, 360);
	/* sent at once, received only after the program: 2407 + 125 + 8.6 µs */
	done = ec25_timing_device_out(&dev, &test_params, done, &erase, &idle_at);
	g_assert_cmpint(done, ==, 2407 + 125 + 9);
	g_assert_cmpint(idle_at, ==, 2407 + 125 + 9 + 72000);
}

/* the bound: n × max(L, P) + min(L, P); link-bound and NAND-bound */
static void
test_bound(void)
{
	Ec25TimingParams fast_nand = test_params;
	guint64 mib = 1024 * 1024;

	/* 1 MiB in 128 chunks: 128 × 2048 + 359.057 µs */
	g_assert_cmpuint(ec25_timing_bound_raw_ns(&test_params, mib, TEST_PAYLOAD),
			 ==,
			 128 * 2048000 + 359057);
	/* a partial last chunk counts as a whole one */
	g_assert_cmpuint(ec25_timing_bound_raw_ns(&test_params, mib + 1, TEST_PAYLOAD),
			 ==,
			 129 * 2048000 + 359057);
	g_assert_cmpuint(ec25_timing_bound_raw_ns(&test_params, 0, TEST_PAYLOAD), ==, 0);
	/* NAND at 3200 Mbit/s: 20.48 µs per chunk, the link (359 µs) is the slower path */
	fast_nand.nand_mbps = 3200;
	g_assert_cmpuint(ec25_timing_bound_raw_ns(&fast_nand, mib, TEST_PAYLOAD),
			 ==,
			 128 * 359057 + 20480);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/timing/costs", test_costs);
	g_test_add_func("/timing/double-buffer", test_double_buffer);
	g_test_add_func("/timing/small-transfers", test_small_transfers);
	g_test_add_func("/timing/commands", test_commands);
	g_test_add_func("/timing/bound", test_bound);
	return g_test_run();
}
