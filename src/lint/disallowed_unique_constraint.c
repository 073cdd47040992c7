/* ADD UNIQUE or ADD PRIMARY KEY builds its index under an ACCESS
 * EXCLUSIVE lock; building the index CONCURRENTLY first and adding the
 * constraint USING INDEX takes the lock only for a moment. */
#include "lint/lint_internal.h"

LINT_RULE(lint_disallowed_unique_constraint)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	if (!at || lint_is_new_table(run, at->relation))
		return;
	for (size_t i = 0; i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint);
		if (!c || !c->def || c->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
			continue;
		const PgQuery__Constraint *k = c->def->constraint;
		bool unique = k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ||
			      k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_PRIMARY;
		if (unique && !*k->indexname)
			lint_report_table(run, lint_at(run, k->location), at->relation,
				    "adding a %s constraint builds its index while '%s' is locked",
				    k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_UNIQUE ? "UNIQUE" : "PRIMARY KEY",
				    lint_table_name(run, at->relation));
	}
}
