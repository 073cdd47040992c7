/* textDocument/documentSymbol: a file's tables (with their columns),
 * enums (with their labels) and sequences, from its syntax tree. */
#ifndef C7_LSP_SYMBOLS_H
#define C7_LSP_SYMBOLS_H

#include <jansson.h>

#include "lsp/text.h"

struct lsp_doc;

/* DocumentSymbol[] in file order. */
json_t *lsp_symbols(const struct lsp_doc *d, enum lsp_encoding enc);

#endif
