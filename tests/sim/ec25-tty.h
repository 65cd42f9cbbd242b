/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <umockdev.h>

/*
 * The tty ioctls of a simulated serial port, for hosts that need more than umockdev's default
 * handler gives (it refuses TIOCEXCL, TIOCM*, TCFLSH): ModemManager locks its ports with
 * TIOCEXCL and fails to open them otherwise. Served on the PTY slave the simulator holds.
 */

#define EC25_TYPE_TTY (ec25_tty_get_type())
G_DECLARE_FINAL_TYPE(Ec25Tty, ec25_tty, EC25, TTY, UMockdevIoctlBase)

Ec25Tty *
ec25_tty_new(gint slave_fd);
