/* timestamp without time zone stores wall-clock time with no zone: the
 * same instant reads differently per session, and DST makes hours repeat. */
#include <string.h>

#include "lint/lint_internal.h"

static void check_type(struct lint_run *run, const char *col, const PgQuery__TypeName *t)
{
	if (t && strcmp(lint_last_name(t->names, t->n_names), "timestamp") == 0)
		lint_report(run, lint_at(run, t->location),
			    "column '%s' is timestamp without time zone", col);
}

LINT_RULE(lint_prefer_timestamptz)
{
	lint_each_type(run, st, check_type);
}
