/*
 * IR -> model text, for `c7gen inspect`: the model files that describe a
 * database.  Deterministic (objects by name), laid out like SPEC §2 (names
 * and types aligned), names written out only where they differ from what
 * PostgreSQL would choose, expressions as the server prints them.
 */
#ifndef C7_EMIT_MODELS_H
#define C7_EMIT_MODELS_H

#include <stdbool.h>

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

#endif
