/* CONCURRENTLY cannot run in a transaction block, and c7gen runs every
 * step in one unless it is marked `-- +step transaction: none` (or the
 * revision says `-- transaction: none`): the server would refuse it at
 * deploy time.  squawk cannot know which statements its migration tool
 * wraps; c7gen does. */
#include "lint/lint_internal.h"
#include "revs/stmtinfo.h"

static const char *what(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return "CREATE INDEX CONCURRENTLY";
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return "DROP INDEX CONCURRENTLY";
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return "REINDEX CONCURRENTLY";
	default:
		return "DETACH PARTITION CONCURRENTLY";
	}
}

LINT_RULE(lint_ban_concurrent_index_creation_in_transaction)
{
	if (!st->in_transaction || !stmt_node_is_concurrent(st->node))
		return;
	lint_report(run, st->start, "%s cannot run inside a transaction, and this step runs in one",
		    what(st->node));
}
