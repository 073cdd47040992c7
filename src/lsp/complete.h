/*
 * textDocument/completion.  What fits at the cursor is read from the
 * scanner's tokens before it (the file is usually half written, so the
 * syntax tree cannot be relied on): types after a column's name, table
 * names after `references`, column names inside a key's, index's or
 * reference's parentheses, and the keywords that may come next.
 */
#ifndef C7_LSP_COMPLETE_H
#define C7_LSP_COMPLETE_H

#include <stddef.h>

#include <jansson.h>

struct lsp_project;
struct lsp_doc;

/* A CompletionList for byte `offset` of `d`. */
json_t *lsp_complete(const struct lsp_project *p, const struct lsp_doc *d,
		     size_t offset);

#endif
