/* CREATE INDEX without CONCURRENTLY blocks writes to the table for the
 * whole build. */
#include "lint/lint_internal.h"

LINT_RULE(lint_require_concurrent_index_creation)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_INDEX_STMT)
		return;
	const PgQuery__IndexStmt *ix = st->node->index_stmt;
	if (ix->concurrent || lint_is_new_table(run, ix->relation))
		return;
	lint_report_table(run, st->start, ix->relation,
		    "CREATE INDEX without CONCURRENTLY blocks writes to '%s' while the index builds",
		    lint_table_name(run, ix->relation));
}
