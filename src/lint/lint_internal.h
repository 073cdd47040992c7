/*
 * What the rules share: the run over one revision, the statement being
 * checked, and helpers over the parse tree.  Each rule is one function in
 * its own file, called for every statement of the upgrade section.
 */
#ifndef C7_LINT_LINT_INTERNAL_H
#define C7_LINT_LINT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <pg_query/pg_query.pb-c.h>

#include "base/hmap.h"
#include "base/vec.h"
#include "lint/lint.h"

struct arena;

struct revision;
struct rev_step;
struct lint_rule;

/* One statement of a step. */
struct lint_stmt {
	const PgQuery__Node *node;
	const struct rev_step *step;
	size_t lead;         /* file offset just past the previous ';': its
			      * leading comments (ignores) are [lead, start) */
	size_t start;        /* file offset of its first token */
	size_t end;          /* file offset of its end (the ';' or the text's) */
	bool in_transaction; /* its step runs in a transaction */
};

/* A foreign key of a table created in this revision, checked for an
 * index once the whole section has been read. */
struct lint_fkey {
	const char *table;   /* lint_table_key() */
	const char **cols;
	size_t ncols;
	size_t at;           /* file offset for the report */
	size_t lead, start;  /* of its statement, for ignore comments */
};

/* A constraint added NOT VALID, by step. */
struct lint_named {
	const struct rev_step *step;
	const char *name;
};

struct lint_run {
	struct arena *a;
	const struct revision *rev;
	const struct lint_options *opts;
	struct vec *findings;
	const struct lint_rule *rule; /* the rule being run */
	const struct lint_stmt *stmt; /* the statement being checked */
	struct hmap created;  /* tables created earlier in the section */
	struct vec fkeys;     /* of struct lint_fkey */
	struct vec indexes;   /* of struct lint_fkey: leading columns of indexes */
	struct vec ignores;   /* of struct lint_ignore (lint.c) */
	struct vec not_valid; /* of struct lint_named */
};

struct lint_rule {
	struct lint_rule_info info;
	const char *hint;
	void (*check)(struct lint_run *run, const struct lint_stmt *st);
	/* Once the section has been read; NULL for most rules. */
	void (*finish)(struct lint_run *run);
};

extern const struct lint_rule lint_rules[];
extern const size_t lint_nrules;

/* Reports the current rule at file offset `at` (a node's location turned
 * into a file offset by lint_at, or the statement's start). */
void lint_report(struct lint_run *run, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* lint_report for a statement whose cost grows with the rows of the
 * existing table `rv`: nothing if the database says the table is small;
 * the message ends with what was measured. */
void lint_report_table(struct lint_run *run, size_t at, const PgQuery__RangeVar *rv,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The same for a statement read earlier (lint_stmt's lead and start). */
void lint_report_at(struct lint_run *run, size_t at, size_t lead, size_t start,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* File offset of a parse-tree location of the current statement, or the
 * statement's start when the tree has none (-1). */
size_t lint_at(const struct lint_run *run, int location);

/* "schema.name" or "name" (public folded away): tables are matched by it. */
const char *lint_table_key(struct lint_run *run, const PgQuery__RangeVar *rv);
/* The table as written in the statement, for messages. */
const char *lint_table_name(struct lint_run *run, const PgQuery__RangeVar *rv);
/* True if the table was created earlier in this section: no application
 * reads it yet, and it holds no rows but those the revision wrote. */
bool lint_is_new_table(struct lint_run *run, const PgQuery__RangeVar *rv);
/* The commands of an ALTER TABLE statement, or NULL/0 for anything else. */
const PgQuery__AlterTableStmt *lint_alter_table(const struct lint_stmt *st);
/* An ALTER TABLE command of `subtype`, or NULL. */
const PgQuery__AlterTableCmd *lint_cmd(const PgQuery__Node *n, PgQuery__AlterTableType subtype);
/* The last name of a qualified name list (String nodes): "int4" of
 * pg_catalog.int4. */
const char *lint_last_name(PgQuery__Node *const *names, size_t n);
/* Column definitions (PgQuery__ColumnDef *) a statement adds: CREATE
 * TABLE's and ADD COLUMN's, appended to `out` in `a`. */
void lint_new_columns(const struct lint_stmt *st, struct vec *out, struct arena *a);
/* Calls `fn` for each column type a statement writes: new columns' and
 * ALTER COLUMN ... TYPE's. */
void lint_each_type(struct lint_run *run, const struct lint_stmt *st,
		    void (*fn)(struct lint_run *run, const char *col, const PgQuery__TypeName *t));
/* The table a CREATE TABLE or ALTER TABLE names, or NULL. */
const PgQuery__RangeVar *lint_relation(const struct lint_stmt *st);

#define LINT_RULE(fn) void fn(struct lint_run *run, const struct lint_stmt *st)
LINT_RULE(lint_adding_field_with_default);
LINT_RULE(lint_adding_foreign_key_constraint);
LINT_RULE(lint_adding_required_field);
LINT_RULE(lint_ban_concurrent_index_creation_in_transaction);
LINT_RULE(lint_ban_drop_column);
LINT_RULE(lint_ban_drop_table);
LINT_RULE(lint_changing_column_type);
LINT_RULE(lint_constraint_missing_not_valid);
LINT_RULE(lint_disallowed_unique_constraint);
LINT_RULE(lint_foreign_key_without_index);
void lint_foreign_key_without_index_finish(struct lint_run *run);
struct ir_schema;
void lint_foreign_key_without_index_models(struct arena *a, const struct ir_schema *s,
					   enum lint_level level, struct vec *findings);
LINT_RULE(lint_prefer_bigint_over_int);
LINT_RULE(lint_prefer_robust_stmts);
LINT_RULE(lint_prefer_text_field);
LINT_RULE(lint_prefer_timestamptz);
LINT_RULE(lint_renaming_column);
LINT_RULE(lint_renaming_table);
LINT_RULE(lint_require_concurrent_index_creation);
LINT_RULE(lint_require_concurrent_index_deletion);
LINT_RULE(lint_setting_not_nullable_field);
LINT_RULE(lint_transaction_nesting);
LINT_RULE(lint_unbatched_update);

#endif
