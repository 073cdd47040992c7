/*
 * The names in the model files and what they refer to: every declaration
 * of a table, column, enum or sequence, and every name that points at one
 * (a reference's table and columns, a key's or index's columns, a
 * column's enum type).  Built from the syntax trees, resolved through the
 * IR with the model language's own lookup rules.  `renamed from` names
 * something that no longer exists, so it is no reference.
 */
#ifndef C7_LSP_INDEX_H
#define C7_LSP_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsp_doc;
struct lsp_project;
struct ir_table;

enum lsp_sym { LSP_SYM_TABLE, LSP_SYM_COLUMN, LSP_SYM_ENUM, LSP_SYM_SEQUENCE };

/* One occurrence of a name.  Occurrences of one object share `obj`. */
struct lsp_occ {
	struct lsp_doc *doc;
	uint32_t start, end;
	enum lsp_sym kind;
	bool decl;
	const void *obj;              /* struct ir_table, ir_column, ir_enum, ir_sequence */
	const struct ir_table *table; /* a column's table */
};

/* Fills each document's occs (in the project's arena), unless they are
 * there already: only navigation needs them, so a change does not pay for
 * them until it is asked for. */
void lsp_index_build(struct lsp_project *p);
/* The declaration of what `o` names, or NULL. */
const struct lsp_occ *lsp_occ_decl(const struct lsp_project *p,
				   const struct lsp_occ *o);
/* The occurrence under `offset` (a cursor just after a name counts). */
const struct lsp_occ *lsp_occ_at(const struct lsp_doc *d, size_t offset);

#endif
