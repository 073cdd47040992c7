/*
 * Go to definition, find references and hover, over the index of names
 * (src/lsp/index.h).  Each returns the LSP result object for a position
 * given as a byte offset into `d`, or JSON null when there is nothing.
 */
#ifndef C7_LSP_NAVIGATE_H
#define C7_LSP_NAVIGATE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lsp/text.h"

struct lsp_project;
struct lsp_doc;

/* The declaration of what is under the cursor: a Location. */
json_t *lsp_definition(const struct lsp_project *p, const struct lsp_doc *d,
		       size_t offset, enum lsp_encoding enc);
/* Every occurrence of it, in file order: Location[]. */
json_t *lsp_references(const struct lsp_project *p, const struct lsp_doc *d,
		       size_t offset, bool with_declaration,
		       enum lsp_encoding enc);
/* A Hover: a column's canonical type, constraints and comment; a table's
 * CREATE TABLE as c7gen writes it; an enum's CREATE TYPE. */
json_t *lsp_hover(const struct lsp_doc *d, size_t offset, enum lsp_encoding enc);

#endif
