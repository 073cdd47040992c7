/* c7gen runs each step in its own transaction and records it in the same
 * one: a BEGIN, COMMIT or ROLLBACK in the revision would end c7gen's
 * transaction early and split the step from its record. */
#include "lint/lint_internal.h"

LINT_RULE(lint_transaction_nesting)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_TRANSACTION_STMT)
		return;
	switch (st->node->transaction_stmt->kind) {
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_BEGIN:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_START:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_PREPARE:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_COMMIT_PREPARED:
	case PG_QUERY__TRANSACTION_STMT_KIND__TRANS_STMT_ROLLBACK_PREPARED:
		lint_report(run, st->start,
			    "transaction control in a revision: c7gen runs each step in its own transaction");
		break;
	default:
		/* Savepoints nest inside c7gen's transaction. */
		break;
	}
}
