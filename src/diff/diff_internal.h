/*
 * Shared by the differ's files (diff.c matches objects, enums.c decides
 * how label changes run, deps.c walks dependencies).  Nothing outside
 * src/diff/ includes it.
 */
#ifndef C7_DIFF_DIFF_INTERNAL_H
#define C7_DIFF_DIFF_INTERNAL_H

#include "base/hmap.h"
#include "base/vec.h"
#include "diff/change.h"

/* An object present on both sides and left alone by the differ: the
 * dependency walk may still have to take it out of the way. */
struct kept {
	const struct ir_table *ct, *wt;
	const void *c, *w;
};

struct differ {
	struct arena *a;
	const struct ir_schema *cur, *want;
	struct change_list *cl;
	/* current table key -> desired table, for tables kept or renamed */
	struct hmap table_match;
	/* desired table key -> current table */
	struct hmap table_match_back;
	/* enum key -> its CHANGE_ENUM_LABELS, which owns its columns' defaults */
	struct hmap enum_changes;
	/* sequence key -> itself, for sequences passing between a serial
	 * column and a standalone declaration */
	struct hmap handover;
	/* struct kept of constraints, indexes and columns matched unchanged
	 * (columns: matched, whatever else changed about them) */
	struct vec kept_constraints, kept_indexes, kept_columns;
};

struct change *add_change(struct differ *df, enum change_kind kind,
			  enum change_phase phase, const struct ir_table *tb,
			  const struct ir_table *ta, const void *before,
			  const void *after);

/* The desired name of a current column, following rename hints. */
const char *diff_new_column_name(struct differ *df, const struct ir_table *ct,
				 const char *col);

/* Decides, for each enum whose labels change, whether each direction adds
 * labels in place or rebuilds the type (enums.c). */
void diff_plan_enums(struct differ *df);

/* Drops `c` (current side) before the change that needs it out of the way
 * and creates `w` (desired side) after it, in the directions `up` and
 * `down` ask for; `kind` is CHANGE_CONSTRAINT, CHANGE_INDEX or
 * CHANGE_COLUMN (a generated column).  `reason` is printed in the revision;
 * NULL for a generated column whose own expression changes. */
void diff_recreate(struct differ *df, enum change_kind kind,
		   const struct ir_table *ct, const struct ir_table *wt,
		   const void *c, const void *w, const char *reason, bool up,
		   bool down);

/* Adds the drop-and-re-create pairs of everything that a change leaves in
 * the way (deps.c). */
void diff_walk_dependencies(struct differ *df);

#endif
