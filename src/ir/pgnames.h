/*
 * PostgreSQL's rules for the names it gives unnamed constraints, indexes and
 * sequences (makeObjectName, ChooseRelationName, ChooseConstraintName,
 * ChooseIndexColumnNames in the server).  c7gen names things exactly as the
 * server would, so a database built from hand-written DDL compares equal.
 */
#ifndef C7_IR_PGNAMES_H
#define C7_IR_PGNAMES_H

#include <stdbool.h>

#include "base/hmap.h"

struct arena;
struct ir_names;
struct strbuf;

#define PG_NAMEDATALEN 64

/* name1[_name2][_label], the names shortened (longer first, never inside
 * a UTF-8 character) so the whole fits in 63 bytes.  name2 and label may be
 * NULL. */
char *pgname_make(struct arena *a, const char *name1, const char *name2,
		  const char *label);
void pgname_build(struct strbuf *sb, const char *name1, const char *name2,
		  const char *label);

/* Column names joined with '_', stopping once 63 bytes are reached
 * (ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition). */
char *pgname_join(struct arena *a, const struct ir_names *cols);

/* The element names an exclusion constraint's default name is made of,
 * as for an index: the column, "lower" for lower(x), "expr".  `src` is
 * "USING gist (c WITH &&, ...) ...". */
struct ir_names pgname_exclusion_columns(struct arena *a, const char *src);

/* Index column names, made unique within the index by numeric suffixes
 * (ChooseIndexColumnNames). */
void pgname_index_columns(struct arena *a, struct ir_names *names);

/* The names taken in one schema, as the server's collision checks see them:
 * relations (tables, indexes, sequences) and constraints. */
struct pgname_space {
	struct hmap relations;
	struct hmap constraints;
};

void pgname_space_init(struct pgname_space *sp, struct arena *a);

enum pgname_check {
	PGNAME_CHECK_RELATIONS = 1,
	PGNAME_CHECK_CONSTRAINTS = 2,
};

/* The first of label, label1, label2, ... whose name is free under `check`
 * (a mask of enum pgname_check).  *suffixed tells whether a number was
 * needed.  The caller registers the name it keeps. */
char *pgname_choose(struct arena *a, const struct pgname_space *sp,
		    const char *name1, const char *name2, const char *label,
		    int check, bool *suffixed);

/* Whether a constraint or index carries the name PostgreSQL would give it
 * unnamed (no collision suffix).  A check's default name depends on the
 * columns it mentions: pass them (from pg_constraint.conkey) in `check_cols`. */
struct ir_table;
struct ir_constraint;
struct ir_index;
bool pgname_is_default_constraint(struct arena *a, const struct ir_table *t,
				  const struct ir_constraint *c,
				  const struct ir_names *check_cols);
bool pgname_is_default_index(struct arena *a, const struct ir_table *t,
			     const struct ir_index *ix);

#endif
