/* A 32-bit primary key runs out at 2,147,483,647 rows ever inserted, and
 * widening it later rewrites the table and every referencing one. */
#include <string.h>

#include "lint/lint_internal.h"

static bool small_int(const PgQuery__TypeName *t)
{
	static const char *const names[] = { "int4", "int2", "serial", "serial4", "smallserial",
					     "serial2", "int", "integer", "smallint" };
	const char *name = t ? lint_last_name(t->names, t->n_names) : "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return !t->n_array_bounds;
	return false;
}

static bool named_in(const char *col, PgQuery__Node *const *keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i]->node_case == PG_QUERY__NODE__NODE_STRING &&
		    strcmp(keys[i]->string->sval, col) == 0)
			return true;
	return false;
}

/* True if `col` is the primary key on its own: by its own constraint, or
 * by a one-column table constraint of CREATE TABLE.  A column of a
 * composite key (a position, a kind) is no row counter. */
static bool primary_key(const struct lint_stmt *st, const PgQuery__ColumnDef *col)
{
	for (size_t i = 0; i < col->n_constraints; i++)
		if (col->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    col->constraints[i]->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)
			return true;
	if (st->node->node_case != PG_QUERY__NODE__NODE_CREATE_STMT)
		return false;
	const PgQuery__CreateStmt *c = st->node->create_stmt;
	for (size_t i = 0; i < c->n_table_elts; i++) {
		const PgQuery__Node *e = c->table_elts[i];
		if (e->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    e->constraint->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY &&
		    e->constraint->n_keys == 1 && named_in(col->colname, e->constraint->keys, e->constraint->n_keys))
			return true;
	}
	return false;
}

LINT_RULE(lint_prefer_bigint_over_int)
{
	struct vec cols = { 0 };
	lint_new_columns(st, &cols, run->a);
	for (size_t i = 0; i < cols.len; i++) {
		const PgQuery__ColumnDef *col = cols.items[i];
		if (small_int(col->type_name) && primary_key(st, col))
			lint_report(run, lint_at(run, col->type_name->location),
				    "primary key column '%s' is a 32-bit integer", col->colname);
	}
}
