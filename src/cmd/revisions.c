#include "cmd/revisions.h"

#include <string.h>

#include "base/arena.h"
#include "ir/sqlname.h"
#include "pg/conn.h"

bool load_revisions(struct cmd_ctx *ctx, struct revision_set *set)
{
	bool ok = revs_load(ctx->arena, &ctx->diags, ctx->cfg.migrations, set);
	cmd_report(ctx);
	return ok;
}

void version_tables_of(struct cmd_ctx *ctx, struct version_tables *vt)
{
	const char *v = ctx->cfg.version_table;
	const char *dot = strchr(v, '.');
	vt->schema = dot ? arena_strndup(ctx->arena, v, (size_t)(dot - v))
			 : SQL_DEFAULT_SCHEMA;
	vt->revisions = dot ? dot + 1 : v;
	vt->history = "c7gen_history";
}

int read_db_state(struct cmd_ctx *ctx, struct db_session *db,
		  const struct revision_set *set, const struct version_tables *vt,
		  struct db_state *state)
{
	memset(state, 0, sizeof(*state));
	struct pg_error err;
	if (!pg_versions_read(db->conn, ctx->arena, vt, &state->rows, &state->nrows,
			      &state->exists, &err)) {
		report_db_error(ctx, "cannot read the version table", &err);
		return EXIT_DATABASE;
	}
	const char **ids = arena_array(ctx->arena, state->nrows + 1, sizeof(char *));
	for (size_t i = 0; i < state->nrows; i++) {
		ids[i] = state->rows[i].revision;
		struct revision *r = revs_find(set, ids[i]);
		if (r && strcmp(r->checksum, state->rows[i].checksum) != 0)
			vec_push(ctx->arena, &state->edited, r);
	}
	revs_state_init(ctx->arena, &state->st, set, ids, state->nrows);
	return -1;
}

size_t report_drift(struct cmd_ctx *ctx, const struct db_state *state,
		    bool as_errors)
{
	enum diag_severity sev = as_errors ? DIAG_ERROR : DIAG_WARNING;
	for (size_t i = 0; i < state->edited.len; i++) {
		const struct revision *r = state->edited.items[i];
		struct diag *g = diag_add(&ctx->diags, sev, SPAN_NONE,
					  "revision %s (%s) was edited after it was applied",
					  r->id, r->path);
		diag_note(&ctx->diags, g, SPAN_NONE,
			  "its SHA-256 no longer matches the one recorded in the version table");
	}
	for (size_t i = 0; i < state->st.missing.len; i++) {
		diag_add(&ctx->diags, sev, SPAN_NONE,
			 "revision %s is applied to the database but has no file in %s",
			 (const char *)state->st.missing.items[i], ctx->cfg.migrations);
	}
	cmd_report(ctx);
	return state->edited.len + state->st.missing.len;
}

bool at_head(struct cmd_ctx *ctx, const struct revision_set *set,
	     const struct db_state *state)
{
	struct vec applied_heads = { 0 };
	revs_applied_heads(ctx->arena, &state->st, &applied_heads);
	if (state->st.missing.len || applied_heads.len != set->heads.len)
		return false;
	for (size_t i = 0; i < set->heads.len; i++) {
		const struct revision *h = set->heads.items[i];
		if (!state->st.applied[h->order])
			return false;
	}
	/* Every revision is applied: heads applied implies ancestors, unless
	 * the version table was edited by hand. */
	for (size_t i = 0; i < set->revs.len; i++)
		if (!state->st.applied[i])
			return false;
	return true;
}
