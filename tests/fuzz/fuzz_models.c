/*
 * libFuzzer target: one model file through the whole front end (scanner,
 * parser, semantic checks, naming), then what `diff --from empty` and
 * `inspect` would print for it, both directions.  Anything the input makes
 * the code do must end in a diagnostic or SQL, never a crash.  And what
 * inspect's renderer writes for valid models must be valid models again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The models as inspect would write them. */
static void write_models(struct strbuf *sb, const struct ir_schema *s)
{
	for (size_t i = 0; i < s->namespaces.len; i++) {
		strbuf_addstr(sb, "schema ");
		models_add_name(sb, s->namespaces.items[i]);
		strbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < s->extensions.len; i++)
		models_extension(sb, s->extensions.items[i]);
	for (size_t i = 0; i < s->enums.len; i++)
		models_enum(sb, s->enums.items[i]);
	for (size_t i = 0; i < s->sequences.len; i++)
		models_sequence(sb, s->sequences.items[i]);
	for (size_t i = 0; i < s->tables.len; i++)
		models_table(sb, s, s->tables.items[i]);
}

static void reparse(const struct strbuf *text)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	struct srcfile *f = srcfile_new(a, "inspected.c7", strbuf_str(text), text->len);
	struct ast_model m = { 0 };
	bool ok = parse_model_file(a, a, &d, f, &m) && lang_analyze(a, &d, &m);
	if (!ok) {
		fprintf(stderr, "inspect's rendering does not parse:\n%s\n", strbuf_str(text));
		diags_render(&d, stderr, false);
		abort();
	}
	arena_free(a);
}

static void render(struct arena *a, struct ir_schema *want)
{
	struct ir_schema *empty = ir_schema_new(a, IR_ORIGIN_DB);
	ir_namespace_add(empty, SQL_DEFAULT_SCHEMA);
	struct change_list *cl = diff_schemas(a, empty, want);
	struct strbuf sb = STRBUF_INIT;
	emit_sql(&sb, cl, EMIT_UP);
	emit_sql(&sb, cl, EMIT_DOWN);
	strbuf_reset(&sb);
	write_models(&sb, want);
	reparse(&sb);
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
