/* Deleting or updating a referenced row makes PostgreSQL look up the
 * referencing rows; without an index leading with the referencing columns
 * that is a scan of the referencing table per row, under lock.  Checked for
 * tables created in the revision, where lint sees every index: its own
 * keys, and CREATE INDEX anywhere later in the section (names are copied:
 * the findings come after the parse trees are freed).  And on the models,
 * where every key and index of a table is declared. */
#include <string.h>

#include "base/arena.h"
#include "ir/ir.h"
#include "lint/lint_internal.h"

static const char **names(struct lint_run *run, PgQuery__Node *const *keys, size_t n)
{
	const char **out = arena_array(run->a, n ? n : 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		out[i] = arena_strdup(run->a, keys[i]->node_case == PG_QUERY__NODE__NODE_STRING
						 ? keys[i]->string->sval : "");
	return out;
}

static void add(struct lint_run *run, struct vec *to, const char *table, const char **cols,
		size_t ncols, int location)
{
	struct lint_fkey *k = arena_alloc(run->a, sizeof(*k));
	k->table = table;
	k->cols = cols;
	k->ncols = ncols;
	k->at = lint_at(run, location);
	k->lead = run->stmt->lead;
	k->start = run->stmt->start;
	vec_push(run->a, to, k);
}

/* A constraint of `table`: foreign keys to check, keys that index. */
static void constraint(struct lint_run *run, const char *table, const char *column,
		       const PgQuery__Constraint *c)
{
	bool foreign = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN;
	bool indexed = c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY ||
		       c->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE;
	if (!foreign && !indexed)
		return;
	PgQuery__Node *const *keys = foreign ? c->fk_attrs : c->keys;
	size_t n = foreign ? c->n_fk_attrs : c->n_keys;
	const char **cols = n ? names(run, keys, n) : NULL;
	if (!n && column) {
		cols = arena_array(run->a, 1, sizeof(char *));
		cols[0] = arena_strdup(run->a, column);
		n = 1;
	}
	add(run, foreign ? &run->fkeys : &run->indexes, table, cols, n, c->location);
}

static void constraints(struct lint_run *run, const char *table, const char *column,
			PgQuery__Node *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint(run, table, column, list[i]->constraint);
}

static void create_table(struct lint_run *run, const PgQuery__CreateStmt *c)
{
	const char *table = lint_table_key(run, c->relation);
	for (size_t i = 0; i < c->n_table_elts; i++) {
		const PgQuery__Node *e = c->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			constraints(run, table, e->column_def->colname, e->column_def->constraints,
				    e->column_def->n_constraints);
		else if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
			constraint(run, table, NULL, e->constraint);
	}
}

static void create_index(struct lint_run *run, const PgQuery__IndexStmt *ix)
{
	const char **cols = arena_array(run->a, ix->n_index_params + 1, sizeof(char *));
	size_t n = 0;
	/* Leading plain columns; an expression ends what the index leads with. */
	for (; n < ix->n_index_params; n++) {
		const PgQuery__Node *p = ix->index_params[n];
		if (p->node_case != PG_QUERY__NODE__NODE_INDEX_ELEM || !*p->index_elem->name)
			break;
		cols[n] = arena_strdup(run->a, p->index_elem->name);
	}
	/* A partial index serves only some lookups. */
	if (!ix->where_clause)
		add(run, &run->indexes, lint_table_key(run, ix->relation), cols, n, -1);
}

LINT_RULE(lint_foreign_key_without_index)
{
	const PgQuery__Node *n = st->node;
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
		create_table(run, n->create_stmt);
	} else if (n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT) {
		create_index(run, n->index_stmt);
	} else if (lint_alter_table(st) && lint_is_new_table(run, n->alter_table_stmt->relation)) {
		const PgQuery__AlterTableStmt *at = n->alter_table_stmt;
		const char *table = lint_table_key(run, at->relation);
		for (size_t i = 0; i < at->n_cmds; i++) {
			const PgQuery__AlterTableCmd *c =
				lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint);
			if (c && c->def && c->def->node_case == PG_QUERY__NODE__NODE_CONSTRAINT)
				constraint(run, table, NULL, c->def->constraint);
		}
	}
}

static bool listed(const char *col, const char **cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i], col) == 0)
			return true;
	return false;
}

/* True if an index of the table leads with exactly the key's columns, in
 * any order. */
static bool covered(const struct lint_run *run, const struct lint_fkey *fk)
{
	for (size_t i = 0; i < run->indexes.len; i++) {
		const struct lint_fkey *ix = run->indexes.items[i];
		if (strcmp(ix->table, fk->table) != 0 || ix->ncols < fk->ncols)
			continue;
		bool all = true;
		for (size_t k = 0; all && k < fk->ncols; k++)
			all = listed(ix->cols[k], fk->cols, fk->ncols);
		if (all)
			return true;
	}
	return false;
}

void lint_foreign_key_without_index_finish(struct lint_run *run)
{
	for (size_t i = 0; i < run->fkeys.len; i++) {
		const struct lint_fkey *fk = run->fkeys.items[i];
		if (covered(run, fk) || !fk->ncols)
			continue;
		const char *cols = fk->cols[0];
		for (size_t k = 1; k < fk->ncols; k++)
			cols = arena_printf(run->a, "%s, %s", cols, fk->cols[k]);
		lint_report_at(run, fk->at, fk->lead, fk->start,
			       "no index on '%s' leads with the foreign key's column%s (%s)", fk->table,
			       fk->ncols > 1 ? "s" : "", cols);
	}
}

/* True if `lead` starts with exactly the columns `cols`, in any order. */
static bool model_leads_with(const struct ir_names *lead, const struct ir_names *cols)
{
	if (lead->len < cols->len)
		return false;
	for (size_t k = 0; k < cols->len; k++)
		if (!listed(lead->items[k], cols->items, cols->len))
			return false;
	return true;
}

static bool model_index_covers(struct arena *a, const struct ir_table *t,
			       const struct ir_constraint *fk)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if ((c->kind == IR_CON_PRIMARY || c->kind == IR_CON_UNIQUE) &&
		    model_leads_with(&c->cols, &fk->cols))
			return true;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		const struct ir_index *ix = t->indexes.items[i];
		if (ix->where.src)
			continue;
		struct ir_names lead = { arena_array(a, ix->nelems + 1, sizeof(char *)), 0 };
		while (lead.len < ix->nelems && ix->elems[lead.len].column) {
			lead.items[lead.len] = ix->elems[lead.len].column;
			lead.len++;
		}
		if (model_leads_with(&lead, &fk->cols))
			return true;
	}
	return false;
}

void lint_foreign_key_without_index_models(struct arena *a, const struct ir_schema *s,
					   enum lint_level level, struct vec *findings)
{
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		for (size_t k = 0; k < t->constraints.len; k++) {
			const struct ir_constraint *fk = t->constraints.items[k];
			if (fk->kind != IR_CON_FOREIGN || !fk->cols.len || model_index_covers(a, t, fk))
				continue;
			const char *cols = fk->cols.items[0];
			for (size_t c = 1; c < fk->cols.len; c++)
				cols = arena_printf(a, "%s, %s", cols, fk->cols.items[c]);
			struct lint_finding *f = arena_alloc(a, sizeof(*f));
			f->rule = "foreign-key-without-index";
			f->level = level;
			f->span = fk->span;
			f->message = arena_printf(a, "no index on '%s' leads with the foreign key's column%s (%s)",
						  t->name, fk->cols.len > 1 ? "s" : "", cols);
			f->hint = "declare an index leading with the referencing columns";
			vec_push(a, findings, f);
		}
	}
}
