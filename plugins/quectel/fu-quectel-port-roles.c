/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fwupdplugin.h>

#include "fu-quectel-port-roles.h"

/**
 * fu_quectel_port_roles_parse:
 * @str: a comma separated list, e.g. `dm,nmea,at,modem`
 * @roles: (out) (transfer full): #FuQuectelPortRole values, in the order given
 * @error: (nullable): optional return location for an error
 *
 * Parses the `QuectelSerialPorts` quirk: the roles of the module's USB serial functions in
 * ascending interface order.
 *
 * Returns: %TRUE for success
 **/
gboolean
fu_quectel_port_roles_parse(const gchar *str, GArray **roles, GError **error)
{
	g_auto(GStrv) split = g_strsplit(str, ",", -1);
	g_autoptr(GArray) roles_tmp = g_array_new(FALSE, FALSE, sizeof(FuQuectelPortRole));

	for (guint i = 0; split[i] != NULL; i++) {
		FuQuectelPortRole role = fu_quectel_port_role_from_string(g_strstrip(split[i]));
		if (role == FU_QUECTEL_PORT_ROLE_UNKNOWN) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "unknown serial port role '%s' in '%s'",
				    split[i],
				    str);
			return FALSE;
		}
		for (guint j = 0; j < roles_tmp->len; j++) {
			if (g_array_index(roles_tmp, FuQuectelPortRole, j) == role) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "serial port role '%s' listed twice in '%s'",
					    split[i],
					    str);
				return FALSE;
			}
		}
		g_array_append_val(roles_tmp, role);
	}
	*roles = g_steal_pointer(&roles_tmp);
	return TRUE;
}
