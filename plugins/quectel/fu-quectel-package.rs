// Copyright 2026 The fwupd-quectel authors
// SPDX-License-Identifier: LGPL-2.1-or-later

// an operation of a firehose rawprogram XML file
#[derive(ToString)]
enum FuQuectelPackageOpKind {
    Erase,
    Program,
}

// page 0 of a NAND MIBIB (partition_complete_p*.mbn): the mi_boot_info header
#[derive(ParseBytes, ValidateBytes, Default)]
#[repr(C, packed)]
struct FuStructQuectelMibibHeader {
    magic1: u32le == 0xFE569FAC,
    magic2: u32le == 0xCD7F127A,
    version: u32le,
    age: u32le,
}

// the system partition table, at page 1 of the MIBIB or at offset 0 of a bare table
#[derive(ParseBytes, ValidateBytes, Default)]
#[repr(C, packed)]
struct FuStructQuectelMibibTable {
    magic1: u32le == 0x55EE73AA,
    magic2: u32le == 0xE35EBDDB,
    version: u32le,
    numparts: u32le,
}

// one entry of the system partition table, offset and length in erase blocks
#[derive(ParseBytes)]
#[repr(C, packed)]
struct FuStructQuectelMibibEntry {
    name: [char; 16],
    offset: u32le,
    length: u32le,
    attr1: u8,
    attr2: u8,
    attr3: u8,
    which_flash: u8,
}

// one step of an update plan, in the order the planner puts them
#[derive(ToString)]
enum FuQuectelPlanStepKind {
    Erase,
    Vendor,
    Program,
    Patch,
}

// a file of an update payload that the plugin and the converter select by its name
#[derive(ToString)]
enum FuQuectelPayloadFile {
    Programmer,
    Rawprogram,
    Patch,
    Mibib,
}
