/* ALTER COLUMN ... TYPE rewrites the table and its indexes under an
 * ACCESS EXCLUSIVE lock, unless the old type is binary-coercible to the
 * new one.  Lint reads only the statement, not the old type; the changes
 * that are binary-coercible from every type they are commonly made from
 * are let through: to text, to varchar without a length (from varchar or
 * text), and to numeric without a precision (from numeric). */
#include <string.h>

#include "lint/lint_internal.h"

static bool binary_coercible_target(const PgQuery__TypeName *t)
{
	const char *name = lint_last_name(t->names, t->n_names);
	if (t->n_array_bounds)
		return false;
	if (strcmp(name, "text") == 0)
		return true;
	return (strcmp(name, "varchar") == 0 || strcmp(name, "numeric") == 0) && !t->n_typmods;
}

LINT_RULE(lint_changing_column_type)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	if (!at || lint_is_new_table(run, at->relation))
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType);
		if (!c || !c->def || c->def->node_case != PG_QUERY__NODE__NODE_COLUMN_DEF)
			continue;
		const PgQuery__ColumnDef *col = c->def->column_def;
		if (col->type_name && binary_coercible_target(col->type_name) && !col->raw_default)
			continue;
		lint_report_table(run, st->start, at->relation,
			    "changing the type of '%s' rewrites '%s' and its indexes while reads and writes wait",
			    c->name, lint_table_name(run, at->relation));
	}
}
