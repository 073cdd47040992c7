/* Since PostgreSQL 11 a column added with a constant (or stable) default
 * is stored once in the catalog.  A volatile default (random(),
 * gen_random_uuid(), clock_timestamp(), a serial's nextval) or a stored
 * generated column must be computed per row: the table is rewritten under
 * an ACCESS EXCLUSIVE lock. */
#include <string.h>

#include "lint/lint_internal.h"

/* Functions known not to be volatile, so a default calling them is
 * evaluated once (now() and its kin are stable). */
static bool stable_function(const char *name)
{
	static const char *const names[] = {
		"now", "transaction_timestamp", "statement_timestamp", "current_date",
		"current_timestamp", "localtimestamp", "current_user", "lower", "upper",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* The first part of a default that makes it volatile (a function not
 * known to be stable), or NULL.  Only constants, casts, stable keyword
 * functions and the calls above count as safe. */
static const PgQuery__Node *volatile_part(const PgQuery__Node *e)
{
	switch (e->node_case) {
	case PG_QUERY__NODE__NODE_A_CONST:
	case PG_QUERY__NODE__NODE_SQLVALUE_FUNCTION:
		return NULL;
	case PG_QUERY__NODE__NODE_TYPE_CAST:
		return volatile_part(e->type_cast->arg);
	case PG_QUERY__NODE__NODE_FUNC_CALL: {
		const PgQuery__FuncCall *f = e->func_call;
		if (!stable_function(lint_last_name(f->funcname, f->n_funcname)))
			return e;
		for (size_t i = 0; i < f->n_args; i++)
			if (volatile_part(f->args[i]))
				return f->args[i];
		return NULL;
	}
	default:
		return e;
	}
}

static int location_of(const PgQuery__Node *e)
{
	if (e->node_case == PG_QUERY__NODE__NODE_FUNC_CALL)
		return e->func_call->location;
	return -1;
}

static void check_column(struct lint_run *run, const PgQuery__ColumnDef *col)
{
	const char *type = col->type_name ? lint_last_name(col->type_name->names,
							   col->type_name->n_names) : "";
	if (strcmp(type, "serial") == 0 || strcmp(type, "bigserial") == 0 ||
	    strcmp(type, "smallserial") == 0) {
		lint_report(run, lint_at(run, col->location),
			    "adding %s column '%s' fills every row from a sequence: the table is rewritten",
			    type, col->colname);
		return;
	}
	for (size_t i = 0; i < col->n_constraints; i++) {
		const PgQuery__Node *n = col->constraints[i];
		if (n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		const PgQuery__Constraint *k = n->constraint;
		const PgQuery__Node *bad = NULL;
		if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT && k->raw_expr)
			bad = volatile_part(k->raw_expr);
		if (bad)
			lint_report(run, lint_at(run, location_of(bad) >= 0 ? location_of(bad) : k->location),
				    "adding column '%s' with a volatile default rewrites the table", col->colname);
		else if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED)
			lint_report(run, lint_at(run, k->location),
				    "adding stored generated column '%s' rewrites the table", col->colname);
	}
}

LINT_RULE(lint_adding_field_with_default)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	if (!at || lint_is_new_table(run, at->relation))
		return;
	struct vec cols = { 0 };
	lint_new_columns(st, &cols, run->a);
	for (size_t i = 0; i < cols.len; i++)
		check_column(run, cols.items[i]);
}
