/* The application version still running during a deploy may select,
 * insert or update the column. */
#include "lint/lint_internal.h"

LINT_RULE(lint_ban_drop_column)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_DropColumn);
		if (c && !lint_is_new_table(run, at->relation))
			lint_report(run, st->start,
				    "dropping column '%s' of '%s' breaks the application version still running",
				    c->name, lint_table_name(run, at->relation));
	}
}
