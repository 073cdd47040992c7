/* A NOT NULL column without a default cannot be added to a table that has
 * rows: the deploy fails on production data the tests never had. */
#include "lint/lint_internal.h"

static bool has(const PgQuery__ColumnDef *col, PgQuery__ConstrType t)
{
	for (size_t i = 0; i < col->n_constraints; i++)
		if (col->constraints[i]->node_case == PG_QUERY__NODE__NODE_CONSTRAINT &&
		    col->constraints[i]->constraint->contype == t)
			return true;
	return false;
}

LINT_RULE(lint_adding_required_field)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	if (!at || lint_is_new_table(run, at->relation))
		return;
	struct vec cols = { 0 };
	lint_new_columns(st, &cols, run->a);
	for (size_t i = 0; i < cols.len; i++) {
		const PgQuery__ColumnDef *col = cols.items[i];
		bool filled = has(col, PG_QUERY__CONSTR_TYPE__CONSTR_DEFAULT) ||
			      has(col, PG_QUERY__CONSTR_TYPE__CONSTR_IDENTITY) ||
			      has(col, PG_QUERY__CONSTR_TYPE__CONSTR_GENERATED);
		if ((has(col, PG_QUERY__CONSTR_TYPE__CONSTR_NOTNULL) ||
		     has(col, PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY)) && !filled)
			lint_report(run, lint_at(run, col->location),
				    "adding NOT NULL column '%s' without a default fails if '%s' has rows",
				    col->colname, lint_table_name(run, at->relation));
	}
}
