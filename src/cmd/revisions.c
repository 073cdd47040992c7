#include "cmd/revisions.h"

#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
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
	vt->progress = "c7gen_progress";
}

/* The database stopped inside a range that was squashed since: only the
 * migrations from before the squash can take it to the squash's end. */
static void report_part_squashed(struct cmd_ctx *ctx, const struct revs_state *st)
{
	for (size_t i = 0; i < st->part_squashed.len; i++) {
		const struct revision *r = st->part_squashed.items[i];
		const char *last = r->replaces[r->nreplaces - 1];
		struct diag *g = diag_error(&ctx->diags, SPAN_NONE,
			"the database has applied some, not all, of the %zu revisions squashed "
			"into %s (%s)", r->nreplaces, r->id, r->path);
		diag_hint(&ctx->diags, g,
			  "upgrade it to %s with the migrations from before the squash "
			  "(for example from a git checkout of them: c7gen --migrations DIR "
			  "upgrade %s); from there on it counts as at %s", last, last, r->id);
	}
	cmd_report(ctx);
}

int read_db_state(struct cmd_ctx *ctx, struct db_session *db,
		  const struct revision_set *set, const struct version_tables *vt,
		  struct db_state *state)
{
	memset(state, 0, sizeof(*state));
	struct pg_error err;
	if (!pg_versions_read(db->conn, ctx->arena, vt, &state->rows, &state->nrows,
			      &state->partial, &state->npartial, &state->exists, &err)) {
		report_db_error(ctx, "cannot read the version table", &err);
		return EXIT_DATABASE;
	}
	const char **ids = arena_array(ctx->arena, state->nrows + 1, sizeof(char *));
	for (size_t i = 0; i < state->nrows; i++) {
		ids[i] = state->rows[i].revision;
		struct revision *r = revs_find(set, ids[i]);
		/* A row of a revision a squash replaced has its own checksum. */
		if (r && strcmp(r->id, ids[i]) == 0 &&
		    strcmp(r->checksum, state->rows[i].checksum) != 0)
			vec_push(ctx->arena, &state->edited, r);
	}
	revs_state_init(ctx->arena, &state->st, set, ids, state->nrows);
	if (state->st.part_squashed.len) {
		report_part_squashed(ctx, &state->st);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < state->npartial; i++) {
		const struct progress *row = &state->partial[i];
		struct rev_progress *p = arena_alloc(ctx->arena, sizeof(*p));
		p->up = strcmp(row->direction, "upgrade") == 0;
		p->steps_done = row->steps_done > 0 ? (size_t)row->steps_done : 0;
		p->statements_done = row->statements_done > 0 ? (size_t)row->statements_done : 0;
		p->checksum = row->checksum;
		if (!revs_state_set_partial(&state->st, row->revision, p)) {
			vec_push(ctx->arena, &state->st.missing, (void *)row->revision);
			continue;
		}
		struct revision *r = revs_find(set, row->revision);
		bool listed = false;
		for (size_t k = 0; k < state->edited.len; k++)
			listed = listed || state->edited.items[k] == r;
		if (strcmp(r->checksum, row->checksum) != 0 && !listed)
			vec_push(ctx->arena, &state->edited, r);
	}
	return -1;
}

const char *describe_partial(struct cmd_ctx *ctx, const struct revision *r,
			     const struct rev_progress *p)
{
	const struct section *sec = p->up ? &r->up : &r->down;
	const char *dir = p->up ? "upgrade" : "downgrade";
	if (p->steps_done >= sec->nsteps)
		return arena_printf(ctx->arena, "the %s stopped after its last step", dir);
	const struct rev_step *next = &sec->steps[p->steps_done];
	size_t line, col;
	srcfile_linecol(r->file, next->line_start, &line, &col);
	struct strbuf sb = STRBUF_INIT;
	if (p->steps_done)
		strbuf_addf(&sb, "the %s stopped after step %zu of %zu", dir,
			    p->steps_done, sec->nsteps);
	else
		strbuf_addf(&sb, "the %s stopped in step 1 of %zu", dir, sec->nsteps);
	if (p->statements_done)
		strbuf_addf(&sb, ", %zu statement%s of step %zu done", p->statements_done,
			    p->statements_done == 1 ? "" : "s", p->steps_done + 1);
	strbuf_addf(&sb, "; next: step %zu (%s:%zu)", p->steps_done + 1, r->path, line);
	const char *out = strbuf_to_arena(&sb, ctx->arena);
	strbuf_release(&sb);
	return out;
}

size_t report_drift(struct cmd_ctx *ctx, const struct db_state *state,
		    bool as_errors)
{
	enum diag_severity sev = as_errors ? DIAG_ERROR : DIAG_WARNING;
	for (size_t i = 0; i < state->edited.len; i++) {
		const struct revision *r = state->edited.items[i];
		struct diag *g = diag_add(&ctx->diags, sev, SPAN_NONE,
					  "revision %s (%s) was edited after it was applied%s",
					  r->id, r->path,
					  state->st.partial[r->order] ? " part way" : "");
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
		if (!state->st.applied[i] || state->st.partial[i])
			return false;
	return true;
}
