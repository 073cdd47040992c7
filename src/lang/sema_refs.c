/*
 * Semantic analysis, part two: what needs every table to be known —
 * foreign-key targets and rename hints.
 */
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "lang/sema_internal.h"
#include "lang/suggest.h"

static void no_such_table(struct sema *s, const struct ast_qname *q)
{
	struct suggest sg;
	suggest_init(&sg, q->name);
	for (size_t i = 0; i < s->tables.len; i++)
		suggest_consider(&sg, ((struct ir_table *)s->tables.items[i])->name);
	const char *best = suggest_result(&sg);
	const char *shown = q->schema ? arena_printf(s->a, "%s.%s", q->schema, q->name)
				      : q->name;
	if (best)
		diag_error(s->d, q->span, "table '%s' does not exist (did you mean '%s'?)",
			   shown, best);
	else
		diag_error(s->d, q->span, "table '%s' does not exist", shown);
}

static bool same_set(const struct ir_names *a, const struct ir_names *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++) {
		bool found = false;
		for (size_t k = 0; k < b->len && !found; k++)
			found = strcmp(a->items[i], b->items[k]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* PostgreSQL needs a primary key, unique constraint or plain unique index
 * on exactly the referenced columns. */
static bool is_unique_key(const struct ir_table *t, const struct ir_names *cols)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if ((c->kind == IR_CON_PRIMARY || c->kind == IR_CON_UNIQUE) &&
		    same_set(&c->cols, cols))
			return true;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		const struct ir_index *ix = t->indexes.items[i];
		if (!ix->unique || ix->where.src || ix->nelems != cols->len)
			continue;
		bool plain = true;
		for (size_t k = 0; k < ix->nelems && plain; k++)
			plain = ix->elems[k].column != NULL;
		if (!plain)
			continue;
		bool all = true;
		for (size_t k = 0; k < ix->nelems && all; k++) {
			bool found = false;
			for (size_t j = 0; j < cols->len && !found; j++)
				found = strcmp(ix->elems[k].column, cols->items[j]) == 0;
			all = found;
		}
		if (all)
			return true;
	}
	return false;
}

static void join_names(struct strbuf *sb, const struct ir_names *n)
{
	for (size_t i = 0; i < n->len; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, n->items[i]);
	}
}

/* PostgreSQL accepts a foreign key between types it can compare with an
 * index-backed equality: within the integers, within the string types, and
 * between equal types up to modifiers.  uuid referencing integer is the
 * mistake worth reporting. */
static int type_family(const char *base)
{
	static const char *const ints[] = { "smallint", "integer", "bigint" };
	static const char *const strings[] = { "text", "character varying",
					       "character", "bpchar" };
	for (size_t i = 0; i < 3; i++)
		if (strcmp(base, ints[i]) == 0)
			return 1;
	for (size_t i = 0; i < 4; i++)
		if (strcmp(base, strings[i]) == 0)
			return 2;
	return 0;
}

static const char *base_type(struct sema *s, const char *canon)
{
	const char *paren = strchr(canon, '(');
	if (!paren)
		return canon;
	const char *close = strchr(paren, ')');
	return arena_printf(s->a, "%.*s%s", (int)(paren - canon), canon,
			    close ? close + 1 : "");
}

static void check_fk_types(struct sema *s, const struct pending_fk *p,
			   const struct ir_table *target)
{
	const struct ir_constraint *con = p->con;
	for (size_t i = 0; i < con->cols.len && i < con->ref_cols.len; i++) {
		const struct ir_column *from = ir_column_find(p->table, con->cols.items[i]);
		const struct ir_column *to = ir_column_find(target, con->ref_cols.items[i]);
		if (!from || !to)
			continue;
		const char *a = base_type(s, from->type.canon), *b = base_type(s, to->type.canon);
		if (strcmp(a, b) == 0 || (type_family(a) && type_family(a) == type_family(b)))
			continue;
		diag_error(s->d, con->span,
			   "foreign key column '%s' is %s, but '%s.%s' is %s",
			   from->name, from->type.canon,
			   sema_display(s, target->schema, target->name), to->name,
			   to->type.canon);
	}
}

static bool fk_ref_columns(struct sema *s, const struct pending_fk *p,
			   const struct ir_table *target)
{
	struct ir_constraint *con = p->con;
	/* A table recovered from a syntax error may lack the very columns
	 * referenced: no second error for the first one. */
	const struct ast_table *decl = hmap_get(&s->table_decls, target->key);
	if (decl && decl->broken)
		return false;
	const char *tn = sema_display(s, target->schema, target->name);
	if (p->ref->cols.len == 0) {
		const struct ir_constraint *pk = ir_table_pkey(target);
		if (!pk) {
			diag_error(s->d, p->ref->table.span,
				   "table '%s' has no primary key; name the referenced column",
				   tn);
			return false;
		}
		con->ref_cols = pk->cols;
	} else {
		con->ref_cols.items = arena_array(s->a, p->ref->cols.len, sizeof(char *));
		con->ref_cols.len = 0;
		bool ok = true;
		for (size_t i = 0; i < p->ref->cols.len; i++) {
			const struct ast_name *n = p->ref->cols.items[i];
			if (!ir_column_find(target, n->text)) {
				diag_error(s->d, n->span, "column '%s' does not exist in table '%s'",
					   n->text, tn);
				ok = false;
			}
			con->ref_cols.items[con->ref_cols.len++] = n->text;
		}
		if (!ok)
			return false;
	}
	if (con->ref_cols.len != con->cols.len) {
		diag_error(s->d, p->ref->span,
			   "foreign key has %zu column%s but references %zu in '%s'",
			   con->cols.len, con->cols.len == 1 ? "" : "s",
			   con->ref_cols.len, tn);
		return false;
	}
	if (!is_unique_key(target, &con->ref_cols)) {
		struct strbuf sb = STRBUF_INIT;
		join_names(&sb, &con->ref_cols);
		diag_error(s->d, p->ref->span,
			   "'%s(%s)' is not a primary key or unique, so it cannot be referenced",
			   tn, strbuf_str(&sb));
		strbuf_release(&sb);
		return false;
	}
	return true;
}

void sema_resolve_foreign_keys(struct sema *s)
{
	for (size_t i = 0; i < s->pending.len; i++) {
		const struct pending_fk *p = s->pending.items[i];
		const struct ast_fkref *ref = p->ref;
		struct ir_table *target = sema_lookup_table(s, ref->table.schema,
							    ref->table.name,
							    p->table->schema);
		struct ir_constraint *con = p->con;
		if (!target) {
			no_such_table(s, &ref->table);
			/* Kept as written, so an IR with errors has no holes. */
			con->ref_schema = ref->table.schema ? ref->table.schema
							    : p->table->schema;
			con->ref_table = ref->table.name;
			con->on_delete = con->on_update = IR_FK_NO_ACTION;
			con->match = 's';
			continue;
		}
		con->ref_schema = target->schema;
		con->ref_table = target->name;
		con->on_delete = ref->on_delete ? ref->on_delete : IR_FK_NO_ACTION;
		con->on_update = ref->on_update ? ref->on_update : IR_FK_NO_ACTION;
		con->match = ref->match ? ref->match : 's';
		if (con->cols.len == 0)
			continue; /* the column list already failed */
		if (fk_ref_columns(s, p, target))
			check_fk_types(s, p, target);
	}
}

void sema_check_renames(struct sema *s)
{
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		if (t->renamed_from) {
			const struct ir_table *old =
				ir_table_find(s->ir, t->renamed_from_schema, t->renamed_from);
			if (old && old != t) {
				struct diag *g = diag_error(
					s->d, t->renamed_span,
					"table '%s' is renamed from '%s', but '%s' still exists",
					sema_display(s, t->schema, t->name),
					sema_display(s, old->schema, old->name),
					sema_display(s, old->schema, old->name));
				diag_note(s->d, g, old->span, "'%s' is declared here",
					  old->name);
			}
		}
		for (size_t k = 0; k < t->columns.len; k++) {
			const struct ir_column *c = t->columns.items[k];
			if (!c->renamed_from)
				continue;
			const struct ir_column *old = ir_column_find(t, c->renamed_from);
			if (old && old != c) {
				struct diag *g = diag_error(
					s->d, c->renamed_span,
					"column '%s' is renamed from '%s', but '%s' still exists",
					c->name, c->renamed_from, c->renamed_from);
				diag_note(s->d, g, old->span, "'%s' is declared here",
					  old->name);
			}
		}
	}
}
