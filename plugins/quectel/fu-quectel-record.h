/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <fwupdplugin.h>

/**
 * FuQuectelRecord:
 *
 * What the plugin knows of one module across emergency download mode, daemon restarts and host
 * reboots: written in normal mode before the detach, completed in EDL with the chip's identity,
 * removed once the module reports the installed version.
 **/
typedef struct {
	gchar *imei;	     /* 867698041234562, or NULL */
	gchar *model;	     /* EC25 */
	gchar *revision;     /* EC25EFAR06A08M4G: variant, baseline and flash follow from it */
	gchar *full_version; /* EC25EFAR06A08M4G_01.001.01.001, or NULL */
	gchar *physical_id;  /* the USB port, e.g. 1-1 */
	gchar *version_installing; /* what the interrupted update installs, or NULL */
	gboolean has_chip;	   /* the chip fields below were read in EDL */
	guint32 chip_serial;
	guint64 msm_hw_id;
	gchar *oem_pk_hash; /* hex */
} FuQuectelRecord;

FuQuectelRecord *
fu_quectel_record_new(void);
void
fu_quectel_record_free(FuQuectelRecord *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FuQuectelRecord, fu_quectel_record_free)

gchar *
fu_quectel_record_to_string(const FuQuectelRecord *self, GError **error) G_GNUC_NON_NULL(1);
FuQuectelRecord *
fu_quectel_record_parse(const gchar *data, gsize datasz, GError **error) G_GNUC_NON_NULL(1);
gchar *
fu_quectel_record_get_basename(const FuQuectelRecord *self) G_GNUC_NON_NULL(1);
GPtrArray *
fu_quectel_record_get_instance_ids(const FuQuectelRecord *self, GError **error) G_GNUC_NON_NULL(1);
gboolean
fu_quectel_record_matches_chip(const FuQuectelRecord *self, guint32 chip_serial, guint64 msm_hw_id)
    G_GNUC_NON_NULL(1);
