/* Shared by the renderers of src/emit/ (render.c, enums.c). */
#ifndef C7_EMIT_RENDER_INTERNAL_H
#define C7_EMIT_RENDER_INTERNAL_H

#include <stdbool.h>

#include "diff/change.h"
#include "emit/emit.h"

struct strbuf;

/*
 * Step markers of an online plan (steps.c).  A transactional step takes
 * brief statements until something needs a step of its own: a statement
 * outside a transaction (CONCURRENTLY) or a scan that must not hold the
 * locks taken before it (VALIDATE CONSTRAINT).
 */
struct steps {
	bool online;      /* write markers; false: one plain section */
	bool in_tx;       /* a transactional step is open and takes more */
	const char *reason_due; /* "-- re-created:" line still to write */
	size_t outside; /* steps outside a transaction */
	struct emit_summary sum;
};

/* One change seen in one direction. */
struct view {
	const struct change *c;
	bool up;
	const void *from, *to;
	const char *sfrom, *sto;
	/* The table as it is named when the statement runs. */
	const struct ir_table *table;
	struct steps *st;
	/* Online plan for an object of a table that exists when the statement
	 * runs (a table created in the same revision stays plain). */
	bool online;
	/* An index whose definition changes (dropped and created under one
	 * name in this direction): built anew beside the old one. */
	bool swap;
};

/* Opens a transactional step unless one is open; then a step of its own
 * for the next statement, transactional or outside a transaction.  All do
 * nothing in an atomic plan. */
void step_tx(struct strbuf *sb, struct steps *st);
void step_alone(struct strbuf *sb, struct steps *st);
void step_none(struct strbuf *sb, struct steps *st);
/* "-- LOCK: " + fmt with two string arguments: a lock the plan cannot
 * avoid, for review. */
void render_lock(struct strbuf *sb, struct steps *st, const char *fmt, const char *a,
		 const char *b);

/* Online forms (online.c); each returns false when the change has none
 * and is rendered plainly. */
bool online_index(struct strbuf *sb, const struct view *v);
bool online_constraint(struct strbuf *sb, const struct view *v);
/* SET NOT NULL over a validated CHECK (col IS NOT NULL). */
void online_set_not_null(struct strbuf *sb, const struct view *v,
			 const struct ir_column *col);

/* "-- WARNING: " + fmt with two string arguments. */
void render_warn(struct strbuf *sb, const char *fmt, const char *a,
		 const char *b);
/* schema.table[.column] for messages, in `tmp`. */
const char *render_display(struct strbuf *tmp, const char *schema,
			   const char *name, const char *col);
void render_alter_table(struct strbuf *sb, const struct ir_table *t);
void render_alter_column(struct strbuf *sb, const struct ir_table *t,
			 const char *col);
void render_enum_labels(struct strbuf *sb, const struct view *v,
			struct strbuf *tmp);

#endif
