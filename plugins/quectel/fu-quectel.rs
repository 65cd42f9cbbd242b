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

// Sahara command IDs (the PBL's image-transfer protocol), see ec25-protocols.md §1.2
#[repr(u32le)]
#[derive(ToString)]
enum FuQuectelSaharaCmd {
    NoCmd,
    Hello,
    HelloResp,
    ReadData,
    EndOfImage,
    Done,
    DoneResp,
    Reset,
    ResetResp,
    MemoryDebug,
    MemoryRead,
    CmdReady,
    SwitchMode,
    Execute,
    ExecuteResp,
    ExecuteData,
    MemoryDebug64,
    MemoryRead64,
    ReadData64,
    ResetStateMachine,
}

// the mode of a HELLO or HELLO_RESP
#[repr(u32le)]
#[derive(ToString)]
enum FuQuectelSaharaMode {
    ImageTxPending,
    ImageTxComplete,
    MemoryDebug,
    Command,
}

// END_OF_IMAGE status: a NAK code from the target
#[repr(u32le)]
#[derive(ToString)]
enum FuQuectelSaharaStatus {
    Success,
    InvalidCmd,
    ProtocolMismatch,
    InvalidTargetProtocol,
    InvalidHostProtocol,
    InvalidPacketSize,
    UnexpectedImageId,
    InvalidHeaderSize,
    InvalidDataSize,
    InvalidImageType,
    InvalidTxLength,
    InvalidRxLength,
    GeneralTxRxError,
    ReadDataError,
    UnsupportedNumPhdrs,
    InvalidPhdrSize,
    MultipleSharedSeg,
    UninitPhdrLoc,
    InvalidDestAddr,
    InvalidImgHdrDataSize,
    InvalidElfHdr,
    TimeoutRx,
    TimeoutTx,
    InvalidHostMode,
    InvalidMemoryRead,
    InvalidDataSizeRequest,
    MemoryDebugNotSupported,
    InvalidModeSwitch,
    CmdExecFailure,
    ExecCmdInvalidParam,
    ExecCmdUnsupported,
    ExecDataInvalidClientCmd,
    HashTableAuthFailure,
    HashVerificationFailure,
    HashTableNotFound,
    TargetInitFailure,
    ImageAuthFailure,
    InvalidImgHashTableSize,
    EnumerationFailure,
    HwBulkTransferError,
}

// DONE_RESP image_tx_status: MDM9607 answers pending (0) after image 13
#[repr(u32le)]
#[derive(ToString)]
enum FuQuectelSaharaDoneStatus {
    Pending,
    Complete,
}

// every Sahara packet starts with this
#[derive(Parse)]
#[repr(C, packed)]
struct FuStructQuectelSaharaPkt {
    cmd: FuQuectelSaharaCmd,
    length: u32le,
}

#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaHello {
    cmd: FuQuectelSaharaCmd == Hello,
    length: u32le == $struct_size,
    version: u32le,
    version_compatible: u32le,
    max_cmd_packet_len: u32le,
    mode: FuQuectelSaharaMode,
    reserved: [u32le; 6],
}

#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaHelloResp {
    cmd: FuQuectelSaharaCmd == HelloResp,
    length: u32le == $struct_size,
    version: u32le = 2,
    version_compatible: u32le = 1,
    status: FuQuectelSaharaStatus == Success,
    mode: FuQuectelSaharaMode,
    reserved: [u32le; 6],
}

#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaReadData {
    cmd: FuQuectelSaharaCmd == ReadData,
    length: u32le == $struct_size,
    image_id: u32le,
    offset: u32le,
    size: u32le,
}

#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaEndOfImage {
    cmd: FuQuectelSaharaCmd == EndOfImage,
    length: u32le == $struct_size,
    image_id: u32le,
    status: FuQuectelSaharaStatus,
}

#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaDone {
    cmd: FuQuectelSaharaCmd == Done,
    length: u32le == $struct_size,
}

#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaDoneResp {
    cmd: FuQuectelSaharaCmd == DoneResp,
    length: u32le == $struct_size,
    status: FuQuectelSaharaDoneStatus,
}

#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaReset {
    cmd: FuQuectelSaharaCmd == Reset,
    length: u32le == $struct_size,
}

// the target's answer to RESET, before it reboots
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaResetResp {
    cmd: FuQuectelSaharaCmd == ResetResp,
    length: u32le == $struct_size,
}

// memory-debug mode (ramdump, ec25-protocols.md §1.7): where the region table is
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaMemoryDebug {
    cmd: FuQuectelSaharaCmd == MemoryDebug,
    length: u32le == $struct_size,
    table_addr: u32le,
    table_length: u32le,
}

// command mode (ec25-protocols.md §1.3): the PBL is ready for EXECUTE
#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaCmdReady {
    cmd: FuQuectelSaharaCmd == CmdReady,
    length: u32le == $struct_size,
}

// command mode: leave it for another mode; the PBL then sends HELLO again
#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaSwitchMode {
    cmd: FuQuectelSaharaCmd == SwitchMode,
    length: u32le == $struct_size,
    mode: FuQuectelSaharaMode,
}

// the client commands of EXECUTE that identify the chip
#[repr(u32le)]
#[derive(ToString)]
enum FuQuectelSaharaExec {
    Nop,
    SerialNumRead,
    MsmHwIdRead,
    OemPkHashRead,
}

#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaExecute {
    cmd: FuQuectelSaharaCmd == Execute,
    length: u32le == $struct_size,
    client_cmd: FuQuectelSaharaExec,
}

#[derive(Parse, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaExecuteResp {
    cmd: FuQuectelSaharaCmd == ExecuteResp,
    length: u32le == $struct_size,
    client_cmd: FuQuectelSaharaExec,
    data_length: u32le,
}

#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelSaharaExecuteData {
    cmd: FuQuectelSaharaCmd == ExecuteData,
    length: u32le == $struct_size,
    client_cmd: FuQuectelSaharaExec,
}

// the DIAG subsystem command that reboots the module into the PBL's EDL
#[derive(New, Default)]
#[repr(C, packed)]
struct FuStructQuectelDiagEdl {
    cmd: u8 == 0x4B,
    subsys: u8 == 0x65,
    subcmd: u16le == 0x0001,
}
