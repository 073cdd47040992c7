/* c7gen diff: the upgrade SQL autogenerate would write, written nowhere. */
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/cmd.h"
#include "cmd/revisions.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "ir/ir.h"
#include "ir/sqlname.h"

static struct change_list *from_empty(struct cmd_ctx *ctx,
				      struct ir_schema *want)
{
	struct ir_schema *empty = ir_schema_new(ctx->arena, IR_ORIGIN_DB);
	ir_namespace_add(empty, SQL_DEFAULT_SCHEMA);
	return diff_schemas(ctx->arena, empty, want);
}

int cmd_diff(struct cmd_ctx *ctx)
{
	const char *from = NULL;
	bool atomic = false;
	const struct opt opts[] = {
		{ "from", 0, true, &from, NULL },
		{ "atomic", 0, false, NULL, &atomic },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos > 0) {
		cmd_error(ctx, "diff: unexpected argument '%s'", pos[0]);
		return EXIT_USAGE;
	}
	if (from && strcmp(from, "empty") != 0) {
		cmd_error(ctx, "diff: --from takes only 'empty'");
		return EXIT_USAGE;
	}
	int online = atomic ? 0 : config_online(ctx);
	if (online < 0)
		return EXIT_USAGE;
	struct ir_schema *want = load_models(ctx);
	if (!want)
		return EXIT_USAGE;

	struct change_list *cl;
	struct db_session db = { 0 };
	if (from) {
		cl = from_empty(ctx, want);
		timing_mark(ctx, "diff");
	} else {
		struct revision_set set;
		if (!load_revisions(ctx, &set))
			return EXIT_USAGE;
		rc = db_open_at_head(ctx, &db, &set);
		if (rc >= 0)
			return rc;
		int status = EXIT_OK;
		cl = plan_against(ctx, &db, want, NULL, &status);
		db_close(&db);
		timing_mark(ctx, "close");
		if (!cl)
			return status;
	}
	struct strbuf sb = STRBUF_INIT;
	emit_plan(&sb, cl, EMIT_UP, online, NULL);
	timing_mark(ctx, "render");
	fwrite(strbuf_str(&sb), 1, sb.len, stdout);
	strbuf_release(&sb);
	return cmd_finish(ctx, EXIT_OK);
}
