/* Old application code still names the column by its old name. */
#include "lint/lint_internal.h"

LINT_RULE(lint_renaming_column)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_RENAME_STMT)
		return;
	const PgQuery__RenameStmt *r = st->node->rename_stmt;
	if (r->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_COLUMN ||
	    lint_is_new_table(run, r->relation))
		return;
	lint_report(run, st->start,
		    "renaming column '%s' to '%s' breaks the application version still running",
		    r->subname, r->newname);
}
