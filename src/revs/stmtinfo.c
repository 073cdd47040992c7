#include "revs/stmtinfo.h"

#include <string.h>

#include <pg_query/pg_query.pb-c.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "ir/sqlname.h"
#include "sql/sql.h"

/* The one statement `sql` holds, parsed; NULL if it is not exactly one
 * statement the parser accepts. */
static PgQuery__ParseResult *parse_one(struct arena *a, const char *sql, size_t len)
{
	struct sql_error err;
	PgQuery__ParseResult *tree = sql_parse(a, arena_strndup(a, sql, len), &err);
	if (tree && tree->n_stmts != 1) {
		sql_tree_free(tree);
		return NULL;
	}
	return tree;
}

static bool reindex_concurrently(const PgQuery__ReindexStmt *s)
{
	for (size_t i = 0; i < s->n_params; i++) {
		const PgQuery__Node *p = s->params[i];
		if (p->node_case == PG_QUERY__NODE__NODE_DEF_ELEM &&
		    strcmp(p->def_elem->defname, "concurrently") == 0)
			return true;
	}
	return false;
}

static bool detach_concurrently(const PgQuery__AlterTableStmt *s)
{
	for (size_t i = 0; i < s->n_cmds; i++) {
		const PgQuery__Node *c = s->cmds[i];
		if (c->node_case != PG_QUERY__NODE__NODE_ALTER_TABLE_CMD)
			continue;
		const PgQuery__Node *def = c->alter_table_cmd->def;
		if (c->alter_table_cmd->subtype == PG_QUERY__ALTER_TABLE_TYPE__AT_DetachPartition &&
		    def && def->node_case == PG_QUERY__NODE__NODE_PARTITION_CMD &&
		    def->partition_cmd->concurrent)
			return true;
	}
	return false;
}

bool stmt_node_is_concurrent(const PgQuery__Node *n)
{
	switch (n->node_case) {
	case PG_QUERY__NODE__NODE_INDEX_STMT:
		return n->index_stmt->concurrent;
	case PG_QUERY__NODE__NODE_DROP_STMT:
		return n->drop_stmt->concurrent;
	case PG_QUERY__NODE__NODE_REINDEX_STMT:
		return reindex_concurrently(n->reindex_stmt);
	case PG_QUERY__NODE__NODE_ALTER_TABLE_STMT:
		return detach_concurrently(n->alter_table_stmt);
	default:
		return false;
	}
}

bool stmt_is_concurrent(struct arena *a, const char *sql, size_t len)
{
	PgQuery__ParseResult *tree = parse_one(a, sql, len);
	bool concurrent = tree && stmt_node_is_concurrent(tree->stmts[0]->stmt);
	sql_tree_free(tree);
	return concurrent;
}

bool stmt_index_build(struct arena *a, const char *sql, size_t len,
		      struct index_build *out)
{
	PgQuery__ParseResult *tree = parse_one(a, sql, len);
	const PgQuery__Node *n = tree ? tree->stmts[0]->stmt : NULL;
	bool found = n && n->node_case == PG_QUERY__NODE__NODE_INDEX_STMT &&
		     n->index_stmt->concurrent && *n->index_stmt->idxname;
	if (found) {
		const PgQuery__RangeVar *rel = n->index_stmt->relation;
		out->index = arena_strdup(a, n->index_stmt->idxname);
		struct strbuf sb = STRBUF_INIT;
		if (*rel->schemaname) {
			sql_add_ident(&sb, rel->schemaname);
			strbuf_addch(&sb, '.');
		}
		sql_add_ident(&sb, rel->relname);
		out->table = strbuf_to_arena(&sb, a);
		strbuf_release(&sb);
	}
	sql_tree_free(tree);
	return found;
}
