#include "lsp/index.h"

#include <string.h>

#include "base/arena.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "lang/lang.h"
#include "lsp/project.h"

struct indexer {
	struct lsp_project *p;
	struct lsp_doc *doc;
};

static void add(struct indexer *x, struct span sp, enum lsp_sym kind, bool decl,
		const void *obj, const struct ir_table *t)
{
	struct lsp_occ *o = arena_alloc(x->p->arena, sizeof(*o));
	o->doc = x->doc;
	o->start = sp.start;
	o->end = sp.end;
	o->kind = kind;
	o->decl = decl;
	o->obj = obj;
	o->table = t;
	vec_push(x->p->arena, &x->doc->occs, o);
}

/* The IR object a declaration made, unless it lost to an earlier one of
 * the same name (then it has no occurrences: it is an error). */
static bool made_here(struct span ir_span, struct span decl)
{
	return ir_span.file == decl.file && ir_span.start == decl.start;
}

static void column_ref(struct indexer *x, const struct ir_table *t,
		       const struct ast_name *n)
{
	const struct ir_column *c = ir_column_find(t, n->text);
	if (c)
		add(x, n->span, LSP_SYM_COLUMN, false, c, t);
}

static void column_refs(struct indexer *x, const struct ir_table *t,
			const struct vec *names)
{
	for (size_t i = 0; i < names->len; i++)
		column_ref(x, t, names->items[i]);
}

static void reference(struct indexer *x, const struct ir_table *from,
		      const struct ast_fkref *r)
{
	const struct ir_table *t = lang_find_table(x->p->ir, r->table.schema,
						   r->table.name, from->schema);
	if (!t)
		return;
	add(x, r->table.span, LSP_SYM_TABLE, false, t, t);
	column_refs(x, t, &r->cols);
}

static void column(struct indexer *x, const struct ir_table *t,
		   const struct ast_column *ac)
{
	const struct ir_column *c = ir_column_find(t, ac->name.text);
	if (!c || !made_here(c->span, ac->name.span))
		return;
	add(x, ac->name.span, LSP_SYM_COLUMN, true, c, t);
	const struct ir_enum *e = c->type.user_schema
		? ir_enum_find(x->p->ir, c->type.user_schema, c->type.user_name) : NULL;
	if (e)
		add(x, ac->type.name_span, LSP_SYM_ENUM, false, e, NULL);
	for (size_t i = 0; i < ac->attrs.len; i++) {
		const struct ast_attr *at = ac->attrs.items[i];
		if (at->kind == AST_ATTR_REFERENCES)
			reference(x, t, at->ref);
	}
}

static void item(struct indexer *x, const struct ir_table *t,
		 const struct ast_item *it)
{
	switch (it->kind) {
	case AST_ITEM_COLUMN:
		column(x, t, it->column);
		return;
	case AST_ITEM_PRIMARY_KEY:
	case AST_ITEM_UNIQUE:
		column_refs(x, t, &it->cols);
		break;
	case AST_ITEM_FOREIGN_KEY:
		column_refs(x, t, &it->cols);
		reference(x, t, it->ref);
		break;
	case AST_ITEM_INDEX:
		for (size_t i = 0; i < it->elems.len; i++) {
			const struct ast_index_elem *e = it->elems.items[i];
			if (e->column)
				column_ref(x, t, e->column);
		}
		break;
	default:
		break;
	}
	if (it->mods)
		column_refs(x, t, &it->mods->include);
}

static const char *schema_of(const struct ast_qname *q)
{
	return q->schema ? q->schema : SQL_DEFAULT_SCHEMA;
}

static void index_doc(struct indexer *x)
{
	const struct ast_model *m = &x->doc->model;
	const struct ir_schema *ir = x->p->ir;
	for (size_t i = 0; i < m->enums.len; i++) {
		const struct ast_enum *e = m->enums.items[i];
		const struct ir_enum *ie = ir_enum_find(ir, schema_of(&e->name), e->name.name);
		if (ie && made_here(ie->span, e->name.span))
			add(x, e->name.span, LSP_SYM_ENUM, true, ie, NULL);
	}
	for (size_t i = 0; i < m->sequences.len; i++) {
		const struct ast_sequence *q = m->sequences.items[i];
		const struct ir_sequence *iq = ir_sequence_find(ir, schema_of(&q->name),
								q->name.name);
		if (iq && made_here(iq->span, q->name.span))
			add(x, q->name.span, LSP_SYM_SEQUENCE, true, iq, NULL);
	}
	for (size_t i = 0; i < m->tables.len; i++) {
		const struct ast_table *at = m->tables.items[i];
		const struct ir_table *t = ir_table_find(ir, schema_of(&at->name), at->name.name);
		if (!t || !made_here(t->span, at->name.span))
			continue;
		add(x, at->name.span, LSP_SYM_TABLE, true, t, t);
		for (size_t k = 0; k < at->items.len; k++)
			item(x, t, at->items.items[k]);
	}
}

static int by_start(const void *a, const void *b)
{
	const struct lsp_occ *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

void lsp_index_build(struct lsp_project *p)
{
	if (p->indexed)
		return;
	for (size_t i = 0; i < p->ndocs; i++) {
		struct indexer x = { p, p->docs[i] };
		memset(&x.doc->occs, 0, sizeof(x.doc->occs));
		index_doc(&x);
		vec_sort(p->arena, &x.doc->occs, by_start);
	}
	p->indexed = true;
}

const struct lsp_occ *lsp_occ_decl(const struct lsp_project *p,
				   const struct lsp_occ *o)
{
	if (o->decl)
		return o;
	for (size_t i = 0; i < p->ndocs; i++) {
		const struct vec *v = &p->docs[i]->occs;
		for (size_t k = 0; k < v->len; k++) {
			const struct lsp_occ *x = v->items[k];
			if (x->decl && x->obj == o->obj)
				return x;
		}
	}
	return NULL;
}

const struct lsp_occ *lsp_occ_at(const struct lsp_doc *d, size_t offset)
{
	size_t lo = 0, hi = d->occs.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (((const struct lsp_occ *)d->occs.items[mid])->start <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	const struct lsp_occ *o = d->occs.items[lo - 1];
	return offset <= o->end ? o : NULL;
}
