/* The application version still running during a deploy reads the table. */
#include "lint/lint_internal.h"

LINT_RULE(lint_ban_drop_table)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_DROP_STMT)
		return;
	const PgQuery__DropStmt *d = st->node->drop_stmt;
	if (d->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return;
	lint_report(run, st->start,
		    "DROP TABLE breaks the application version still running during the deploy");
}
