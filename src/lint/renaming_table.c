/* Old application code still names the table by its old name. */
#include "lint/lint_internal.h"

LINT_RULE(lint_renaming_table)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_RENAME_STMT)
		return;
	const PgQuery__RenameStmt *r = st->node->rename_stmt;
	if (r->rename_type != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE ||
	    lint_is_new_table(run, r->relation))
		return;
	lint_report(run, st->start,
		    "renaming table '%s' to '%s' breaks the application version still running",
		    lint_table_name(run, r->relation), r->newname);
}
