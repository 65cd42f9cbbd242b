/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "ec25-module.h"

/*
 * Unsolicited result codes on the AT ports: a real module sends them at any time, also
 * between the echo of a command and its answer. `--urc POINTS` chooses where they come,
 * `--urc random` lets a seeded generator (`--urc-seed`) choose, reproducibly.
 */

typedef enum {
	EC25_URC_POINT_BOOT = 1 << 0,	      /* a burst with the first command after each boot */
	EC25_URC_POINT_BEFORE_ECHO = 1 << 1,  /* before the echo of each command */
	EC25_URC_POINT_AFTER_ECHO = 1 << 2,   /* between the echo and the answer */
	EC25_URC_POINT_BEFORE_FINAL = 1 << 3, /* between the information lines and OK/ERROR */
	EC25_URC_POINT_AFTER_FINAL = 1 << 4,  /* after the final result code */
	EC25_URC_POINT_RANDOM = 1 << 5,	      /* any of the above, as the seeded generator says */
} Ec25UrcPoint;

/* GOptionArgFunc for --urc and --urc-seed; @data is the Ec25Module */
gboolean
ec25_urc_parse_option(const gchar *option_name, const gchar *value, gpointer data, GError **error);

/* the module booted: its boot burst is pending */
void
ec25_urc_boot(Ec25Module *self);

/* the host starts a command on an AT port: URCs before its echo */
void
ec25_urc_before_echo(Ec25Module *self, GByteArray *out);

/* the module answers @cmd with @answer (ending in its final result code): the answer with
 * the URCs after the echo, before and after the final result code is appended to @out */
void
ec25_urc_answer(Ec25Module *self, const gchar *cmd, GByteArray *answer, GByteArray *out);
