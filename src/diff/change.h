/*
 * The change list: what the differ produces and the renderer consumes.
 *
 * Each change holds the object as it is (`before`) and as it should be
 * (`after`); NULL on one side means the object is created or dropped.  The
 * upgrade renders before -> after and the downgrade after -> before from
 * the very same change, in reverse plan order, so the two sections cannot
 * drift apart.
 */
#ifndef C7_DIFF_CHANGE_H
#define C7_DIFF_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/vec.h"
#include "ir/ir.h"

enum change_kind {
	CHANGE_SCHEMA,            /* s*: schema names */
	CHANGE_ENUM,              /* ir_enum */
	CHANGE_ENUM_LABELS,       /* ir_enum both sides: labels renamed, added,
				   * removed or reordered */
	CHANGE_EXTENSION,         /* ir_extension */
	CHANGE_EXTENSION_SCHEMA,  /* ir_extension both sides */
	CHANGE_SEQUENCE,          /* ir_sequence */
	CHANGE_SEQUENCE_ALTER,    /* ir_sequence both sides */
	CHANGE_TABLE,             /* ir_table */
	CHANGE_TABLE_RENAME,
	CHANGE_COLUMN,            /* ir_column */
	CHANGE_COLUMN_RENAME,
	CHANGE_COLUMN_ALTER,      /* ir_column both sides */
	CHANGE_CONSTRAINT,        /* ir_constraint */
	CHANGE_CONSTRAINT_RENAME,
	CHANGE_INDEX,             /* ir_index */
	CHANGE_INDEX_RENAME,
	CHANGE_TABLE_COMMENT,     /* s*: comment texts, NULL for none */
	CHANGE_COLUMN_COMMENT,    /* s*, with the column in `after`/`before` */
};

/*
 * Plan phases in upgrade order.  Everything that removes or renames reads
 * names as they were; everything after the rename phases uses new names.
 */
enum change_phase {
	PHASE_SCHEMA_CREATE,
	PHASE_EXTENSION_CREATE, /* before anything that may use its types */
	PHASE_ENUM_CREATE,
	PHASE_SEQUENCE_CREATE,
	PHASE_FK_DROP,
	PHASE_INDEX_DROP,
	PHASE_CONSTRAINT_DROP,
	PHASE_COMMENT_DROP, /* comments of what is dropped, restored after it */
	PHASE_GENERATED_DROP, /* generated columns computed afresh: out of the way */
	PHASE_TABLE_DROP,
	/* After every drop, so nothing left mentions a label being removed;
	 * the downgrade restores labels before re-creating what uses them. */
	PHASE_ENUM_VALUE,
	PHASE_TABLE_RENAME,
	PHASE_COLUMN_RENAME,
	PHASE_OBJECT_RENAME,
	PHASE_TABLE_CREATE,
	PHASE_COLUMN_ADD,
	PHASE_COLUMN_ALTER,
	PHASE_GENERATED_ADD,
	PHASE_COLUMN_DROP,
	PHASE_CONSTRAINT_ADD,
	PHASE_INDEX_CREATE, /* before foreign keys: one may need a unique index */
	PHASE_FK_ADD,
	PHASE_COMMENT,
	PHASE_SEQUENCE_DROP,
	PHASE_ENUM_DROP,
	PHASE_EXTENSION_DROP,
	PHASE_EXTENSION_MOVE_BACK, /* downgrade only: first, after schemas */
	PHASE_SCHEMA_DROP,
};

/* A column whose type is an enum being rebuilt: its default has to be
 * dropped and set again around the type swap. */
struct enum_use {
	const struct ir_table *table;  /* as it is when the rebuild runs */
	const struct ir_column *before; /* the column now */
	const struct ir_column *after;  /* the column wanted, NULL if dropped */
};

struct change {
	enum change_kind kind;
	enum change_phase phase;
	/* The table the change belongs to, as it is and as it will be. */
	const struct ir_table *tbefore, *tafter;
	const void *before, *after;
	const char *sbefore, *safter;
	/* CHANGE_TABLE: foreign keys written inside CREATE TABLE. */
	struct vec inline_fks;
	/* CHANGE_ENUM_LABELS: struct enum_use for every column of the type. */
	struct vec enum_uses;
	/* CHANGE_ENUM_LABELS: the type is rebuilt (renamed aside, created
	 * anew, columns converted) rather than changed in place. */
	bool rebuild_up, rebuild_down;
	/* An object dropped and created again, unchanged or not, because a
	 * change it depends on needs it out of the way: why, for the revision
	 * ("stores_region_code_fkey uses key regions_pkey of regions").
	 * CHANGE_COLUMN pairs of a generated column computed afresh have
	 * `recreated` set with no reason when its own expression changes. */
	const char *reason;
	bool recreated;
	/* CHANGE_COLUMN_ALTER: the default is handled by an enum rebuild. */
	bool skip_default;
	/* CHANGE_COLUMN_ALTER between serial and not: the sequence stays, as
	 * a standalone sequence of the same name on the other side. */
	bool keep_sequence;
	/* Statements the CREATE/DROP TABLE of the same table already does in
	 * that direction (indexes of a new table need no DROP INDEX). */
	bool implied_up, implied_down;
	bool merged; /* folded into another change by the planner */
	size_t seq; /* creation order, the tie-breaker of the plan */
};

struct change_list {
	struct vec changes; /* of struct change, in upgrade order */
};

#endif
