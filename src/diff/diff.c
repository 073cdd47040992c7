/*
 * The differ: matches objects of the current and the desired schema and
 * records a change for every difference.  Tables, columns and enums match
 * by name (or by a rename hint); constraints and indexes by definition
 * first and by name second, so an identical object under another name is
 * never dropped and re-created.
 */
#include "diff/diff.h"

#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/strbuf.h"
#include "diff/diff_internal.h"
#include "ir/sqlname.h"

struct change *add_change(struct differ *df, enum change_kind kind,
				 enum change_phase phase,
				 const struct ir_table *tb,
				 const struct ir_table *ta,
				 const void *before, const void *after)
{
	struct change *c = arena_alloc(df->a, sizeof(*c));
	c->kind = kind;
	c->phase = phase;
	c->tbefore = tb;
	c->tafter = ta;
	c->before = before;
	c->after = after;
	c->seq = df->cl->changes.len;
	vec_push(df->a, &df->cl->changes, c);
	return c;
}

static void keep(struct differ *df, struct vec *v, const struct ir_table *ct,
		 const struct ir_table *wt, const void *c, const void *w)
{
	struct kept *k = arena_alloc(df->a, sizeof(*k));
	*k = (struct kept){ ct, wt, c, w };
	vec_push(df->a, v, k);
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* ---- schemas and enums ---- */

static void diff_namespaces(struct differ *df)
{
	for (size_t i = 0; i < df->want->namespaces.len; i++) {
		const char *ns = df->want->namespaces.items[i];
		if (!ir_namespace_has(df->cur, ns)) {
			struct change *c = add_change(df, CHANGE_SCHEMA,
						      PHASE_SCHEMA_CREATE, NULL,
						      NULL, NULL, NULL);
			c->safter = ns;
		}
	}
	for (size_t i = 0; i < df->cur->namespaces.len; i++) {
		const char *ns = df->cur->namespaces.items[i];
		if (!ir_namespace_has(df->want, ns) &&
		    strcmp(ns, SQL_DEFAULT_SCHEMA) != 0 &&
		    !hmap_get(&df->cur->occupied, ns)) {
			struct change *c = add_change(df, CHANGE_SCHEMA,
						      PHASE_SCHEMA_DROP, NULL,
						      NULL, NULL, NULL);
			c->sbefore = ns;
		}
	}
}

static bool labels_equal(const struct ir_enum *a, const struct ir_enum *b)
{
	return ir_names_equal(&a->labels, &b->labels);
}

static const char *tkey(struct differ *df, const struct ir_table *t);

/* Every current column of the enum's type, with what it should become. */
static void collect_enum_uses(struct differ *df, struct change *ch,
			      const struct ir_enum *e)
{
	for (size_t i = 0; i < df->cur->tables.len; i++) {
		const struct ir_table *t = df->cur->tables.items[i];
		const struct ir_table *w = hmap_get(&df->table_match, tkey(df, t));
		/* A table being dropped goes before the type changes and comes
		 * back after it changes back. */
		if (!w)
			continue;
		for (size_t k = 0; k < t->columns.len; k++) {
			const struct ir_column *c = t->columns.items[k];
			if (!str_eq(c->type.user_schema, e->schema) ||
			    !str_eq(c->type.user_name, e->name))
				continue;
			struct enum_use *u = arena_alloc(df->a, sizeof(*u));
			u->table = t;
			u->before = c;
			u->after = ir_column_find(w, diff_new_column_name(df, t, c->name));
			vec_push(df->a, &ch->enum_uses, u);
		}
	}
}

static void diff_enums(struct differ *df)
{
	for (size_t i = 0; i < df->want->enums.len; i++) {
		const struct ir_enum *w = df->want->enums.items[i];
		const struct ir_enum *c = ir_enum_find(df->cur, w->schema, w->name);
		if (!c) {
			add_change(df, CHANGE_ENUM, PHASE_ENUM_CREATE, NULL, NULL,
				   NULL, w);
		} else if (!labels_equal(c, w)) {
			struct change *ch = add_change(df, CHANGE_ENUM_LABELS,
						       PHASE_ENUM_VALUE, NULL, NULL,
						       c, w);
			collect_enum_uses(df, ch, c);
			hmap_put(&df->enum_changes, c->key, ch);
		}
	}
	for (size_t i = 0; i < df->cur->enums.len; i++) {
		const struct ir_enum *c = df->cur->enums.items[i];
		if (!ir_enum_find(df->want, c->schema, c->name))
			add_change(df, CHANGE_ENUM, PHASE_ENUM_DROP, NULL, NULL, c,
				   NULL);
	}
}

static bool sequence_differs(const struct ir_sequence *a, const struct ir_sequence *b)
{
	return !ir_sequence_equal(a, b);
}

/* The serial column of `s` that owns sequence schema.name, if any. */
static const struct ir_column *serial_owner(const struct ir_schema *s,
					    const char *schema, const char *name,
					    const struct ir_table **table)
{
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		if (strcmp(t->schema, schema) != 0)
			continue;
		for (size_t k = 0; k < t->columns.len; k++) {
			const struct ir_column *c = t->columns.items[k];
			if (c->type.serial && c->seq_name && strcmp(c->seq_name, name) == 0) {
				*table = t;
				return c;
			}
		}
	}
	return NULL;
}

/* A serial column's sequence as CREATE TABLE made it. */
static const struct ir_sequence *serial_sequence(struct differ *df,
						 const struct ir_table *t,
						 const struct ir_column *c)
{
	struct ir_sequence *q = arena_alloc(df->a, sizeof(*q));
	q->schema = t->schema;
	q->name = c->seq_name;
	q->key = ir_key(df->a, t->schema, c->seq_name);
	q->type = c->type.serial == 's' ? "smallint"
		  : c->type.serial == 'i' ? "integer" : "bigint";
	ir_sequence_defaults(q, false, false, false, false, false);
	return q;
}

/* A serial column that becomes a plain one with a standalone sequence of
 * the same name (or the reverse) keeps its sequence, and its position:
 * ALTER SEQUENCE ... OWNED BY, never a drop and a create that would
 * collide on the name and restart the numbering.  `from` is the schema
 * where the column is serial. */
static bool hand_over(struct differ *df, const struct ir_schema *from,
		      const struct ir_schema *to, const struct ir_sequence *q,
		      bool up)
{
	const struct ir_table *st;
	const struct ir_column *sc = serial_owner(from, q->schema, q->name, &st);
	const struct ir_table *pt = sc ? ir_table_find(to, st->schema, st->name) : NULL;
	const struct ir_column *pc = pt ? ir_column_find(pt, sc->name) : NULL;
	if (!pc || pc->type.serial)
		return false;
	const struct ir_sequence *owned = serial_sequence(df, st, sc);
	if (sequence_differs(owned, q))
		add_change(df, CHANGE_SEQUENCE_ALTER, PHASE_COLUMN_ALTER, NULL, NULL,
			   up ? owned : q, up ? q : owned);
	hmap_put(&df->handover, q->key, (void *)q);
	return true;
}

static void diff_sequences(struct differ *df)
{
	for (size_t i = 0; i < df->want->sequences.len; i++) {
		const struct ir_sequence *w = df->want->sequences.items[i];
		const struct ir_sequence *c = ir_sequence_find(df->cur, w->schema, w->name);
		if (!c && !hand_over(df, df->cur, df->want, w, true))
			add_change(df, CHANGE_SEQUENCE, PHASE_SEQUENCE_CREATE, NULL, NULL,
				   NULL, w);
		else if (c && sequence_differs(c, w))
			add_change(df, CHANGE_SEQUENCE_ALTER, PHASE_COLUMN_ALTER, NULL, NULL,
				   c, w);
	}
	for (size_t i = 0; i < df->cur->sequences.len; i++) {
		const struct ir_sequence *c = df->cur->sequences.items[i];
		if (!ir_sequence_find(df->want, c->schema, c->name) &&
		    !hand_over(df, df->want, df->cur, c, false))
			add_change(df, CHANGE_SEQUENCE, PHASE_SEQUENCE_DROP, NULL, NULL, c,
				   NULL);
	}
}

static bool handed_over(struct differ *df, const struct ir_table *t,
			const struct ir_column *c)
{
	return c->type.serial && c->seq_name &&
	       ir_key_get(&df->handover, df->a, t->schema, c->seq_name);
}

/* Whatever names an extension's members (an operator class, a column type)
 * names them in the extension's schema, so the move must come first in
 * both directions: once early for the upgrade, once at the very end of the
 * plan, which the downgrade runs first (right after re-creating schemas). */
static void move_extension(struct differ *df, const struct ir_extension *c,
			   const struct ir_extension *w)
{
	struct change *up = add_change(df, CHANGE_EXTENSION_SCHEMA,
				       PHASE_EXTENSION_CREATE, NULL, NULL, c, w);
	up->implied_down = true;
	struct change *down = add_change(df, CHANGE_EXTENSION_SCHEMA,
					 PHASE_EXTENSION_MOVE_BACK, NULL, NULL, c, w);
	down->implied_up = true;
}

/* Extensions the models leave out are dropped only from the schemas c7gen
 * manages: one installed elsewhere (by a DBA, for another application) is
 * not the models' to remove. */
static void diff_extensions(struct differ *df)
{
	for (size_t i = 0; i < df->want->extensions.len; i++) {
		const struct ir_extension *w = df->want->extensions.items[i];
		const struct ir_extension *c = ir_extension_find(df->cur, w->name);
		if (!c)
			add_change(df, CHANGE_EXTENSION, PHASE_EXTENSION_CREATE, NULL, NULL,
				   NULL, w);
		else if (w->schema && strcmp(w->schema, c->schema) != 0)
			move_extension(df, c, w);
	}
	for (size_t i = 0; i < df->cur->extensions.len; i++) {
		const struct ir_extension *c = df->cur->extensions.items[i];
		if (!ir_extension_find(df->want, c->name) &&
		    ir_namespace_has(df->cur, c->schema))
			add_change(df, CHANGE_EXTENSION, PHASE_EXTENSION_DROP, NULL, NULL, c,
				   NULL);
	}
}

/* ---- tables: matching ---- */

static const char *tkey(struct differ *df, const struct ir_table *t)
{
	(void)df;
	return t->key;
}

static void match_tables(struct differ *df)
{
	for (size_t i = 0; i < df->want->tables.len; i++) {
		const struct ir_table *w = df->want->tables.items[i];
		const struct ir_table *c = ir_table_find(df->cur, w->schema, w->name);
		if (c) {
			hmap_put(&df->table_match, tkey(df, c), (void *)w);
			hmap_put(&df->table_match_back, tkey(df, w), (void *)c);
		}
	}
	/* Rename hints only apply when the old table exists and is free and
	 * the new name is not taken; a stale hint is ignored. */
	for (size_t i = 0; i < df->want->tables.len; i++) {
		const struct ir_table *w = df->want->tables.items[i];
		if (!w->renamed_from || hmap_get(&df->table_match_back, tkey(df, w)))
			continue;
		const struct ir_table *c =
			ir_table_find(df->cur, w->renamed_from_schema, w->renamed_from);
		if (!c || hmap_get(&df->table_match, tkey(df, c)))
			continue;
		hmap_put(&df->table_match, tkey(df, c), (void *)w);
		hmap_put(&df->table_match_back, tkey(df, w), (void *)c);
		add_change(df, CHANGE_TABLE_RENAME, PHASE_TABLE_RENAME, c, w, c, w);
	}
}

const char *diff_new_column_name(struct differ *df, const struct ir_table *ct,
				 const char *col)
{
	const struct ir_table *wt = hmap_get(&df->table_match, tkey(df, ct));
	if (!wt)
		return col;
	if (ir_column_find(wt, col))
		return col;
	for (size_t i = 0; i < wt->columns.len; i++) {
		const struct ir_column *w = wt->columns.items[i];
		if (w->renamed_from && strcmp(w->renamed_from, col) == 0 &&
		    !ir_column_find(ct, w->name))
			return w->name;
	}
	return col;
}

/* ---- columns ---- */

static bool column_differs(const struct ir_column *c, const struct ir_column *w,
			   bool ignore_default)
{
	return !str_eq(c->type.canon, w->type.canon) ||
	       c->type.serial != w->type.serial || c->seq_width != w->seq_width ||
	       c->not_null != w->not_null ||
	       (!ignore_default && !ir_expr_equal(&c->def, &w->def)) ||
	       c->identity != w->identity ||
	       (c->identity && w->identity &&
		!ir_identity_options_equal(c->identity_seq, w->identity_seq)) ||
	       !ir_expr_equal(&c->generated, &w->generated) ||
	       !str_eq(c->collation, w->collation);
}

/* The default of a column whose enum changes labels is set by that change. */
static bool default_owned_by_enum(struct differ *df, const struct ir_column *c)
{
	return c->type.user_schema &&
	       ir_key_get(&df->enum_changes, df->a, c->type.user_schema,
			  c->type.user_name);
}

/* A comment on a column that is added or dropped with it needs no
 * statement in the direction where the column itself goes away; and one on
 * a dropped column is restored right after the downgrade re-adds it. */
static void column_comment(struct differ *df, const struct ir_table *ct,
			   const struct ir_table *wt, const struct ir_column *c,
			   const struct ir_column *w)
{
	const char *before = c ? c->comment : NULL, *after = w ? w->comment : NULL;
	if (str_eq(before, after))
		return;
	struct change *ch = add_change(df, CHANGE_COLUMN_COMMENT,
				       w ? PHASE_COMMENT : PHASE_COMMENT_DROP,
				       ct, wt, c, w);
	ch->sbefore = before;
	ch->safter = after;
	ch->implied_down = !c;
	ch->implied_up = !w;
}

/* A generation expression cannot be altered in place: the column is
 * dropped and added again, its values computed afresh.  Only a generated
 * column becoming a plain one of the same type keeps its values (ALTER
 * COLUMN ... DROP EXPRESSION). */
static bool computed_afresh(const struct ir_column *c, const struct ir_column *w)
{
	if (ir_expr_equal(&c->generated, &w->generated))
		return false;
	return !(c->generated.src && !w->generated.src &&
		 str_eq(c->type.canon, w->type.canon));
}

/* A generated column reads other columns of its table, which may change
 * type in the same revision: a new one is added after they have their new
 * types, and a dropped one goes before they change, so that the downgrade
 * re-adds it only once they have their old types back. */
static enum change_phase column_phase(const struct ir_column *col, bool add)
{
	if (!col->generated.src)
		return add ? PHASE_COLUMN_ADD : PHASE_COLUMN_DROP;
	return add ? PHASE_GENERATED_ADD : PHASE_GENERATED_DROP;
}

static void diff_columns(struct differ *df, const struct ir_table *ct,
			 const struct ir_table *wt)
{
	for (size_t i = 0; i < wt->columns.len; i++) {
		const struct ir_column *w = wt->columns.items[i];
		const struct ir_column *c = ir_column_find(ct, w->name);
		if (!c && w->renamed_from && !ir_column_find(wt, w->renamed_from)) {
			c = ir_column_find(ct, w->renamed_from);
			if (c)
				add_change(df, CHANGE_COLUMN_RENAME, PHASE_COLUMN_RENAME,
					   ct, wt, c, w);
		}
		if (!c) {
			add_change(df, CHANGE_COLUMN, column_phase(w, true), ct, wt, NULL, w);
			column_comment(df, ct, wt, NULL, w);
			continue;
		}
		keep(df, &df->kept_columns, ct, wt, c, w);
		if (computed_afresh(c, w)) {
			diff_recreate(df, CHANGE_COLUMN, ct, wt, c, w, NULL, true, true);
			continue;
		}
		/* Going back, a plain column becomes generated again: only a
		 * drop and an add do that. */
		bool expression_dropped = c->generated.src && !w->generated.src;
		if (expression_dropped)
			diff_recreate(df, CHANGE_COLUMN, ct, wt, c, w, NULL, false, true);
		bool owned = default_owned_by_enum(df, c) &&
			     str_eq(c->type.canon, w->type.canon);
		if (column_differs(c, w, owned)) {
			struct change *ch = add_change(df, CHANGE_COLUMN_ALTER,
						       PHASE_COLUMN_ALTER, ct, wt, c, w);
			ch->implied_down = expression_dropped;
			ch->skip_default = owned;
			ch->keep_sequence = c->type.serial != w->type.serial &&
					    (handed_over(df, ct, c) || handed_over(df, wt, w));
		}
		column_comment(df, ct, wt, c, w);
	}
	for (size_t i = 0; i < ct->columns.len; i++) {
		const struct ir_column *c = ct->columns.items[i];
		const char *now = diff_new_column_name(df, ct, c->name);
		if (!ir_column_find(wt, now)) {
			add_change(df, CHANGE_COLUMN, column_phase(c, false), ct, wt, c, NULL);
			column_comment(df, ct, wt, c, NULL);
		}
	}
}

/* ---- constraints and indexes: definition keys ---- */

static void key_names(struct differ *df, struct strbuf *sb,
		      const struct ir_table *ct, const struct ir_names *n)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < n->len; i++) {
		const char *name = ct ? diff_new_column_name(df, ct, n->items[i])
				      : n->items[i];
		strbuf_addf(sb, "%zu:%s,", strlen(name), name);
	}
	strbuf_addch(sb, ')');
}

/* A key, kept in the arena: keys of desired objects are all held at once
 * while they are paired (matcher_pair). */
static const char *key_result(struct differ *df, struct strbuf *sb)
{
	const char *key = strbuf_to_arena(sb, df->a);
	strbuf_release(sb);
	return key;
}

/* A constraint's definition as text.  Current objects pass their table so
 * column and table names are read through the rename hints. */
static const char *constraint_key(struct differ *df, const struct ir_table *ct,
				  const struct ir_constraint *c)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, c->kind);
	if (c->kind == IR_CON_CHECK || c->kind == IR_CON_EXCLUDE) {
		strbuf_addstr(&sb, ir_expr_cmp(&c->check));
	} else {
		key_names(df, &sb, ct, &c->cols);
	}
	if (c->kind == IR_CON_FOREIGN) {
		const char *schema = c->ref_schema, *table = c->ref_table;
		const struct ir_table *target = NULL;
		if (ct) {
			target = ir_table_find(df->cur, schema, table);
			const struct ir_table *w =
				target ? hmap_get(&df->table_match, tkey(df, target)) : NULL;
			if (w) {
				schema = w->schema;
				table = w->name;
			}
		}
		strbuf_addf(&sb, "->%s", ir_key(df->a, schema, table));
		key_names(df, &sb, target, &c->ref_cols);
		strbuf_addf(&sb, "%c%c%c", c->on_delete, c->on_update, c->match);
	}
	strbuf_addf(&sb, "|%d%d%d%d%d", c->deferrable, c->deferred, c->not_valid,
		    c->nulls_not_distinct, c->no_inherit);
	key_names(df, &sb, ct, &c->include);
	return key_result(df, &sb);
}

static const char *index_key(struct differ *df, const struct ir_table *ct,
			     const struct ir_index *ix)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%c%s(", ix->unique ? 'u' : '-', ix->method);
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ir_index_elem *e = &ix->elems[i];
		if (e->column) {
			const char *name = ct ? diff_new_column_name(df, ct, e->column)
					      : e->column;
			strbuf_addf(&sb, "c%zu:%s", strlen(name), name);
		} else {
			const char *x = ir_expr_cmp(&e->expr);
			strbuf_addf(&sb, "e%zu:%s", strlen(x), x);
		}
		strbuf_addf(&sb, "%c%c%s,", e->desc ? 'd' : 'a', e->nulls_first ? 'f' : 'l',
			    e->opclass ? e->opclass : "");
	}
	strbuf_addch(&sb, ')');
	key_names(df, &sb, ct, &ix->include);
	strbuf_addf(&sb, "%d|%s|", ix->nulls_not_distinct,
		    ix->options.src ? ir_expr_cmp(&ix->options) : "");
	if (ix->where.src)
		strbuf_addstr(&sb, ir_expr_cmp(&ix->where));
	return key_result(df, &sb);
}

/* Pairs desired with current objects by definition. */
struct matcher {
	struct hmap by_key;  /* key -> struct vec of unmatched current objects */
	struct hmap by_name; /* name -> current object */
	struct hmap matched; /* name of current object -> desired object */
};

static void matcher_init(struct differ *df, struct matcher *m)
{
	hmap_init(&m->by_key, df->a);
	hmap_init(&m->by_name, df->a);
	hmap_init(&m->matched, df->a);
}

static void matcher_add(struct differ *df, struct matcher *m, const char *key,
			const char *name, void *obj)
{
	struct vec *v = hmap_get(&m->by_key, key);
	if (!v) {
		v = arena_alloc(df->a, sizeof(*v));
		hmap_put(&m->by_key, key, v);
	}
	vec_push(df->a, v, obj);
	hmap_put(&m->by_name, name, obj);
}

/* The current object each desired one (`wants`, with their definition
 * keys) is paired with, or NULL.  Objects with the same definition and the
 * same name pair first: two desired objects of one definition (a named
 * unique and an unnamed one on the same column) must not take each
 * other's current object, or the one left over is added under a name that
 * is taken.  Then the rest pair by definition, in order. */
static void **matcher_pair(struct differ *df, struct matcher *m,
			   const struct vec *wants, const char *const *keys,
			   const char *(*name_of)(const void *))
{
	void **found = arena_array(df->a, wants->len + 1, sizeof(*found));
	for (int same_name = 1; same_name >= 0; same_name--) {
		for (size_t i = 0; i < wants->len; i++) {
			struct vec *v = hmap_get(&m->by_key, keys[i]);
			const char *want = name_of(wants->items[i]);
			for (size_t j = 0; !found[i] && v && j < v->len; j++) {
				void *obj = v->items[j];
				if (hmap_get(&m->matched, name_of(obj)) ||
				    (same_name && strcmp(name_of(obj), want) != 0))
					continue;
				hmap_put(&m->matched, name_of(obj), wants->items[i]);
				found[i] = obj;
			}
		}
	}
	return found;
}

static const char *con_name(const void *c)
{
	return ((const struct ir_constraint *)c)->name;
}

static const char *idx_name(const void *i)
{
	return ((const struct ir_index *)i)->name;
}

static bool is_fk(const struct ir_constraint *c)
{
	return c->kind == IR_CON_FOREIGN;
}

static void diff_constraints(struct differ *df, const struct ir_table *ct,
			     const struct ir_table *wt)
{
	struct matcher m;
	matcher_init(df, &m);
	for (size_t i = 0; i < ct->constraints.len; i++) {
		struct ir_constraint *c = ct->constraints.items[i];
		matcher_add(df, &m, constraint_key(df, ct, c), c->name, c);
	}
	struct vec added = { 0 };
	const char **keys = arena_array(df->a, wt->constraints.len + 1, sizeof(*keys));
	for (size_t i = 0; i < wt->constraints.len; i++)
		keys[i] = constraint_key(df, NULL, wt->constraints.items[i]);
	void **found = matcher_pair(df, &m, &wt->constraints, keys, con_name);
	for (size_t i = 0; i < wt->constraints.len; i++) {
		const struct ir_constraint *w = wt->constraints.items[i];
		const struct ir_constraint *c = found[i];
		if (c) {
			keep(df, &df->kept_constraints, ct, wt, c, w);
			if (strcmp(c->name, w->name) != 0 && w->naming == IR_NAME_GIVEN)
				add_change(df, CHANGE_CONSTRAINT_RENAME,
					   PHASE_OBJECT_RENAME, ct, wt, c, w);
			continue;
		}
		vec_push(df->a, &added, (void *)w);
	}
	/* Current constraints left over are dropped, desired ones added; one
	 * that kept its name but changed is dropped before it is re-added. */
	for (size_t i = 0; i < ct->constraints.len; i++) {
		const struct ir_constraint *c = ct->constraints.items[i];
		if (hmap_get(&m.matched, c->name))
			continue;
		add_change(df, CHANGE_CONSTRAINT,
			   is_fk(c) ? PHASE_FK_DROP : PHASE_CONSTRAINT_DROP, ct, wt, c,
			   NULL);
	}
	for (size_t i = 0; i < added.len; i++) {
		const struct ir_constraint *w = added.items[i];
		add_change(df, CHANGE_CONSTRAINT,
			   is_fk(w) ? PHASE_FK_ADD : PHASE_CONSTRAINT_ADD, ct, wt,
			   NULL, w);
	}
}

static void diff_indexes(struct differ *df, const struct ir_table *ct,
			 const struct ir_table *wt)
{
	struct matcher m;
	matcher_init(df, &m);
	for (size_t i = 0; i < ct->indexes.len; i++) {
		struct ir_index *ix = ct->indexes.items[i];
		matcher_add(df, &m, index_key(df, ct, ix), ix->name, ix);
	}
	struct vec added = { 0 };
	const char **keys = arena_array(df->a, wt->indexes.len + 1, sizeof(*keys));
	for (size_t i = 0; i < wt->indexes.len; i++)
		keys[i] = index_key(df, NULL, wt->indexes.items[i]);
	void **found = matcher_pair(df, &m, &wt->indexes, keys, idx_name);
	for (size_t i = 0; i < wt->indexes.len; i++) {
		const struct ir_index *w = wt->indexes.items[i];
		const struct ir_index *c = found[i];
		if (c) {
			keep(df, &df->kept_indexes, ct, wt, c, w);
			if (strcmp(c->name, w->name) != 0 && w->naming == IR_NAME_GIVEN)
				add_change(df, CHANGE_INDEX_RENAME, PHASE_OBJECT_RENAME,
					   ct, wt, c, w);
			continue;
		}
		vec_push(df->a, &added, (void *)w);
	}
	for (size_t i = 0; i < ct->indexes.len; i++) {
		const struct ir_index *c = ct->indexes.items[i];
		if (!hmap_get(&m.matched, c->name))
			add_change(df, CHANGE_INDEX, PHASE_INDEX_DROP, ct, wt, c, NULL);
	}
	for (size_t i = 0; i < added.len; i++)
		add_change(df, CHANGE_INDEX, PHASE_INDEX_CREATE, ct, wt, NULL,
			   added.items[i]);
}

static void table_comment(struct differ *df, const struct ir_table *ct,
			  const struct ir_table *wt)
{
	const char *before = ct ? ct->comment : NULL;
	const char *after = wt ? wt->comment : NULL;
	if (str_eq(before, after))
		return;
	struct change *ch = add_change(df, CHANGE_TABLE_COMMENT, PHASE_COMMENT, ct,
				       wt, ct, wt);
	ch->sbefore = before;
	ch->safter = after;
}

/* ---- whole tables ---- */

/* A new table: CREATE TABLE, then what it does not cover.  The downgrade's
 * DROP TABLE takes indexes and comments with it. */
static void create_table(struct differ *df, const struct ir_table *w)
{
	add_change(df, CHANGE_TABLE, PHASE_TABLE_CREATE, NULL, w, NULL, w);
	for (size_t i = 0; i < w->constraints.len; i++) {
		const struct ir_constraint *c = w->constraints.items[i];
		if (is_fk(c))
			add_change(df, CHANGE_CONSTRAINT, PHASE_FK_ADD, NULL, w, NULL, c);
		else if (c->not_valid) /* NOT VALID exists only in ALTER TABLE */
			add_change(df, CHANGE_CONSTRAINT, PHASE_CONSTRAINT_ADD, NULL, w,
				   NULL, c);
	}
	for (size_t i = 0; i < w->indexes.len; i++) {
		struct change *ch = add_change(df, CHANGE_INDEX, PHASE_INDEX_CREATE,
					       NULL, w, NULL, w->indexes.items[i]);
		ch->implied_down = true;
	}
	struct change *ch;
	if (w->comment) {
		ch = add_change(df, CHANGE_TABLE_COMMENT, PHASE_COMMENT, NULL, w, NULL, w);
		ch->safter = w->comment;
		ch->implied_down = true;
	}
	for (size_t i = 0; i < w->columns.len; i++) {
		const struct ir_column *col = w->columns.items[i];
		if (!col->comment)
			continue;
		ch = add_change(df, CHANGE_COLUMN_COMMENT, PHASE_COMMENT, NULL, w, NULL,
				col);
		ch->safter = col->comment;
		ch->implied_down = true;
	}
}

/* A dropped table: its foreign keys go first (other dropped tables may
 * point at it); the downgrade re-creates it whole. */
static void drop_table(struct differ *df, const struct ir_table *c)
{
	for (size_t i = 0; i < c->constraints.len; i++) {
		const struct ir_constraint *k = c->constraints.items[i];
		if (is_fk(k))
			add_change(df, CHANGE_CONSTRAINT, PHASE_FK_DROP, c, NULL, k, NULL);
		else if (k->not_valid)
			add_change(df, CHANGE_CONSTRAINT, PHASE_CONSTRAINT_DROP, c, NULL, k,
				   NULL);
	}
	add_change(df, CHANGE_TABLE, PHASE_TABLE_DROP, c, NULL, c, NULL);
	for (size_t i = 0; i < c->indexes.len; i++) {
		struct change *ch = add_change(df, CHANGE_INDEX, PHASE_INDEX_DROP,
					       c, NULL, c->indexes.items[i], NULL);
		ch->implied_up = true;
	}
	struct change *ch;
	if (c->comment) {
		ch = add_change(df, CHANGE_TABLE_COMMENT, PHASE_COMMENT_DROP, c, NULL,
				c, NULL);
		ch->sbefore = c->comment;
		ch->implied_up = true;
	}
	for (size_t i = 0; i < c->columns.len; i++) {
		const struct ir_column *col = c->columns.items[i];
		if (!col->comment)
			continue;
		ch = add_change(df, CHANGE_COLUMN_COMMENT, PHASE_COMMENT_DROP, c, NULL,
				col, NULL);
		ch->sbefore = col->comment;
		ch->implied_up = true;
	}
}

static void diff_tables(struct differ *df)
{
	for (size_t i = 0; i < df->want->tables.len; i++) {
		const struct ir_table *w = df->want->tables.items[i];
		const struct ir_table *c = hmap_get(&df->table_match_back, tkey(df, w));
		if (!c) {
			create_table(df, w);
			continue;
		}
		diff_columns(df, c, w);
		diff_constraints(df, c, w);
		diff_indexes(df, c, w);
		table_comment(df, c, w);
	}
	for (size_t i = 0; i < df->cur->tables.len; i++) {
		const struct ir_table *c = df->cur->tables.items[i];
		if (!hmap_get(&df->table_match, tkey(df, c)))
			drop_table(df, c);
	}
}

struct change_list *diff_schemas(struct arena *a, const struct ir_schema *current,
				 const struct ir_schema *desired)
{
	struct differ df = { 0 };
	df.a = a;
	df.cur = current;
	df.want = desired;
	df.cl = arena_alloc(a, sizeof(*df.cl));
	hmap_init(&df.table_match, a);
	hmap_init(&df.table_match_back, a);
	hmap_init(&df.enum_changes, a);
	hmap_init(&df.handover, a);

	diff_namespaces(&df);
	match_tables(&df);
	diff_enums(&df);
	diff_extensions(&df);
	diff_sequences(&df);
	diff_tables(&df);
	diff_plan_enums(&df);
	diff_walk_dependencies(&df);
	plan_order(a, df.cl, current, desired);
	return df.cl;
}
