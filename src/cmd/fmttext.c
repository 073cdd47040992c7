/*
 * Formatting one model file safely (see src/cmd/fmt.h): a step shared by
 * `c7gen fmt` and the language server.  Like black, it proves each result
 * before handing it out: the formatted text must parse to the same IR,
 * keep every comment and format to itself, or it is refused.
 */
#include "cmd/fmt.h"

#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "emit/fmt.h"
#include "emit/models.h"
#include "ir/ir.h"
#include "lang/lang.h"
#include "lang/parse.h"

void fmt_fingerprint(struct strbuf *sb, const struct ir_schema *s)
{
	ir_schema_dump(sb, s);
	for (size_t i = 0; i < s->enums.len; i++) {
		const struct ir_enum *e = s->enums.items[i];
		models_enum(sb, e);
		for (size_t k = 0; k < e->labels.len; k++)
			if (e->label_renamed[k])
				strbuf_addf(sb, "label %s renamed from %s\n", e->labels.items[k],
					    e->label_renamed[k]);
	}
	for (size_t i = 0; i < s->sequences.len; i++)
		models_sequence(sb, s->sequences.items[i]);
	for (size_t i = 0; i < s->extensions.len; i++)
		models_extension(sb, s->extensions.items[i]);
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		models_table(sb, s, t);
		if (t->renamed_from)
			strbuf_addf(sb, "renamed from %s.%s\n", t->renamed_from_schema,
				    t->renamed_from);
		for (size_t k = 0; k < t->columns.len; k++) {
			const struct ir_column *c = t->columns.items[k];
			if (c->renamed_from)
				strbuf_addf(sb, "column %s renamed from %s\n", c->name,
					    c->renamed_from);
		}
	}
}

/* The IR of one file's declarations and the errors they have, without
 * positions (which formatting moves). */
static void meaning(struct arena *a, const struct ast_model *m,
		    struct strbuf *out)
{
	struct diags d;
	diags_init(&d, a);
	d.limit = SIZE_MAX;
	fmt_fingerprint(out, lang_analyze_partial(a, &d, m));
	for (size_t i = 0; i < d.list.len; i++) {
		const struct diag *g = d.list.items[i];
		strbuf_addf(out, "%d %s\n", (int)g->severity, g->msg);
		for (size_t k = 0; k < g->notes.len; k++)
			strbuf_addf(out, "  %s\n", ((struct diag_note *)g->notes.items[k])->msg);
	}
}

static void comments_of(const char *text, const struct vec *toks,
			struct strbuf *out)
{
	for (size_t i = 0; i < toks->len; i++) {
		const struct lex_token *t = toks->items[i];
		if (t->comment) {
			/* The formatter drops a CRLF line end's carriage return. */
			size_t n = t->end - t->start;
			if (text[t->start] == '-' && n > 2 && text[t->end - 1] == '\r')
				n--;
			strbuf_add(out, text + t->start, n);
			strbuf_addch(out, '\n');
		}
	}
}

struct parsed {
	struct srcfile *file;
	struct vec toks;
	struct ast_model model;
};

static bool same_text(const struct strbuf *a, const struct strbuf *b)
{
	return a->len == b->len && memcmp(strbuf_str(a), strbuf_str(b), a->len) == 0;
}

/* The formatted text parses, keeps every comment in order, formats to
 * itself and means what the original meant. */
static bool keeps_meaning(struct arena *a, const struct parsed *orig,
			  const char *text, size_t len)
{
	struct parsed now = { 0 };
	now.file = srcfile_new(a, orig->file->path, text, len);
	struct diags d;
	diags_init(&d, a);
	if (!parse_model_file_tokens(a, a, &d, now.file, &now.model, &now.toks))
		return false;
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	comments_of(orig->file->text, &orig->toks, &x);
	comments_of(text, &now.toks, &y);
	bool ok = same_text(&x, &y);
	strbuf_reset(&x);
	strbuf_reset(&y);
	struct fmt_input in = { text, len, &now.toks, &now.model };
	ok = ok && fmt_model(&x, &in) && x.len == len && memcmp(strbuf_str(&x), text, len) == 0;
	strbuf_reset(&x);
	if (ok) {
		meaning(a, &orig->model, &x);
		meaning(a, &now.model, &y);
		ok = same_text(&x, &y);
	}
	strbuf_release(&x);
	strbuf_release(&y);
	return ok;
}

bool fmt_text(struct diags *d, struct srcfile *f, struct strbuf *out)
{
	struct arena *a = arena_new();
	struct parsed p = { 0 };
	p.file = f;
	bool ok = parse_model_file_tokens(a, a, d, f, &p.model, &p.toks);
	if (ok) {
		size_t start = out->len;
		struct fmt_input in = { f->text, f->len, &p.toks, &p.model };
		ok = fmt_model(out, &in) &&
		     keeps_meaning(a, &p, strbuf_str(out) + start, out->len - start);
		if (!ok) {
			strbuf_setlen(out, start);
			diag_error(d, SPAN_NONE,
				   "%s: formatting would change what the file means, so it "
				   "is left as it is (a bug in c7gen fmt; please report it "
				   "with the file)", f->path);
		}
	}
	arena_free(a);
	return ok;
}
