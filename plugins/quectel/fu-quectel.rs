// Copyright 2026 The fwupd-quectel authors
// SPDX-License-Identifier: LGPL-2.1-or-later

// how far an AT command's response has been received
#[derive(ToString)]
enum FuQuectelAtStatus {
    Incomplete,
    Ok,
    Error,
}

// what a USB serial function of the module is used for
#[derive(ToString, FromString)]
enum FuQuectelPortRole {
    Unknown,
    Dm,
    Nmea,
    At,
    Modem,
}
