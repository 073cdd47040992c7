#include "cmd/workflow.h"

#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "diff/diff.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "lang/lang.h"
#include "pg/conn.h"
#include "pg/introspect.h"
#include "pg/normalize.h"

void report_db_error(struct cmd_ctx *ctx, const char *what,
		     const struct pg_error *err)
{
	struct diag *g = diag_error(&ctx->diags, SPAN_NONE, "%s%s%s", what ? what : "",
				    what ? ": " : "", err->message ? err->message : "unknown error");
	if (err->detail)
		diag_note(&ctx->diags, g, SPAN_NONE, "%s", err->detail);
	if (err->hint)
		diag_hint(&ctx->diags, g, "%s", err->hint);
	cmd_report(ctx);
}

int db_open(struct cmd_ctx *ctx, struct db_session *db)
{
	memset(db, 0, sizeof(*db));
	if (!ctx->cfg.url) {
		cmd_error(ctx, "no database configured: set url in c7gen.ini, "
			       "C7GEN_DATABASE_URL or --url");
		return EXIT_USAGE;
	}
	struct pg_error err;
	db->conn = pg_connect(ctx->arena, ctx->cfg.url, &err);
	if (!db->conn) {
		report_db_error(ctx, NULL, &err);
		return EXIT_DATABASE;
	}
	return -1;
}

void db_close(struct db_session *db)
{
	pg_close(db->conn);
	db->conn = NULL;
}

static void add_unique(struct cmd_ctx *ctx, struct vec *v, const char *name)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], name) == 0)
			return;
	vec_push(ctx->arena, v, (void *)name);
}

void managed_schemas(struct cmd_ctx *ctx, const struct ir_schema *models,
		     const char ***out, size_t *n)
{
	struct vec v = { 0 };
	add_unique(ctx, &v, SQL_DEFAULT_SCHEMA);
	for (size_t i = 0; models && i < models->namespaces.len; i++)
		add_unique(ctx, &v, models->namespaces.items[i]);
	const char *list = ctx->cfg.schemas;
	while (list && *list) {
		size_t len = strcspn(list, ",");
		const char *s = list, *e = list + len;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s)
			add_unique(ctx, &v, arena_strndup(ctx->arena, s, (size_t)(e - s)));
		list += len + (list[len] == ',');
	}
	*out = (const char **)v.items;
	*n = v.len;
}

void own_tables(struct cmd_ctx *ctx, const char ***out, size_t *n)
{
	const char **names = arena_array(ctx->arena, 2, sizeof(char *));
	const char *vt = ctx->cfg.version_table;
	const char *dot = strchr(vt, '.');
	const char *schema = dot ? arena_strndup(ctx->arena, vt, (size_t)(dot - vt))
				 : SQL_DEFAULT_SCHEMA;
	const char *table = dot ? dot + 1 : vt;
	names[0] = arena_printf(ctx->arena, "%s.%s", schema, table);
	names[1] = arena_printf(ctx->arena, "%s.c7gen_history", schema);
	*out = names;
	*n = 2;
}

struct ir_schema *load_models(struct cmd_ctx *ctx)
{
	struct ir_schema *want = lang_load_models(ctx->arena, &ctx->diags,
						  ctx->cfg.models);
	cmd_report(ctx);
	return want;
}

struct change_list *plan_against(struct cmd_ctx *ctx, struct db_session *db,
				 struct ir_schema *models, int *status)
{
	struct introspect_opts opts = { 0 };
	managed_schemas(ctx, models, (const char ***)&opts.schemas, &opts.nschemas);
	own_tables(ctx, (const char ***)&opts.exclude, &opts.nexclude);
	struct pg_error err;
	struct ir_schema *current = pg_introspect(db->conn, ctx->arena, &opts, &err);
	if (!current) {
		report_db_error(ctx, "cannot read the database schema", &err);
		*status = EXIT_DATABASE;
		return NULL;
	}
	if (!pg_normalize(db->conn, ctx->arena, models, &ctx->diags, &err, NULL)) {
		if (err.message) {
			report_db_error(ctx, "cannot check the models on the server", &err);
			*status = EXIT_DATABASE;
		} else {
			cmd_report(ctx);
			*status = EXIT_USAGE;
		}
		return NULL;
	}
	return diff_schemas(ctx->arena, current, models);
}
