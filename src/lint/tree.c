/* Helpers over PostgreSQL's parse tree shared by the rules. */
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "lint/lint_internal.h"

const char *lint_table_key(struct lint_run *run, const PgQuery__RangeVar *rv)
{
	/* A copy: keys outlive the parse tree of their step. */
	if (!*rv->schemaname || strcmp(rv->schemaname, "public") == 0)
		return arena_strdup(run->a, rv->relname);
	return arena_printf(run->a, "%s.%s", rv->schemaname, rv->relname);
}

const char *lint_table_name(struct lint_run *run, const PgQuery__RangeVar *rv)
{
	if (!*rv->schemaname)
		return rv->relname;
	return arena_printf(run->a, "%s.%s", rv->schemaname, rv->relname);
}

bool lint_is_new_table(struct lint_run *run, const PgQuery__RangeVar *rv)
{
	return rv && hmap_get(&run->created, lint_table_key(run, rv)) != NULL;
}

const PgQuery__AlterTableStmt *lint_alter_table(const struct lint_stmt *st)
{
	if (st->node->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_STMT ||
	    st->node->alter_table_stmt->objtype != PG_QUERY__OBJECT_TYPE__OBJECT_TABLE)
		return NULL;
	return st->node->alter_table_stmt;
}

const PgQuery__AlterTableCmd *lint_cmd(const PgQuery__Node *n, PgQuery__AlterTableType subtype)
{
	if (n->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD ||
	    n->alter_table_cmd->subtype != subtype)
		return NULL;
	return n->alter_table_cmd;
}

const char *lint_last_name(PgQuery__Node *const *names, size_t n)
{
	if (!n || names[n - 1]->node_case != PG_QUERY__NODE__NODE_STRING)
		return "";
	return names[n - 1]->string->sval;
}

void lint_new_columns(const struct lint_stmt *st, struct vec *out, struct arena *a)
{
	const PgQuery__Node *n = st->node;
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT) {
		for (size_t i = 0; i < n->create_stmt->n_table_elts; i++) {
			const PgQuery__Node *e = n->create_stmt->table_elts[i];
			if (e->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
				vec_push(a, out, e->column_def);
		}
		return;
	}
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AddColumn);
		if (c && c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			vec_push(a, out, c->def->column_def);
	}
}

const PgQuery__RangeVar *lint_relation(const struct lint_stmt *st)
{
	const PgQuery__Node *n = st->node;
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_CREATE_STMT:
		return n->create_stmt->relation;
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return n->alter_table_stmt->relation;
	default:
		return NULL;
	}
}

void lint_each_type(struct lint_run *run, const struct lint_stmt *st,
		    void (*fn)(struct lint_run *run, const char *col, const PgQuery__TypeName *t))
{
	struct vec cols = { 0 };
	lint_new_columns(st, &cols, run->a);
	for (size_t i = 0; i < cols.len; i++) {
		const PgQuery__ColumnDef *col = cols.items[i];
		fn(run, col->colname, col->type_name);
	}
	const PgQuery__AlterTableStmt *at = lint_alter_table(st);
	for (size_t i = 0; at && i < at->n_cmds; i++) {
		const PgQuery__AlterTableCmd *c =
			lint_cmd(at->cmds[i], PG_QUERY__ALTER_TABLE_TYPE__AT_AlterColumnType);
		if (c && c->def && c->def->node_case == PG_QUERY__NODE__NODE_COLUMN_DEF)
			fn(run, c->name, c->def->column_def->type_name);
	}
}
