/*
 * IR -> model text, for `c7gen inspect`: the model files that describe a
 * database.  Deterministic (objects by name), laid out like SPEC §2 (names
 * and types aligned), names written out only where they differ from what
 * PostgreSQL would choose, expressions as the server prints them.
 */
#ifndef C7_EMIT_MODELS_H
#define C7_EMIT_MODELS_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;
struct ir_schema;
struct ir_table;
struct ir_enum;
struct ir_extension;
struct ir_sequence;

/* A name as the model language needs it: bare when it can be, else in
 * double quotes. */
void models_add_name(struct strbuf *sb, const char *name);
void models_enum(struct strbuf *sb, const struct ir_enum *e);
void models_extension(struct strbuf *sb, const struct ir_extension *x);
void models_sequence(struct strbuf *sb, const struct ir_sequence *q);
void models_table(struct strbuf *sb, const struct ir_schema *s,
		  const struct ir_table *t);

/* The one column aligner, shared by inspect and fmt: a table's column
 * lines put names and types in aligned fields ("  NAME  TYPE  ATTRS"). */
struct models_columns {
	size_t name_w, type_w; /* widest name and type, in characters */
};
/* Widens `w` for one more column line. */
void models_columns_measure(struct models_columns *w, const char *name,
			    const char *type);
/* Appends one line, without its line end: two spaces, the name and the
 * type padded to the widths, then `attrs` (NULL or "" for none); a field
 * wider than its width gets one space after it. */
void models_columns_line(struct strbuf *sb, const struct models_columns *w,
			 const char *name, const char *type, const char *attrs);

#endif
