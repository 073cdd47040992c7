/* UPDATE or DELETE of a whole existing table in one statement: every row
 * locked until the end, one long transaction, a burst of WAL and dead rows. */
#include "lint/lint_internal.h"

LINT_RULE(lint_unbatched_update)
{
	const PgQuery__Node *n = st->node;
	const PgQuery__RangeVar *rel;
	const char *verb;
	if (n->node_case == PG_QUERY__NODE__NODE_UPDATE_STMT && !n->update_stmt->where_clause) {
		rel = n->update_stmt->relation;
		verb = "UPDATE";
	} else if (n->node_case == PG_QUERY__NODE__NODE_DELETE_STMT &&
		   !n->delete_stmt->where_clause) {
		rel = n->delete_stmt->relation;
		verb = "DELETE";
	} else {
		return;
	}
	if (lint_is_new_table(run, rel))
		return;
	lint_report_table(run, st->start, rel, "%s without WHERE touches every row of '%s' in one transaction",
		    verb, lint_table_name(run, rel));
}
