/* c7gen diff: the upgrade SQL autogenerate would write, written nowhere. */
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/cmd.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "lang/lang.h"

int cmd_diff(struct cmd_ctx *ctx)
{
	const char *from = NULL;
	const struct opt opts[] = {
		{ "from", 0, true, &from, NULL },
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
	if (!from || strcmp(from, "empty") != 0) {
		cmd_error(ctx, "diff: only '--from empty' is available in this build");
		return EXIT_USAGE;
	}
	struct ir_schema *want = lang_load_models(ctx->arena, &ctx->diags,
						  ctx->cfg.models);
	if (!want) {
		cmd_report(ctx);
		return EXIT_USAGE;
	}
	cmd_report(ctx); /* warnings */
	struct ir_schema *empty = ir_schema_new(ctx->arena, IR_ORIGIN_DB);
	ir_namespace_add(empty, SQL_DEFAULT_SCHEMA);
	struct change_list *cl = diff_schemas(ctx->arena, empty, want);
	struct strbuf sb = STRBUF_INIT;
	emit_sql(&sb, cl, EMIT_UP);
	fwrite(sb.buf ? sb.buf : "", 1, sb.len, stdout);
	strbuf_release(&sb);
	return cmd_finish(ctx, EXIT_OK);
}
