/*
 * The model front end as the commands see it: model files in, one schema IR
 * out, every problem as a diagnostic.
 */
#ifndef C7_LANG_LANG_H
#define C7_LANG_LANG_H

#include <stdbool.h>

struct arena;
struct diags;
struct ast_model;
struct ir_schema;

/* Parses every *.c7 file under `dir` (recursively, sorted by path) and
 * builds the IR.  Returns NULL when any error was reported. */
struct ir_schema *lang_load_models(struct arena *a, struct diags *d,
				   const char *dir);

/* Semantic analysis of parsed declarations into the IR: resolution,
 * canonical types, PostgreSQL's default names, and every model error. */
struct ir_schema *lang_analyze(struct arena *a, struct diags *d,
			       const struct ast_model *m);

/* As lang_analyze(), but returns the IR whether or not errors were
 * reported, for tools that work on models with mistakes in them (the
 * language server, fmt's own check).  What failed to resolve is left
 * out or kept as written: an unknown type is "unknown", a foreign key to
 * a missing table names the table as written. */
struct ir_schema *lang_analyze_partial(struct arena *a, struct diags *d,
				       const struct ast_model *m);

/* A table or enum as a name in a model resolves: a qualified name
 * exactly; an unqualified one in `from_schema` (the referring table's
 * schema) first, then in the default schema. */
struct ir_table *lang_find_table(const struct ir_schema *ir, const char *schema,
				 const char *name, const char *from_schema);
struct ir_enum *lang_find_enum(const struct ir_schema *ir, const char *schema,
			       const char *name, const char *from_schema);

#endif
