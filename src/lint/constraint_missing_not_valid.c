/* ADD CONSTRAINT ... CHECK validates every row under an ACCESS EXCLUSIVE
 * lock.  NOT VALID adds it at once; VALIDATE CONSTRAINT later checks the
 * rows under a lock that lets reads and writes go on.  VALIDATE in the same
 * transaction as the NOT VALID add keeps the first lock to the end and
 * gains nothing.  Foreign keys have their own rule
 * (adding-foreign-key-constraint). */
#include <string.h>

#include "base/arena.h"
#include "lint/lint_internal.h"

/* True if an earlier statement of this transactional step added
 * `name` NOT VALID. */
static bool added_in_step(struct lint_run *run, const struct lint_stmt *st, const char *name)
{
	for (size_t i = 0; i < run->not_valid.len; i++) {
		const struct lint_named *nv = run->not_valid.items[i];
		if (nv->step == st->step && strcmp(nv->name, name) == 0)
			return true;
	}
	return false;
}

static void check_cmd(struct lint_run *run, const struct lint_stmt *st,
		      const PgQuery__AlterTableStmt *at, const PgQuery__Node *cmd)
{
	const PgQuery__AlterTableCmd *c = lint_cmd(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_ValidateConstraint);
	if (c && st->in_transaction && added_in_step(run, st, c->name)) {
		lint_report(run, st->start,
			    "VALIDATE CONSTRAINT '%s' in the same transaction as its NOT VALID add "
			    "holds the add's lock while every row is checked", c->name);
		return;
	}
	c = lint_cmd(cmd, PG_QUERY__ALTER_TABLE_TYPE__AT_AddConstraint);
	if (!c || !c->def || c->def->node_case != PG_QUERY__NODE__NODE_CONSTRAINT)
		return;
	const PgQuery__Constraint *k = c->def->constraint;
	if (k->contype != PG_QUERY__CONSTR_TYPE__CONSTR_CHECK && k->contype != PG_QUERY__CONSTR_TYPE__CONSTR_FOREIGN)
		return;
	if (k->skip_validation) {
		struct lint_named *nv = arena_alloc(run->a, sizeof(*nv));
		nv->step = st->step;
		nv->name = k->conname;
		vec_push(run->a, &run->not_valid, nv);
		return;
	}
	if (k->contype == PG_QUERY__CONSTR_TYPE__CONSTR_CHECK && !lint_is_new_table(run, at->relation))
		lint_report_table(run, lint_at(run, k->location), at->relation,
			    "adding a CHECK constraint validates every row of '%s' while writes wait",
			    lint_table_name(run, at->relation));
}

LINT_RULE(lint_constraint_missing_not_valid)
{
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++)
		check_cmd(run, st, at, at->cmds[i]);
}
