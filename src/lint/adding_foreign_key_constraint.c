/* A foreign key added to an existing table validates every row under a
 * SHARE ROW EXCLUSIVE lock on both tables: writes to either wait. */
#include "lint/lint_internal.h"

static void check(struct lint_run *run, const PgQuery__RangeVar *rel, const PgQuery__Node *n)
{
	if (!n || n->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
		return;
	const PgQuery__Constraint *k = n->constraint;
	if (k->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN || k->skip_validation)
		return;
	lint_report_table(run, lint_at(run, k->location), rel,
		    "adding a foreign key validates every row of '%s' while writes to it and to '%s' wait",
		    lint_table_name(run, rel), lint_table_name(run, k->pktable));
}

LINT_RULE(lint_adding_foreign_key_constraint)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	if (!at || lint_is_new_table(run, at->relation))
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint);
		if (c) {
			check(run, at->relation, c->def);
			continue;
		}
		c = lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn);
		const PgQuery__ColumnDef *col = c && c->def ? c->def->column_def : NULL;
		for (size_t k = 0; col && k < col->n_constraints; k++)
			check(run, at->relation, col->constraints[k]);
	}
}
