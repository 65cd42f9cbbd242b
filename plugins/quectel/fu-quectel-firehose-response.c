/*
 * Copyright 2026 The fwupd-quectel authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "fu-quectel-firehose-response.h"
#include "fu-quectel-package-xml.h"

/* what the host accepts in one read: several concatenated documents over a stream */
#define FU_QUECTEL_FIREHOSE_READ_MAX   0x10000
#define FU_QUECTEL_FIREHOSE_LOGS_MAX   256
#define FU_QUECTEL_FIREHOSE_XML_DECL   "<?xml"
#define FU_QUECTEL_FIREHOSE_STORAGE_ID "\"storage_info\""

/* the largest NAND geometry believed from a programmer: 16 KiB pages, 1024 pages, 4 MiB blocks */
#define FU_QUECTEL_FIREHOSE_STORAGE_PAGE_SIZE_MAX	0x4000
#define FU_QUECTEL_FIREHOSE_STORAGE_BLOCK_SIZE_MAX	0x400000
#define FU_QUECTEL_FIREHOSE_STORAGE_PAGES_PER_BLOCK_MAX 1024

FuQuectelFirehoseResponse *
fu_quectel_firehose_response_new(void)
{
	FuQuectelFirehoseResponse *self = g_new0(FuQuectelFirehoseResponse, 1);
	self->logs = g_ptr_array_new_with_free_func(g_free);
	self->attrs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return self;
}

void
fu_quectel_firehose_response_free(FuQuectelFirehoseResponse *self)
{
	g_ptr_array_unref(self->logs);
	g_hash_table_unref(self->attrs);
	g_free(self->value);
	g_free(self);
}

static void
fu_quectel_firehose_response_start_element_cb(GMarkupParseContext *context,
					      const gchar *element_name,
					      const gchar **attribute_names,
					      const gchar **attribute_values,
					      gpointer user_data,
					      GError **error)
{
	FuQuectelFirehoseResponse *self = user_data;

	/* GMarkup keeps both values of a repeated attribute: which one would count? */
	for (guint i = 0; attribute_names[i] != NULL; i++) {
		for (guint j = 0; j < i; j++) {
			if (g_strcmp0(attribute_names[i], attribute_names[j]) == 0) {
				g_set_error(error, /* nocheck:error-false-return */
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "attribute %s of <%s> given twice",
					    attribute_names[i],
					    element_name);
				return;
			}
		}
	}
	if (g_strcmp0(element_name, "log") == 0) {
		for (guint i = 0; attribute_names[i] != NULL; i++) {
			if (g_strcmp0(attribute_names[i], "value") != 0)
				continue;
			/* a flood of logs keeps the latest: the reason of a NAK is the last */
			if (self->logs->len >= FU_QUECTEL_FIREHOSE_LOGS_MAX) {
				g_ptr_array_remove_index(self->logs, 0);
				self->logs_dropped++;
			}
			g_ptr_array_add(self->logs, g_strdup(attribute_values[i]));
		}
		return;
	}
	if (g_strcmp0(element_name, "response") == 0) {
		for (guint i = 0; attribute_names[i] != NULL; i++) {
			if (g_strcmp0(attribute_names[i], "value") == 0) {
				g_free(self->value);
				self->value = g_strdup(attribute_values[i]);
				continue;
			}
			g_hash_table_insert(self->attrs,
					    g_strdup(attribute_names[i]),
					    g_strdup(attribute_values[i]));
		}
	}
}

static gboolean
fu_quectel_firehose_response_parse_document(FuQuectelFirehoseResponse *self,
					    const gchar *buf,
					    gsize bufsz,
					    GError **error)
{
	GMarkupParser parser = {.start_element = fu_quectel_firehose_response_start_element_cb};
	g_autoptr(GMarkupParseContext) ctx = NULL;

	ctx = g_markup_parse_context_new(&parser, G_MARKUP_PREFIX_ERROR_POSITION, self, NULL);
	if (!g_markup_parse_context_parse(ctx, buf, bufsz, error) ||
	    !g_markup_parse_context_end_parse(ctx, error)) {
		fwupd_error_convert(error);
		return FALSE;
	}
	return TRUE;
}

/**
 * fu_quectel_firehose_response_parse:
 * @self: a #FuQuectelFirehoseResponse
 * @buf: what one read returned: one document over USB, maybe several over a stream
 * @bufsz: size of @buf, which need not be NUL-terminated
 * @error: (nullable): optional return location for an error
 *
 * Adds the logs and the response found in @buf to @self.
 *
 * Returns: %TRUE if every document was well-formed
 **/
gboolean
fu_quectel_firehose_response_parse(FuQuectelFirehoseResponse *self,
				   const gchar *buf,
				   gsize bufsz,
				   GError **error)
{
	g_autofree gchar *text = NULL;
	g_auto(GStrv) docs = NULL;

	if (bufsz > FU_QUECTEL_FIREHOSE_READ_MAX) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "firehose response of 0x%x bytes is larger than 0x%x",
			    (guint)bufsz,
			    (guint)FU_QUECTEL_FIREHOSE_READ_MAX);
		return FALSE;
	}
	if (memchr(buf, '\0', bufsz) != NULL) {
		g_set_error_literal(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "firehose response contains a NUL byte");
		return FALSE;
	}
	text = g_strndup(buf, bufsz);
	docs = g_strsplit(text, FU_QUECTEL_FIREHOSE_XML_DECL, -1);
	for (guint i = 0; docs[i] != NULL; i++) {
		g_autofree gchar *doc = NULL;
		if (i == 0) {
			/* anything before the first declaration must be blank */
			if (g_strstrip(docs[i])[0] != '\0') {
				/* noise is shown escaped, never as raw bytes */
				g_autofree gchar *head = g_strndup(docs[i], 32);
				g_autofree gchar *head_safe = g_strescape(head, NULL);
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "firehose response does not start with an XML "
					    "declaration: \"%s\"",
					    head_safe);
				return FALSE;
			}
			continue;
		}
		doc = g_strdup_printf("%s%s", FU_QUECTEL_FIREHOSE_XML_DECL, docs[i]);
		if (!fu_quectel_firehose_response_parse_document(self, doc, strlen(doc), error)) {
			g_prefix_error_literal(error, "invalid firehose response: ");
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
fu_quectel_firehose_response_is_ack(const FuQuectelFirehoseResponse *self)
{
	return g_strcmp0(self->value, "ACK") == 0;
}

const gchar *
fu_quectel_firehose_response_get_attr(const FuQuectelFirehoseResponse *self, const gchar *key)
{
	return g_hash_table_lookup(self->attrs, key);
}

/**
 * fu_quectel_firehose_response_get_reason:
 * @self: a #FuQuectelFirehoseResponse
 *
 * Returns: (transfer full): the last log line, which is how programmers explain a NAK
 **/
gchar *
fu_quectel_firehose_response_get_reason(const FuQuectelFirehoseResponse *self)
{
	if (self->logs->len == 0)
		return g_strdup("no reason given");
	return g_strdup(g_ptr_array_index(self->logs, self->logs->len - 1));
}

gboolean
fu_quectel_firehose_response_get_attr_u64(const FuQuectelFirehoseResponse *self,
					  const gchar *key,
					  guint64 *value,
					  GError **error)
{
	const gchar *str = fu_quectel_firehose_response_get_attr(self, key);
	if (str == NULL) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "firehose response has no %s",
			    key);
		return FALSE;
	}
	if (!fu_strtoull(str, value, 0, G_MAXUINT32, FU_INTEGER_BASE_10, error)) {
		g_prefix_error(error, "invalid %s: ", key);
		return FALSE;
	}
	return TRUE;
}

static gboolean
fu_quectel_firehose_response_storage_member(JsonObject *obj,
					    const gchar *key,
					    guint64 *value,
					    GError **error)
{
	JsonNode *node = json_object_get_member(obj, key);
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node) ||
	    json_node_get_value_type(node) != G_TYPE_INT64 || json_node_get_int(node) <= 0 ||
	    json_node_get_int(node) > G_MAXUINT32) {
		g_set_error(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_INVALID_DATA,
			    "storage information has no valid %s",
			    key);
		return FALSE;
	}
	*value = (guint64)json_node_get_int(node);
	return TRUE;
}

/**
 * fu_quectel_firehose_response_get_storage:
 * @self: a #FuQuectelFirehoseResponse of a `<getstorageinfo>`
 * @geometry: (out): page size, block size and pages per block of the NAND
 * @total_blocks: (out) (optional): erase blocks of the NAND
 * @error: (nullable): optional return location for an error
 *
 * Programmers report the storage in a log line such as
 * `INFO: {"storage_info": {"total_blocks":2048, "block_size":262144, "page_size":4096, …}}`;
 * some give the block size in pages, which is recognised by it being smaller than a page.
 *
 * Returns: %TRUE if the geometry was found and is sane
 **/
gboolean
fu_quectel_firehose_response_get_storage(const FuQuectelFirehoseResponse *self,
					 FuQuectelPackageGeometry *geometry,
					 guint64 *total_blocks,
					 GError **error)
{
	for (guint i = 0; i < self->logs->len; i++) {
		const gchar *log = g_ptr_array_index(self->logs, i);
		const gchar *json = strchr(log, '{');
		guint64 page_size = 0;
		guint64 block_size = 0;
		guint64 blocks = 0;
		JsonObject *obj;
		JsonNode *node;
		g_autoptr(JsonParser) parser = NULL;

		if (json == NULL || strstr(log, FU_QUECTEL_FIREHOSE_STORAGE_ID) == NULL)
			continue;
		parser = json_parser_new();
		if (!json_parser_load_from_data(parser, json, -1, error)) {
			fwupd_error_convert(error);
			g_prefix_error_literal(error, "invalid storage information: ");
			return FALSE;
		}
		if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)) ||
		    !json_object_has_member(json_node_get_object(json_parser_get_root(parser)),
					    "storage_info")) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "storage information is not an object");
			return FALSE;
		}
		node = json_object_get_member(json_node_get_object(json_parser_get_root(parser)),
					      "storage_info");
		obj = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		if (obj == NULL) {
			g_set_error_literal(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "storage_info is not an object");
			return FALSE;
		}
		if (!fu_quectel_firehose_response_storage_member(obj,
								 "page_size",
								 &page_size,
								 error) ||
		    !fu_quectel_firehose_response_storage_member(obj,
								 "block_size",
								 &block_size,
								 error) ||
		    !fu_quectel_firehose_response_storage_member(obj,
								 "total_blocks",
								 &blocks,
								 error))
			return FALSE;
		if (page_size > FU_QUECTEL_FIREHOSE_STORAGE_PAGE_SIZE_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "page size 0x%x is larger than 0x%x",
				    (guint)page_size,
				    (guint)FU_QUECTEL_FIREHOSE_STORAGE_PAGE_SIZE_MAX);
			return FALSE;
		}
		if (block_size < page_size) {
			if (block_size > FU_QUECTEL_FIREHOSE_STORAGE_PAGES_PER_BLOCK_MAX) {
				g_set_error(error,
					    FWUPD_ERROR,
					    FWUPD_ERROR_INVALID_DATA,
					    "block size of %u pages is more than %u",
					    (guint)block_size,
					    (guint)FU_QUECTEL_FIREHOSE_STORAGE_PAGES_PER_BLOCK_MAX);
				return FALSE;
			}
			block_size *= page_size;
		}
		if (block_size > FU_QUECTEL_FIREHOSE_STORAGE_BLOCK_SIZE_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "block size 0x%x is larger than 0x%x",
				    (guint)block_size,
				    (guint)FU_QUECTEL_FIREHOSE_STORAGE_BLOCK_SIZE_MAX);
			return FALSE;
		}
		if (block_size % page_size != 0 ||
		    block_size / page_size > FU_QUECTEL_FIREHOSE_STORAGE_PAGES_PER_BLOCK_MAX) {
			g_set_error(error,
				    FWUPD_ERROR,
				    FWUPD_ERROR_INVALID_DATA,
				    "block size 0x%x is not a multiple of the page size 0x%x of at "
				    "most 1024 pages",
				    (guint)block_size,
				    (guint)page_size);
			return FALSE;
		}
		geometry->page_size = page_size;
		geometry->block_size = block_size;
		geometry->pages_per_block = block_size / page_size;
		if (total_blocks != NULL)
			*total_blocks = blocks;
		return TRUE;
	}
	g_set_error_literal(error,
			    FWUPD_ERROR,
			    FWUPD_ERROR_NOT_SUPPORTED,
			    "the programmer did not report the storage geometry");
	return FALSE;
}
