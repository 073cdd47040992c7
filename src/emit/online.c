/*
 * Online plans (docs/online.md): the forms of a change that keep a live
 * application's reads and writes going, and the step markers that commit
 * each lock before the next scan or build.  Only objects of tables that
 * already exist get them; a table created in the same revision is empty
 * and nobody uses it yet.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "emit/render_internal.h"
#include "emit/sqlgen.h"
#include "ir/pgnames.h"
#include "ir/sqlname.h"

/* ---- step markers ---- */

/* The "-- re-created:" line of the change goes under its first marker, so
 * it is read with the statements it explains. */
static void reason_line(struct strbuf *sb, struct steps *st)
{
	if (!st->reason_due)
		return;
	strbuf_addf(sb, "-- re-created: %s\n", st->reason_due);
	st->reason_due = NULL;
}

void step_tx(struct strbuf *sb, struct steps *st)
{
	if (!st->online)
		return;
	if (!st->in_tx) {
		strbuf_addstr(sb, "-- +step\n");
		st->sum.steps++;
		st->in_tx = true;
	}
	reason_line(sb, st);
}

/* What follows the statement of this step opens a step of its own. */
void step_alone(struct strbuf *sb, struct steps *st)
{
	if (!st->online)
		return;
	strbuf_addstr(sb, "-- +step\n");
	st->sum.steps++;
	st->in_tx = false;
	reason_line(sb, st);
}

void step_none(struct strbuf *sb, struct steps *st)
{
	if (!st->online)
		return;
	strbuf_addstr(sb, "-- +step transaction: none\n");
	st->sum.steps++;
	st->outside++;
	st->in_tx = false;
	reason_line(sb, st);
}

void render_lock(struct strbuf *sb, struct steps *st, const char *fmt, const char *a,
		 const char *b)
{
	strbuf_addstr(sb, "-- LOCK: ");
	strbuf_addf(sb, fmt, a, b);
	strbuf_addch(sb, '\n');
	st->sum.locks++;
}

/* ---- indexes ---- */

static void drop_index_concurrently(struct strbuf *sb, const struct view *v,
				    const char *name)
{
	step_none(sb, v->st);
	strbuf_addstr(sb, "DROP INDEX CONCURRENTLY IF EXISTS ");
	sql_add_qname(sb, v->table->schema, name);
	strbuf_addstr(sb, ";\n");
}

static void build_index(struct strbuf *sb, const struct view *v,
			const struct ir_index *ix, const char *name)
{
	step_none(sb, v->st);
	sqlgen_create_index_as(sb, v->table, ix, name, true);
	v->st->sum.concurrent++;
}

/* A changed index is built beside the old one under a temporary name, the
 * old one dropped, the new one renamed: queries always have an index.
 * Every statement can run again after a kill (IF [NOT] EXISTS; the runner
 * drops an INVALID index before building it again). */
static void swap_index(struct strbuf *sb, const struct view *v)
{
	const struct ir_index *ix = v->to;
	struct strbuf tmp = STRBUF_INIT;
	pgname_build(&tmp, ix->name, NULL, "c7gen_new");
	build_index(sb, v, ix, strbuf_str(&tmp));
	drop_index_concurrently(sb, v, ix->name);
	step_tx(sb, v->st);
	strbuf_addstr(sb, "ALTER INDEX IF EXISTS ");
	sql_add_qname(sb, v->table->schema, strbuf_str(&tmp));
	strbuf_addstr(sb, " RENAME TO ");
	sql_add_ident(sb, ix->name);
	strbuf_addstr(sb, ";\n");
	strbuf_release(&tmp);
}

bool online_index(struct strbuf *sb, const struct view *v)
{
	if (!v->online)
		return false;
	if (v->swap) {
		/* The old index goes once the new one is built. */
		if (v->to)
			swap_index(sb, v);
		return true;
	}
	if (v->to) {
		const struct ir_index *ix = v->to;
		build_index(sb, v, ix, ix->name);
	} else {
		const struct ir_index *ix = v->from;
		drop_index_concurrently(sb, v, ix->name);
	}
	return true;
}

/* ---- constraints ---- */

static void validate(struct strbuf *sb, const struct view *v, const char *name)
{
	step_alone(sb, v->st);
	render_alter_table(sb, v->table);
	strbuf_addstr(sb, "VALIDATE CONSTRAINT ");
	sql_add_ident(sb, name);
	strbuf_addstr(sb, ";\n");
	v->st->sum.validates++;
}

/* ADD ... NOT VALID takes its lock for a moment; VALIDATE scans under a
 * lock that lets reads and writes go on, in a step of its own so no
 * earlier lock is held through the scan. */
static void add_then_validate(struct strbuf *sb, const struct view *v,
			      const struct ir_constraint *c)
{
	step_tx(sb, v->st);
	render_alter_table(sb, v->table);
	strbuf_addstr(sb, "ADD CONSTRAINT ");
	sql_add_ident(sb, c->name);
	strbuf_addch(sb, ' ');
	sqlgen_constraint_body(sb, c);
	strbuf_addstr(sb, " NOT VALID;\n");
	validate(sb, v, c->name);
}

/* A primary key or unique constraint: its index built concurrently under
 * the constraint's name, then attached in a moment. */
static void add_using_index(struct strbuf *sb, const struct view *v,
			    const struct ir_constraint *c)
{
	struct ir_index ix = { 0 };
	struct ir_index_elem *elems = xcalloc(c->cols.len ? c->cols.len : 1, sizeof(*elems));
	for (size_t i = 0; i < c->cols.len; i++)
		elems[i].column = c->cols.items[i];
	ix.name = c->name;
	ix.method = "btree";
	ix.elems = elems;
	ix.nelems = c->cols.len;
	ix.include = c->include;
	ix.unique = true;
	ix.nulls_not_distinct = c->nulls_not_distinct;
	build_index(sb, v, &ix, c->name);
	step_tx(sb, v->st);
	render_alter_table(sb, v->table);
	strbuf_addstr(sb, "ADD CONSTRAINT ");
	sql_add_ident(sb, c->name);
	strbuf_addstr(sb, c->kind == IR_CON_PRIMARY ? " PRIMARY KEY" : " UNIQUE");
	strbuf_addstr(sb, " USING INDEX ");
	sql_add_ident(sb, c->name);
	if (c->deferrable)
		strbuf_addstr(sb, c->deferred ? " DEFERRABLE INITIALLY DEFERRED" : " DEFERRABLE");
	strbuf_addstr(sb, ";\n");
	free(elems);
}

bool online_constraint(struct strbuf *sb, const struct view *v)
{
	if (!v->online || !v->to)
		return false;
	const struct ir_constraint *c = v->to;
	struct strbuf tmp = STRBUF_INIT;
	bool done = true;
	switch (c->kind) {
	case IR_CON_FOREIGN:
	case IR_CON_CHECK:
		done = !c->not_valid; /* the models want it unvalidated */
		if (done)
			add_then_validate(sb, v, c);
		break;
	case IR_CON_PRIMARY:
	case IR_CON_UNIQUE:
		add_using_index(sb, v, c);
		break;
	default:
		render_lock(sb, v->st, "builds the index of exclusion constraint %s while "
			    "holding a lock that blocks writes to %s (no concurrent form)",
			    c->name, render_display(&tmp, v->table->schema, v->table->name, NULL));
		done = false;
		break;
	}
	strbuf_release(&tmp);
	return done;
}

/* Since PostgreSQL 12, SET NOT NULL skips its scan when a validated check
 * proves the column has no NULLs; the check is validated without blocking
 * writes, and dropped once it has served. */
void online_set_not_null(struct strbuf *sb, const struct view *v,
			 const struct ir_column *col)
{
	const struct ir_table *t = v->table;
	struct strbuf name = STRBUF_INIT;
	pgname_build(&name, col->name, NULL, "c7gen_not_null");
	step_tx(sb, v->st);
	render_alter_table(sb, t);
	strbuf_addstr(sb, "ADD CONSTRAINT ");
	sql_add_ident(sb, strbuf_str(&name));
	strbuf_addstr(sb, " CHECK (");
	sql_add_ident(sb, col->name);
	strbuf_addstr(sb, " IS NOT NULL) NOT VALID;\n");
	validate(sb, v, strbuf_str(&name));
	step_tx(sb, v->st);
	render_alter_column(sb, t, col->name);
	strbuf_addstr(sb, "SET NOT NULL;\n");
	render_alter_table(sb, t);
	strbuf_addstr(sb, "DROP CONSTRAINT ");
	sql_add_ident(sb, strbuf_str(&name));
	strbuf_addstr(sb, ";\n");
	strbuf_release(&name);
}
