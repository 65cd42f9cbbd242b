/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "ec25-urc.h"

#include <string.h>

/* one in EC25_URC_RANDOM_ONE_IN points gets a URC in random mode */
#define EC25_URC_RANDOM_ONE_IN 3

/* what an EC25 sends after power-on, in this order */
static const gchar *ec25_urc_boot_burst[] = {
    "RDY",
    "+CFUN: 1",
    "+CPIN: READY",
    "+QUSIM: 1",
    "+QIND: SMS DONE",
    "+QIND: PB DONE",
};

/* what it sends later: network, SMS and power events */
static const gchar *ec25_urc_events[] = {
    "+QIND: SMS DONE",
    "+QIND: PB DONE",
    "+QIND: \"csq\",23,99",
    "+CREG: 1",
    "+CGREG: 1",
    "+QUSIM: 1",
    "+CPIN: READY",
    "+CMTI: \"SM\",1",
    "RING",
};

static const struct {
	const gchar *name;
	Ec25UrcPoint point;
} ec25_urc_point_names[] = {
    {"boot", EC25_URC_POINT_BOOT},
    {"before-echo", EC25_URC_POINT_BEFORE_ECHO},
    {"after-echo", EC25_URC_POINT_AFTER_ECHO},
    {"before-final", EC25_URC_POINT_BEFORE_FINAL},
    {"after-final", EC25_URC_POINT_AFTER_FINAL},
    {"random", EC25_URC_POINT_RANDOM},
};

static const gchar *
ec25_urc_point_to_string(Ec25UrcPoint point)
{
	for (guint i = 0; i < G_N_ELEMENTS(ec25_urc_point_names); i++) {
		if (ec25_urc_point_names[i].point == point)
			return ec25_urc_point_names[i].name;
	}
	return "unknown";
}

gboolean
ec25_urc_parse_option(const gchar *option_name, const gchar *value, gpointer data, GError **error)
{
	Ec25Module *module = data;
	g_auto(GStrv) names = NULL;

	if (g_strcmp0(option_name, "--urc-seed") == 0) {
		gchar *endptr = NULL;
		guint64 seed = g_ascii_strtoull(value, &endptr, 10);
		if (value[0] == '\0' || *endptr != '\0' || seed > G_MAXUINT32) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "--urc-seed is a number up to %u, not %s",
				    G_MAXUINT32,
				    value);
			return FALSE;
		}
		g_rand_set_seed(module->urc_rand, (guint32)seed);
		return TRUE;
	}
	names = g_strsplit(value, ",", -1);
	module->urc_points = 0;
	for (guint i = 0; names[i] != NULL; i++) {
		gboolean found = g_strcmp0(names[i], "none") == 0;
		if (g_strcmp0(names[i], "all") == 0) {
			module->urc_points |= EC25_URC_POINT_BOOT | EC25_URC_POINT_BEFORE_ECHO |
					      EC25_URC_POINT_AFTER_ECHO |
					      EC25_URC_POINT_BEFORE_FINAL |
					      EC25_URC_POINT_AFTER_FINAL;
			continue;
		}
		for (guint j = 0; j < G_N_ELEMENTS(ec25_urc_point_names); j++) {
			if (g_strcmp0(names[i], ec25_urc_point_names[j].name) == 0) {
				module->urc_points |= ec25_urc_point_names[j].point;
				found = TRUE;
			}
		}
		if (!found) {
			g_set_error(
			    error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "--urc is a list of boot, before-echo, after-echo, before-final, "
			    "after-final, all, random or none, not %s",
			    names[i]);
			return FALSE;
		}
	}
	module->urc_boot_pending = TRUE;
	return TRUE;
}

void
ec25_urc_boot(Ec25Module *self)
{
	self->urc_boot_pending = TRUE;
}

static void
ec25_urc_append(Ec25Module *self,
		const gchar *urc,
		Ec25UrcPoint point,
		const gchar *cmd,
		GByteArray *out)
{
	g_autofree gchar *line = g_strdup_printf("\r\n%s\r\n", urc);
	g_byte_array_append(out, (const guint8 *)line, strlen(line));
	self->urc_count++;
	ec25_module_log(self,
			"urc: %s (%s%s%s)",
			urc,
			ec25_urc_point_to_string(point),
			cmd != NULL ? " of " : "",
			cmd != NULL ? cmd : "");
}

/* one URC at @point if the options ask for one there */
static void
ec25_urc_at(Ec25Module *self, Ec25UrcPoint point, const gchar *cmd, GByteArray *out)
{
	const gchar *urc;

	if (self->urc_points & EC25_URC_POINT_RANDOM) {
		if (g_rand_int_range(self->urc_rand, 0, EC25_URC_RANDOM_ONE_IN) != 0)
			return;
	} else if ((self->urc_points & point) == 0) {
		return;
	}
	urc = ec25_urc_events[g_rand_int_range(self->urc_rand, 0, G_N_ELEMENTS(ec25_urc_events))];
	ec25_urc_append(self, urc, point, cmd, out);
}

void
ec25_urc_before_echo(Ec25Module *self, GByteArray *out)
{
	ec25_urc_at(self, EC25_URC_POINT_BEFORE_ECHO, NULL, out);
}

void
ec25_urc_answer(Ec25Module *self, const gchar *cmd, GByteArray *answer, GByteArray *out)
{
	gsize final_at = 0;

	/* the module had just booted when the command came */
	if (self->urc_boot_pending &&
	    (self->urc_points & (EC25_URC_POINT_BOOT | EC25_URC_POINT_RANDOM)) != 0) {
		for (guint i = 0; i < G_N_ELEMENTS(ec25_urc_boot_burst); i++)
			ec25_urc_append(self,
					ec25_urc_boot_burst[i],
					EC25_URC_POINT_BOOT,
					cmd,
					out);
	}
	self->urc_boot_pending = FALSE;
	ec25_urc_at(self, EC25_URC_POINT_AFTER_ECHO, cmd, out);

	/* the final result code is the last line: "\r\nOK\r\n" */
	if (answer->len >= 4) {
		for (gsize i = answer->len - 4; i > 0; i--) {
			if (answer->data[i] == '\r' && answer->data[i + 1] == '\n') {
				final_at = i;
				break;
			}
		}
	}
	g_byte_array_append(out, answer->data, final_at);
	ec25_urc_at(self, EC25_URC_POINT_BEFORE_FINAL, cmd, out);
	g_byte_array_append(out, answer->data + final_at, answer->len - final_at);
	ec25_urc_at(self, EC25_URC_POINT_AFTER_FINAL, cmd, out);
}
