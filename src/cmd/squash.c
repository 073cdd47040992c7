/* c7gen squash --to REV -m MSG: one revision equal to the whole schema at
 * REV, replacing REV and its ancestors (see docs/revisions.md). */
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "pg/introspect.h"

/* REV and its ancestors, in graph order; NULL after reporting a
 * revision that branches off inside the range (it would have to follow
 * the squash, which already holds what came after its parent). */
static struct vec *replaced_range(struct cmd_ctx *ctx, const struct revision_set *set,
				  struct revision *to)
{
	bool *in = arena_array(ctx->arena, set->revs.len + 1, sizeof(bool));
	revs_mark_ancestors(set, &to, 1, in);
	struct vec *out = arena_alloc(ctx->arena, sizeof(*out));
	for (size_t i = 0; i < set->revs.len; i++) {
		struct revision *r = set->revs.items[i];
		if (in[i]) {
			vec_push(ctx->arena, out, r);
			continue;
		}
		for (size_t k = 0; k < r->nparents; k++) {
			const struct revision *p = r->parent_revs[k];
			if (in[p->order] && p != to) {
				cmd_error(ctx, "squash: revision %s branches off %s, inside the range; "
					       "squash up to a revision after the branches merge, or "
					       "before %s", r->id, p->id, p->id);
				return NULL;
			}
		}
	}
	return out;
}

/* Kinds the model language does not cover would be lost by a squash
 * generated from the IR: refuse rather than drop them. */
static bool only_modelled(struct cmd_ctx *ctx, struct db_session *db,
			  const char *const *schemas, size_t n)
{
	struct ignored_kind kinds[IGNORED_KINDS];
	struct pg_error err;
	if (!pg_count_ignored(db->conn, schemas, n, ctx->arena, kinds, &err)) {
		report_db_error(ctx, "cannot read the database schema", &err);
		return false;
	}
	for (int i = 0; i < IGNORED_KINDS; i++) {
		if (kinds[i].count) {
			cmd_error(ctx, "squash: the schema at the squash point has %ld %s, which "
				       "c7gen does not model; a squash would lose them",
				  kinds[i].count, kinds[i].count == 1 ? kinds[i].one : kinds[i].what);
			return false;
		}
	}
	return true;
}

/* The whole schema in the scratch database, as a plan from empty. */
static struct change_list *schema_from_empty(struct cmd_ctx *ctx, struct db_session *db)
{
	struct introspect_opts opts = { 0 };
	struct pg_error err;
	if (!pg_user_schemas(db->conn, ctx->arena, (const char ***)&opts.schemas,
			     &opts.nschemas, &err)) {
		report_db_error(ctx, "cannot read the database schema", &err);
		return NULL;
	}
	if (!only_modelled(ctx, db, opts.schemas, opts.nschemas))
		return NULL;
	own_tables(ctx, (const char ***)&opts.exclude, &opts.nexclude);
	struct ir_schema *at = pg_introspect(db->conn, ctx->arena, &opts, &err);
	if (!at) {
		report_db_error(ctx, "cannot read the database schema", &err);
		return NULL;
	}
	struct ir_schema *empty = ir_schema_new(ctx->arena, IR_ORIGIN_DB);
	ir_namespace_add(empty, SQL_DEFAULT_SCHEMA);
	return diff_schemas(ctx->arena, empty, at);
}

static const char *render(struct cmd_ctx *ctx, const struct change_list *cl,
			  enum emit_direction dir)
{
	struct strbuf sb = STRBUF_INIT;
	emit_sql(&sb, cl, dir);
	const char *out = strbuf_to_arena(&sb, ctx->arena);
	strbuf_release(&sb);
	return out;
}

int cmd_squash(struct cmd_ctx *ctx)
{
	const char *to = NULL, *message = NULL;
	const struct opt opts[] = {
		{ "to", 0, true, &to, NULL },
		{ "message", 'm', true, &message, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos || !to || !message) {
		cmd_error(ctx, "usage: c7gen squash --to REV -m MESSAGE");
		return EXIT_USAGE;
	}
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct revision *rev = strcmp(to, "head") == 0
		? revs_single_head(ctx->arena, &ctx->diags, &set)
		: revs_resolve(&ctx->diags, &set, to);
	if (!rev) {
		cmd_report(ctx);
		return EXIT_USAGE;
	}
	struct vec *range = replaced_range(ctx, &set, rev);
	if (!range)
		return EXIT_USAGE;
	struct db_session db;
	rc = db_open_scratch(ctx, &db, "building the schema to squash");
	if (rc >= 0)
		return rc;
	rc = replay_to(ctx, &db, &set, rev->id);
	struct change_list *cl = rc < 0 ? schema_from_empty(ctx, &db) : NULL;
	db_close(&db);
	if (!cl)
		return rc >= 0 ? rc : EXIT_USAGE;
	const char **ids = arena_array(ctx->arena, range->len, sizeof(char *));
	for (size_t i = 0; i < range->len; i++)
		ids[i] = ((struct revision *)range->items[i])->id;
	struct revision_spec spec = { .message = message,
				      .upgrade = render(ctx, cl, EMIT_UP),
				      .downgrade = render(ctx, cl, EMIT_DOWN),
				      .replaces = ids, .nreplaces = range->len };
	rc = write_revision(ctx, &spec);
	if (rc == EXIT_OK)
		printf("It replaces %zu revision%s up to %s. Delete their files once every "
		       "database is at %s or past it; c7gen check proves the squash meanwhile.\n",
		       range->len, range->len == 1 ? "" : "s", rev->id, rev->id);
	return cmd_finish(ctx, rc);
}
