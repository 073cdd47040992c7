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

#endif
