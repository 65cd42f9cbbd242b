// Copyright 2026 The fwupd-quectel authors
// SPDX-License-Identifier: LGPL-2.1-or-later

// how a zip entry is stored
#[derive(ToString)]
#[repr(u16le)]
enum FuQuectelZipMethod {
    Store = 0,
    Deflate = 8,
}

// the end of central directory record, the last thing in a zip file
#[derive(ParseBytes, ValidateBytes, Default)]
#[repr(C, packed)]
struct FuStructQuectelZipEocd {
    magic: u32le == 0x06054B50,
    disk: u16le,
    disk_cd: u16le,
    entries_disk: u16le,
    entries: u16le,
    cd_size: u32le,
    cd_offset: u32le,
    comment_len: u16le,
}

// one entry of the central directory
#[derive(ParseStream, Default)]
#[repr(C, packed)]
struct FuStructQuectelZipCdEntry {
    magic: u32le == 0x02014B50,
    version_made: u16le,
    version_needed: u16le,
    flags: u16le,
    method: u16le,
    mtime: u16le,
    mdate: u16le,
    crc: u32le,
    size_compressed: u32le,
    size: u32le,
    name_len: u16le,
    extra_len: u16le,
    comment_len: u16le,
    disk: u16le,
    attr_internal: u16le,
    attr_external: u32le,
    offset_local: u32le,
}

// the local header in front of the data of each entry
#[derive(ParseStream, ValidateStream, Default)]
#[repr(C, packed)]
struct FuStructQuectelZipLocal {
    magic: u32le == 0x04034B50,
    version_needed: u16le,
    flags: u16le,
    method: u16le,
    mtime: u16le,
    mdate: u16le,
    crc: u32le,
    size_compressed: u32le,
    size: u32le,
    name_len: u16le,
    extra_len: u16le,
}
