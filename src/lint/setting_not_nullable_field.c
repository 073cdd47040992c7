/* SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock,
 * unless a validated CHECK (col IS NOT NULL) already proves it
 * (PostgreSQL 12 and later use it and skip the scan). */
#include "lint/lint_internal.h"

LINT_RULE(lint_setting_not_nullable_field)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_SetNotNull);
		if (c && !lint_is_new_table(run, at->relation))
			lint_report_table(run, st->start, at->relation,
				    "SET NOT NULL on '%s' scans every row of '%s' while reads and writes wait",
				    c->name, lint_table_name(run, at->relation));
	}
}
