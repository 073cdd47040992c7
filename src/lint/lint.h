/*
 * c7gen lint: revision statements checked for what hurts production
 * (docs/lint.md).  Rules read PostgreSQL's parse tree of each statement
 * (src/sql/) together with what c7gen knows and a generic linter does not:
 * the revision's steps and which of them run in a transaction.  The rules
 * only produce findings; src/cmd/lint.c prints them.
 */
#ifndef C7_LINT_LINT_H
#define C7_LINT_LINT_H

#include <stddef.h>

#include "base/diag.h"

struct arena;
struct revision;
struct vec;

enum lint_level { LINT_OFF, LINT_WARNING, LINT_ERROR };

struct lint_rule_info {
	const char *name;      /* stable; squawk's name where squawk has the rule */
	enum lint_level level; /* the default */
	const char *summary;   /* one line, for docs and --list */
};

/* The rules in a fixed order (by name). */
size_t lint_rule_count(void);
const struct lint_rule_info *lint_rule_at(size_t i);
/* Index of the rule called `name`, or -1. */
int lint_rule_find(const char *name);

struct lint_finding {
	const char *rule;
	enum lint_level level;
	struct span span;    /* in the revision file */
	const char *message;
	const char *hint;    /* the fix */
};

struct hmap;

/* Levels per rule (by index), as configured; NULL: the defaults. */
struct lint_options {
	const enum lint_level *levels;
	/* From a configured database: each table's estimated rows (long
	 * long *, < 0: unknown), keyed "schema.name" or "name" in public;
	 * NULL without one.  Tables with fewer than `small_rows` rows are not
	 * reported by the rules about locks held while rows are scanned or
	 * written. */
	const struct hmap *rows;
	long long small_rows;
};

/* Appends struct lint_finding for the upgrade section of `r` to
 * `findings`, in file order, all allocated in `a`. */
void lint_revision(struct arena *a, const struct revision *r,
		   const struct lint_options *o, struct vec *findings);

/* Appends struct lint_finding for the model files: the rules that read
 * models (foreign-key-without-index), in model order. */
struct ir_schema;
void lint_models(struct arena *a, const struct ir_schema *s, const struct lint_options *o,
		 struct vec *findings);

#endif
