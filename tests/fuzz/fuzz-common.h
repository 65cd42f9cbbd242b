/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Shared by the libFuzzer targets: a GLib warning or critical is a finding (a parser must
 * answer bad input with a GError, never with a g_return_if_fail() or a Json-CRITICAL), so
 * they abort like a crash.
 */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerInitialize(int *argc, char ***argv);

/* abort() (not GLib's breakpoint trap, which libFuzzer does not catch) so that a reproducer
 * is written */
static inline void
fuzz_log_handler(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
	g_log_default_handler(domain, level, message, data);
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
		abort();
}

static inline GLogWriterOutput
fuzz_log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
	GLogWriterOutput rc = g_log_writer_default(level, fields, n_fields, data);
	if ((level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)) != 0)
		abort();
	return rc;
}

#define FUZZ_INIT_FATAL_LOGS                                                                       \
	int LLVMFuzzerInitialize(int *argc, char ***argv)                                          \
	{                                                                                          \
		g_log_set_default_handler(fuzz_log_handler, NULL);                                 \
		g_log_set_writer_func(fuzz_log_writer, NULL, NULL);                                \
		return 0;                                                                          \
	}

/* the input as a NUL-terminated string (parsers of text take gchar *) */
static inline gchar *
fuzz_strndup(const uint8_t *data, size_t size)
{
	gchar *str = g_malloc(size + 1);
	if (size > 0)
		memcpy(str, data, size);
	str[size] = '\0';
	return str;
}

/* the two NAND geometries of the modules, picked by one input byte */
#define FUZZ_GEOMETRY(byte, geometry)                                                              \
	do {                                                                                       \
		gboolean eg25 = ((byte)&1) != 0;                                                   \
		(geometry)->page_size = eg25 ? 2048 : 4096;                                        \
		(geometry)->pages_per_block = 64;                                                  \
		(geometry)->block_size = (geometry)->page_size * 64;                               \
	} while (0)
