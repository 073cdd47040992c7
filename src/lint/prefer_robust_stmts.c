/* A step outside a transaction records its progress after each statement,
 * so a run killed between a statement and its record runs the statement
 * again on resume (docs/revisions.md).  There it must be able to run twice:
 * IF NOT EXISTS / IF EXISTS.  Transactional steps have no such window, and
 * are not checked. */
#include "lint/lint_internal.h"

static void alter_table(struct lint_run *run, const struct lint_stmt *st)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *add =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn);
		const PgQuery__AlterTableCmd *drop =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn);
		if ((add && !add->missing_ok) || (drop && !drop->missing_ok))
			lint_report(run, st->start, "%s COLUMN without %s in a step outside a transaction",
				    add ? "ADD" : "DROP", add ? "IF NOT EXISTS" : "IF EXISTS");
	}
}

LINT_RULE(lint_prefer_robust_stmts)
{
	if (st->in_transaction)
		return;
	const PgQuery__Node *n = st->node;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		if (!n->index_stmt->if_not_exists)
			lint_report(run, st->start,
				    "CREATE INDEX without IF NOT EXISTS in a step outside a transaction");
		break;
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		if (!n->create_stmt->if_not_exists)
			lint_report(run, st->start,
				    "CREATE TABLE without IF NOT EXISTS in a step outside a transaction");
		break;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		if (!n->drop_stmt->missing_ok)
			lint_report(run, st->start, "DROP without IF EXISTS in a step outside a transaction");
		break;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		alter_table(run, st);
		break;
	default:
		break;
	}
}
