/*
 * The tables a plan can affect, so that proving a revision reads (and,
 * for a copy of a configured database, builds) only those: on a large
 * schema with a small edit that is a handful of tables, not all of them.
 */
#include <string.h>

#include "base/arena.h"
#include "diff/diff.h"
#include "ir/ir.h"

struct touched {
	struct arena *a;
	struct hmap *keys;
	struct vec work; /* struct ir_table, whose foreign keys are still to follow */
};

static void add(struct touched *t, const struct ir_table *tab)
{
	if (!tab || hmap_get(t->keys, tab->key))
		return;
	hmap_put(t->keys, tab->key, arena_printf(t->a, "%s.%s", tab->schema, tab->name));
	vec_push(t->a, &t->work, (void *)tab);
}

/* Adds the table of that name from either schema. */
static void add_named(struct touched *t, const struct ir_schema *cur,
		      const struct ir_schema *want, const char *schema, const char *name)
{
	add(t, ir_table_find(cur, schema, name));
	add(t, ir_table_find(want, schema, name));
}

static void seed(struct touched *t, const struct change_list *cl)
{
	for (size_t i = 0; i < cl->changes.len; i++) {
		const struct change *c = cl->changes.items[i];
		add(t, c->tbefore);
		add(t, c->tafter);
		for (size_t k = 0; k < c->enum_uses.len; k++)
			add(t, ((const struct enum_use *)c->enum_uses.items[k])->table);
	}
}

/* Tables whose foreign keys point at a table a change is about: what a
 * dropped or replaced key there would break. */
static void add_referencing(struct touched *t, const struct hmap *seeds,
			    const struct ir_schema *s)
{
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *tab = s->tables.items[i];
		for (size_t k = 0; k < tab->constraints.len; k++) {
			const struct ir_constraint *c = tab->constraints.items[k];
			if (c->kind == IR_CON_FOREIGN &&
			    ir_key_get(seeds, t->a, c->ref_schema, c->ref_table))
				add(t, tab);
		}
	}
}

void diff_touched_tables(struct arena *a, const struct change_list *cl,
			 const struct ir_schema *cur, const struct ir_schema *want,
			 struct hmap *keys)
{
	struct touched t = { a, keys, { 0 } };
	seed(&t, cl);
	struct hmap seeds;
	hmap_init(&seeds, a);
	for (size_t i = 0; i < t.work.len; i++) {
		const struct ir_table *tab = t.work.items[i];
		hmap_put(&seeds, tab->key, (void *)tab);
	}
	add_referencing(&t, &seeds, cur);
	add_referencing(&t, &seeds, want);
	/* What they reference, transitively, so that a copy of these tables
	 * has every foreign key's target. */
	for (size_t i = 0; i < t.work.len; i++) {
		const struct ir_table *tab = t.work.items[i];
		for (size_t k = 0; k < tab->constraints.len; k++) {
			const struct ir_constraint *c = tab->constraints.items[k];
			if (c->kind == IR_CON_FOREIGN)
				add_named(&t, cur, want, c->ref_schema, c->ref_table);
		}
	}
}
