/*
 * libFuzzer target: one model file through the whole front end (scanner,
 * parser, semantic checks, naming), then what `diff --from empty` and
 * `inspect` would print for it, both directions.  Anything the input makes
 * the code do must end in a diagnostic or SQL, never a crash.  And what
 * inspect's renderer writes for valid models must be valid models again.
 *
 * `c7gen fmt`'s property: a file that parses formats, the formatted text
 * gives the same IR (and the same errors), and formatting it again changes
 * nothing.  Models with syntax errors are still analysed, as the language
 * server does with what it could parse, and must not crash that either.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "cmd/fmt.h"
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

/* The IR and the errors of one file's text, without positions. */
static void meaning(struct arena *a, const char *text, size_t len,
		    struct strbuf *out)
{
	struct diags d;
	diags_init(&d, a);
	d.limit = (size_t)-1;
	struct ast_model m = { 0 };
	parse_model_file(a, a, &d, srcfile_new(a, "fuzz.c7", text, len), &m);
	fmt_fingerprint(out, lang_analyze_partial(a, &d, &m));
	for (size_t i = 0; i < d.list.len; i++)
		strbuf_addf(out, "%s\n", ((struct diag *)d.list.items[i])->msg);
}

static void check_fmt(struct arena *a, struct srcfile *f)
{
	struct diags d;
	diags_init(&d, a);
	struct strbuf once = STRBUF_INIT, twice = STRBUF_INIT;
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	if (!fmt_text(&d, f, &once)) {
		fprintf(stderr, "fmt refused a file that parses:\n%.*s\n", (int)f->len, f->text);
		diags_render(&d, stderr, false);
		abort();
	}
	meaning(a, f->text, f->len, &before);
	meaning(a, strbuf_str(&once), once.len, &after);
	struct srcfile *g = srcfile_new(a, "formatted.c7", strbuf_str(&once), once.len);
	if (strcmp(strbuf_str(&before), strbuf_str(&after)) != 0 ||
	    !fmt_text(&d, g, &twice) || twice.len != once.len ||
	    memcmp(strbuf_str(&twice), strbuf_str(&once), once.len) != 0) {
		fprintf(stderr, "fmt changed the meaning or is not idempotent:\n%s\n",
			strbuf_str(&once));
		abort();
	}
	strbuf_release(&once);
	strbuf_release(&twice);
	strbuf_release(&before);
	strbuf_release(&after);
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
		check_fmt(a, f);
	} else {
		lang_analyze_partial(a, &d, &m);
	}
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diags_render(&d, sink, false);
		fclose(sink);
	}
	arena_free(a);
	return 0;
}
