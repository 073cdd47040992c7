#include "lsp/symbols.h"

#include "base/arena.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "lang/parse.h"
#include "lsp/project.h"

/* LSP's SymbolKind numbers. */
enum { KIND_CLASS = 5, KIND_FIELD = 8, KIND_ENUM = 10, KIND_VARIABLE = 13,
       KIND_ENUM_MEMBER = 22 };

static json_t *symbol(const struct lsp_doc *d, enum lsp_encoding enc,
		      const char *name, const char *detail, int kind,
		      struct span range, struct span selection)
{
	json_t *s = json_obj_new();
	json_obj_put(s, "name", json_str_new(name));
	if (detail)
		json_obj_put(s, "detail", json_str_new(detail));
	json_obj_put(s, "kind", json_int_new(kind));
	json_obj_put(s, "range", lsp_range(d, enc, range.start, range.end));
	json_obj_put(s, "selectionRange", lsp_range(d, enc, selection.start, selection.end));
	return s;
}

static const char *qname(struct arena *a, const struct ast_qname *q)
{
	return q->schema ? arena_printf(a, "%s.%s", q->schema, q->name) : q->name;
}

static json_t *table(const struct lsp_doc *d, enum lsp_encoding enc,
		     struct arena *a, const struct ast_table *t)
{
	json_t *s = symbol(d, enc, qname(a, &t->name), NULL, KIND_CLASS, t->span,
			   t->name.span);
	json_t *children = json_arr_new();
	for (size_t i = 0; i < t->items.len; i++) {
		const struct ast_item *it = t->items.items[i];
		if (it->kind != AST_ITEM_COLUMN)
			continue;
		const struct ast_column *c = it->column;
		/* The type as written, blanks collapsed. */
		const char *type = expr_clean(a, d->file->text + c->type.span.start,
					      c->type.span.end - c->type.span.start);
		json_arr_put(children, symbol(d, enc, c->name.text, type, KIND_FIELD,
					      it->span, c->name.span));
	}
	json_obj_put(s, "children", children);
	return s;
}

static json_t *enumeration(const struct lsp_doc *d, enum lsp_encoding enc,
			   struct arena *a, const struct ast_enum *e)
{
	json_t *s = symbol(d, enc, qname(a, &e->name), NULL, KIND_ENUM, e->span,
			   e->name.span);
	json_t *children = json_arr_new();
	for (size_t i = 0; i < e->labels.len; i++) {
		const struct ast_label *l = e->labels.items[i];
		json_arr_put(children, symbol(d, enc, l->text, NULL, KIND_ENUM_MEMBER,
					      l->span, l->span));
	}
	json_obj_put(s, "children", children);
	return s;
}

struct entry {
	size_t start;
	json_t *symbol;
};

static int by_start(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

json_t *lsp_symbols(const struct lsp_doc *d, enum lsp_encoding enc)
{
	struct arena *a = arena_new();
	struct vec all = { 0 };
	const struct ast_model *m = &d->model;
	for (size_t i = 0; i < m->tables.len; i++) {
		const struct ast_table *t = m->tables.items[i];
		struct entry *e = arena_alloc(a, sizeof(*e));
		e->start = t->span.start;
		e->symbol = table(d, enc, a, t);
		vec_push(a, &all, e);
	}
	for (size_t i = 0; i < m->enums.len; i++) {
		const struct ast_enum *x = m->enums.items[i];
		struct entry *e = arena_alloc(a, sizeof(*e));
		e->start = x->span.start;
		e->symbol = enumeration(d, enc, a, x);
		vec_push(a, &all, e);
	}
	for (size_t i = 0; i < m->sequences.len; i++) {
		const struct ast_sequence *q = m->sequences.items[i];
		struct entry *e = arena_alloc(a, sizeof(*e));
		e->start = q->span.start;
		e->symbol = symbol(d, enc, qname(a, &q->name), NULL, KIND_VARIABLE, q->span,
				   q->name.span);
		vec_push(a, &all, e);
	}
	vec_sort(a, &all, by_start);
	json_t *list = json_arr_new();
	for (size_t i = 0; i < all.len; i++)
		json_arr_put(list, ((struct entry *)all.items[i])->symbol);
	arena_free(a);
	return list;
}
