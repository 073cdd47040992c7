/* Building blocks shared by the renderers in src/emit/. */
#ifndef C7_EMIT_SQLGEN_H
#define C7_EMIT_SQLGEN_H

#include <stdbool.h>

#include "ir/ir.h"

struct strbuf;

void sqlgen_table(struct strbuf *sb, const struct ir_table *t);
/* Appends "(expr)", adding the parentheses only if they are not there. */
void sqlgen_paren(struct strbuf *sb, const char *expr);
void sqlgen_names(struct strbuf *sb, const struct ir_names *n);
/* Constraint body: PRIMARY KEY (..), UNIQUE (..), CHECK (..), FOREIGN KEY .. */
void sqlgen_constraint_body(struct strbuf *sb, const struct ir_constraint *c);
/* " REFERENCES t (c) ON DELETE .." */
void sqlgen_references(struct strbuf *sb, const struct ir_constraint *c);
/* Column definition after its name: type, collation, identity or
 * generation, default, NOT NULL unless implied. */
void sqlgen_column_body(struct strbuf *sb, const struct ir_column *c,
			bool in_pkey);
void sqlgen_create_table(struct strbuf *sb, const struct ir_table *t,
			 const struct vec *inline_fks);
void sqlgen_create_index(struct strbuf *sb, const struct ir_table *t,
			 const struct ir_index *ix);
/* The same under another name, or built CONCURRENTLY IF NOT EXISTS. */
void sqlgen_create_index_as(struct strbuf *sb, const struct ir_table *t,
			    const struct ir_index *ix, const char *name,
			    bool concurrently);
void sqlgen_create_enum(struct strbuf *sb, const struct ir_enum *e);
/* " (START WITH 10 ...)" after GENERATED ... AS IDENTITY, when the
 * column's sequence has options of its own. */
void sqlgen_identity_options(struct strbuf *sb, const struct ir_column *c);
/* " SET INCREMENT BY 1 SET ... SET NO CYCLE": every option of an
 * identity's sequence, for ALTER COLUMN. */
void sqlgen_identity_set(struct strbuf *sb, const struct ir_sequence *q);
/* The options of a sequence: all of them, or only those CREATE SEQUENCE
 * would not choose by itself. */
void sqlgen_sequence_options(struct strbuf *sb, const struct ir_sequence *q,
			     bool all);

#endif
