/*
 * libFuzzer target: one model file through the whole front end (scanner,
 * parser, semantic checks, naming), then what `diff --from empty` and
 * `inspect` would print for it, both directions.  Anything the input makes
 * the code do must end in a diagnostic or SQL, never a crash.
 */
#include <stdint.h>
#include <stdio.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "diff/change.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "emit/models.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "lang/lang.h"
#include "lang/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void render(struct arena *a, struct ir_schema *want)
{
	struct ir_schema *empty = ir_schema_new(a, IR_ORIGIN_DB);
	ir_namespace_add(empty, SQL_DEFAULT_SCHEMA);
	struct change_list *cl = diff_schemas(a, empty, want);
	struct strbuf sb = STRBUF_INIT;
	emit_sql(&sb, cl, EMIT_UP);
	emit_sql(&sb, cl, EMIT_DOWN);
	for (size_t i = 0; i < want->tables.len; i++)
		models_table(&sb, want, want->tables.items[i]);
	strbuf_release(&sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	const char *text = arena_strndup(a, (const char *)data, size);
	struct srcfile *f = srcfile_new(a, "fuzz.c7", text, size);
	struct ast_model m = { 0 };
	if (parse_model_file(a, a, &d, f, &m)) {
		struct ir_schema *ir = lang_analyze(a, &d, &m);
		if (ir)
			render(a, ir);
	}
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diags_render(&d, sink, false);
		fclose(sink);
	}
	arena_free(a);
	return 0;
}
