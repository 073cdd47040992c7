/* DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the
 * index's table: reads queue behind it too. */
#include "lint/lint_internal.h"

LINT_RULE(lint_require_concurrent_index_deletion)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_DROP_STMT)
		return;
	const PgQuery__DropStmt *d = st->node->drop_stmt;
	if (d->remove_type != PG_QUERY__OBJECT_TYPE__OBJECT_INDEX || d->concurrent)
		return;
	lint_report(run, st->start,
		    "DROP INDEX without CONCURRENTLY locks the table against reads and writes");
}
