#include "lsp/project.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/json.h"
#include "base/xalloc.h"
#include "lang/lang.h"
#include "lang/parse.h"

struct lsp_project *lsp_project_new(const char *root)
{
	struct lsp_project *p = xcalloc(1, sizeof(*p));
	p->root = root ? xstrdup(root) : NULL;
	return p;
}

static void doc_free(struct lsp_doc *d)
{
	free(d->path);
	free(d->uri);
	free(d->published);
	strbuf_release(&d->text);
	lsp_lines_release(&d->lines);
	arena_free(d->arena);
	free(d);
}

void lsp_project_free(struct lsp_project *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ndocs; i++)
		doc_free(p->docs[i]);
	free(p->docs);
	free(p->root);
	arena_free(p->arena);
	free(p);
}

void lsp_project_load(struct lsp_project *p)
{
	if (!p->root)
		return;
	struct arena *a = arena_new();
	struct vec paths = { 0 };
	/* A missing models directory is a project with no files yet. */
	if (fs_list(a, p->root, ".c7", &paths) == 0) {
		for (size_t i = 0; i < paths.len; i++) {
			char *text;
			size_t len;
			if (fs_read(a, paths.items[i], &text, &len) == 0)
				lsp_project_add(p, paths.items[i], NULL, text, len);
		}
	}
	arena_free(a);
}

/* Index of the first document whose path is not before `path`. */
static size_t doc_slot(const struct lsp_project *p, const char *path)
{
	size_t lo = 0, hi = p->ndocs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(p->docs[mid]->path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct lsp_doc *lsp_project_doc(const struct lsp_project *p, const char *path)
{
	size_t i = doc_slot(p, path);
	return i < p->ndocs && strcmp(p->docs[i]->path, path) == 0 ? p->docs[i] : NULL;
}

struct lsp_doc *lsp_project_add(struct lsp_project *p, const char *path,
				const char *uri, const char *text, size_t len)
{
	struct lsp_doc *d = xcalloc(1, sizeof(*d));
	d->path = xstrdup(path);
	d->uri = uri ? xstrdup(uri) : lsp_path_to_uri(path);
	if (p->ndocs == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->docs = xrealloc(p->docs, size_mul(p->cap, sizeof(*p->docs)));
	}
	size_t at = doc_slot(p, path);
	memmove(p->docs + at + 1, p->docs + at, (p->ndocs - at) * sizeof(*p->docs));
	p->docs[at] = d;
	p->ndocs++;
	lsp_doc_set_text(d, text, len);
	return d;
}

void lsp_project_remove(struct lsp_project *p, struct lsp_doc *d)
{
	for (size_t i = 0; i < p->ndocs; i++) {
		if (p->docs[i] != d)
			continue;
		memmove(p->docs + i, p->docs + i + 1, (p->ndocs - i - 1) * sizeof(*p->docs));
		p->ndocs--;
		doc_free(d);
		return;
	}
}

void lsp_doc_set_text(struct lsp_doc *d, const char *text, size_t len)
{
	if (text != d->text.buf) {
		strbuf_reset(&d->text);
		strbuf_add(&d->text, text, len);
	}
	arena_free(d->arena);
	lsp_lines_release(&d->lines);
	d->arena = arena_new();
	/* The parse keeps pointers into the text: it gets its own copy. */
	const char *copy = arena_strndup(d->arena, strbuf_str(&d->text), d->text.len);
	d->file = srcfile_new(d->arena, d->path, copy, d->text.len);
	memset(&d->model, 0, sizeof(d->model));
	memset(&d->tokens, 0, sizeof(d->tokens));
	memset(&d->occs, 0, sizeof(d->occs));
	diags_init(&d->diags, d->arena);
	d->diags.limit = SIZE_MAX;
	d->parsed_ok = parse_model_file_tokens(d->arena, d->arena, &d->diags, d->file,
					       &d->model, &d->tokens);
	lsp_lines_build(&d->lines, copy, d->text.len);
}

void lsp_project_analyze(struct lsp_project *p)
{
	arena_free(p->arena);
	p->arena = arena_new();
	struct ast_model all = { 0 };
	p->syntax_errors = false;
	for (size_t i = 0; i < p->ndocs; i++) {
		ast_model_merge(p->arena, &all, &p->docs[i]->model);
		p->syntax_errors |= !p->docs[i]->parsed_ok;
	}
	diags_init(&p->diags, p->arena);
	p->diags.limit = SIZE_MAX;
	/* With syntax errors the trees are partial; the IR still serves
	 * navigation, but its errors are not shown (see lsp_doc_diagnostics). */
	p->ir = lang_analyze_partial(p->arena, &p->diags, &all);
	p->indexed = false;
}

json_t *lsp_range(const struct lsp_doc *d, enum lsp_encoding enc, size_t start,
		  size_t end)
{
	const char *text = d->file->text;
	size_t len = d->file->len;
	struct lsp_pos a = lsp_pos_of(text, len, &d->lines, enc, start);
	struct lsp_pos b = lsp_pos_of(text, len, &d->lines, enc, end);
	json_t *r = json_obj_new();
	json_t *s = json_obj_new(), *e = json_obj_new();
	json_obj_put(s, "line", json_int_new(a.line));
	json_obj_put(s, "character", json_int_new(a.character));
	json_obj_put(e, "line", json_int_new(b.line));
	json_obj_put(e, "character", json_int_new(b.character));
	json_obj_put(r, "start", s);
	json_obj_put(r, "end", e);
	return r;
}

json_t *lsp_location(const struct lsp_doc *d, enum lsp_encoding enc,
		     size_t start, size_t end)
{
	json_t *l = json_obj_new();
	json_obj_put(l, "uri", json_str_new(d->uri));
	json_obj_put(l, "range", lsp_range(d, enc, start, end));
	return l;
}

static int diag_position(const void *x, const void *y)
{
	const struct diag *a = x, *b = y;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The CLI's message, notes without a place and the hint included; notes
 * with a place become related information. */
static json_t *diagnostic(const struct lsp_project *p, const struct lsp_doc *d,
			  const struct diag *g, enum lsp_encoding enc)
{
	json_t *o = json_obj_new();
	json_obj_put(o, "range", lsp_range(d, enc, g->span.start, g->span.end));
	json_obj_put(o, "severity", json_int_new(g->severity == DIAG_ERROR ? 1
					       : g->severity == DIAG_WARNING ? 2 : 3));
	json_obj_put(o, "source", json_str_new("c7gen"));
	struct strbuf msg = STRBUF_INIT;
	strbuf_addstr(&msg, g->msg);
	json_t *related = json_arr_new();
	for (size_t i = 0; i < g->notes.len; i++) {
		const struct diag_note *n = g->notes.items[i];
		const struct lsp_doc *nd = n->span.file ? lsp_project_doc(p, n->span.file->path) : NULL;
		if (!nd || nd->file != n->span.file) {
			strbuf_addf(&msg, "\nnote: %s", n->msg);
			continue;
		}
		json_t *r = json_obj_new();
		json_obj_put(r, "location", lsp_location(nd, enc, n->span.start, n->span.end));
		json_obj_put(r, "message", json_str_new(n->msg));
		json_arr_put(related, r);
	}
	if (g->hint)
		strbuf_addf(&msg, "\nhint: %s", g->hint);
	json_obj_put(o, "message", json_str_new(strbuf_str(&msg)));
	strbuf_release(&msg);
	if (json_array_size(related))
		json_obj_put(o, "relatedInformation", related);
	else
		json_decref(related);
	return o;
}

json_t *lsp_doc_diagnostics(const struct lsp_project *p,
			    const struct lsp_doc *d, enum lsp_encoding enc)
{
	struct arena *a = arena_new();
	struct vec mine = { 0 };
	for (size_t i = 0; i < d->diags.list.len; i++)
		vec_push(a, &mine, d->diags.list.items[i]);
	/* A message with no place in any file goes to the first file. */
	bool first = p->ndocs && p->docs[0] == d;
	for (size_t i = 0; !p->syntax_errors && i < p->diags.list.len; i++) {
		struct diag *g = p->diags.list.items[i];
		if (g->span.file == d->file || (!g->span.file && first))
			vec_push(a, &mine, g);
	}
	vec_sort(a, &mine, diag_position);
	json_t *list = json_arr_new();
	for (size_t i = 0; i < mine.len; i++)
		json_arr_put(list, diagnostic(p, d, mine.items[i], enc));
	arena_free(a);
	return list;
}
