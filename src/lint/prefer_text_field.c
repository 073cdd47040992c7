/* varchar(n) stores the same as text; its limit can only be raised, and
 * lowering it (or raising it in old versions) rewrites the table.  A CHECK
 * on length() says the same and changes without a rewrite. */
#include <string.h>

#include "lint/lint_internal.h"

static void check_type(struct lint_run *run, const char *col, const PgQuery__TypeName *t)
{
	if (t && t->n_typmods && strcmp(lint_last_name(t->names, t->n_names), "varchar") == 0)
		lint_report(run, lint_at(run, t->location), "column '%s' is varchar with a length limit", col);
}

LINT_RULE(lint_prefer_text_field)
{
	lint_each_type(run, st, check_type);
}
