/* c7gen autogenerate -m MSG: diff the models against the database at head
 * and write the revision that closes the gap. */
#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "ir/ir.h"

int autogenerate(struct cmd_ctx *ctx, const char *message)
{
	struct ir_schema *want = load_models(ctx);
	if (!want)
		return EXIT_USAGE;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct revision_spec spec = { 0 };
	spec.message = message;
	if (!parent_of_new(ctx, &set, &spec))
		return EXIT_USAGE;

	struct db_session db;
	int rc = db_open_at_head(ctx, &db, &set);
	if (rc >= 0)
		return rc;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	rc = read_db_state(ctx, &db, &set, &vt, &state);
	if (rc < 0 && !at_head(ctx, &set, &state)) {
		cmd_error(ctx, "the database is not at the head of %s; run 'c7gen upgrade' "
			       "first so the new revision builds on all the others",
			  ctx->cfg.migrations);
		rc = EXIT_FINDINGS;
	}
	struct change_list *cl = NULL;
	if (rc < 0)
		cl = plan_against(ctx, &db, want, &rc);
	db_close(&db);
	if (!cl)
		return rc;
	if (!cl->changes.len) {
		printf("No changes detected.\n");
		return cmd_finish(ctx, EXIT_OK);
	}
	struct strbuf up = STRBUF_INIT, down = STRBUF_INIT;
	emit_sql(&up, cl, EMIT_UP);
	emit_sql(&down, cl, EMIT_DOWN);
	spec.upgrade = strbuf_to_arena(&up, ctx->arena);
	spec.downgrade = strbuf_to_arena(&down, ctx->arena);
	strbuf_release(&up);
	strbuf_release(&down);
	return write_revision(ctx, &spec);
}

int cmd_autogenerate(struct cmd_ctx *ctx)
{
	const char *message = NULL;
	const struct opt opts[] = {
		{ "message", 'm', true, &message, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!message || npos) {
		cmd_error(ctx, "usage: c7gen autogenerate -m MESSAGE");
		return EXIT_USAGE;
	}
	return autogenerate(ctx, message);
}
