/*
 * The plan: a stable, dependency-correct order of the changes.  Phases give
 * the coarse order (see enum change_phase); within the creation of new
 * tables, referenced tables come first, and a foreign key is written inside
 * CREATE TABLE only when its target is certain to exist by then.  Cycles are
 * broken by leaving the foreign key to a later ALTER TABLE.
 */
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "diff/diff.h"

static int by_phase(const void *x, const void *y)
{
	const struct change *a = x, *b = y;
	if (a->phase != b->phase)
		return a->phase < b->phase ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

struct new_table {
	struct change *create;
	struct vec fks; /* CHANGE_CONSTRAINT adds of this table */
	bool placed;
	size_t position;
};

struct planner {
	struct arena *a;
	struct change_list *cl;
	struct hmap new_tables; /* ir_key -> struct new_table */
	struct vec order;       /* struct new_table, baseline order */
	/* ir_key of existing tables that gain a key constraint in this plan */
	struct hmap gaining_keys;
};

static const char *key_of(struct planner *p, const char *schema, const char *name)
{
	return ir_key(p->a, schema, name);
}

static void collect(struct planner *p)
{
	for (size_t i = 0; i < p->cl->changes.len; i++) {
		struct change *c = p->cl->changes.items[i];
		if (c->kind == CHANGE_TABLE && c->after) {
			const struct ir_table *t = c->after;
			struct new_table *nt = arena_alloc(p->a, sizeof(*nt));
			nt->create = c;
			hmap_put(&p->new_tables, key_of(p, t->schema, t->name), nt);
			vec_push(p->a, &p->order, nt);
		}
	}
	for (size_t i = 0; i < p->cl->changes.len; i++) {
		struct change *c = p->cl->changes.items[i];
		if (c->kind != CHANGE_CONSTRAINT || !c->after)
			continue;
		const struct ir_constraint *k = c->after;
		const struct ir_table *t = c->tafter;
		if (k->kind != IR_CON_FOREIGN) {
			hmap_put(&p->gaining_keys, key_of(p, t->schema, t->name), c);
			continue;
		}
		if (c->tbefore)
			continue; /* a foreign key added to an existing table */
		struct new_table *nt = hmap_get(&p->new_tables,
						key_of(p, t->schema, t->name));
		if (nt)
			vec_push(p->a, &nt->fks, c);
	}
}

/* How many other new tables it references are not placed yet. */
static size_t waiting_on(struct planner *p, const struct new_table *nt)
{
	size_t n = 0;
	for (size_t i = 0; i < nt->fks.len; i++) {
		const struct ir_constraint *k = ((struct change *)nt->fks.items[i])->after;
		struct new_table *target = hmap_get(&p->new_tables,
						    key_of(p, k->ref_schema, k->ref_table));
		if (target && target != nt && !target->placed)
			n++;
	}
	return n;
}

/* Kahn's algorithm that always takes the earliest ready table.  When none
 * is ready there is a cycle: the table waiting on the fewest others goes
 * next, which breaks the cycle inside it rather than placing a table that
 * merely depends on it. */
static void order_new_tables(struct planner *p)
{
	size_t placed = 0;
	while (placed < p->order.len) {
		struct new_table *pick = NULL;
		size_t best = (size_t)-1;
		for (size_t i = 0; i < p->order.len && best; i++) {
			struct new_table *nt = p->order.items[i];
			if (nt->placed)
				continue;
			size_t w = waiting_on(p, nt);
			if (w < best) {
				best = w;
				pick = nt;
			}
		}
		pick->placed = true;
		pick->position = placed++;
	}
}

/* Decides which foreign keys of new tables go inside CREATE TABLE. */
static void inline_foreign_keys(struct planner *p)
{
	for (size_t i = 0; i < p->order.len; i++) {
		struct new_table *nt = p->order.items[i];
		for (size_t k = 0; k < nt->fks.len; k++) {
			struct change *c = nt->fks.items[k];
			const struct ir_constraint *fk = c->after;
			const char *tk = key_of(p, fk->ref_schema, fk->ref_table);
			struct new_table *target = hmap_get(&p->new_tables, tk);
			bool ok = target ? target->position <= nt->position
					 : !hmap_get(&p->gaining_keys, tk);
			if (!ok)
				continue;
			vec_push(p->a, &nt->create->inline_fks, (void *)fk);
			c->merged = true;
		}
	}
}

void plan_order(struct arena *a, struct change_list *cl,
		const struct ir_schema *current, const struct ir_schema *desired)
{
	(void)current;
	(void)desired;
	struct planner p = { 0 };
	p.a = a;
	p.cl = cl;
	hmap_init(&p.new_tables, a);
	hmap_init(&p.gaining_keys, a);
	collect(&p);
	order_new_tables(&p);

	inline_foreign_keys(&p);

	/* New tables take the sequence numbers of their creation order, so the
	 * phase sort below puts them in dependency order. */
	size_t first_seq = (size_t)-1;
	for (size_t i = 0; i < p.order.len; i++) {
		struct new_table *nt = p.order.items[i];
		if (nt->create->seq < first_seq)
			first_seq = nt->create->seq;
	}
	for (size_t i = 0; i < p.order.len; i++) {
		struct new_table *nt = p.order.items[i];
		nt->create->seq = first_seq + nt->position;
	}

	struct vec kept = { 0 };
	for (size_t i = 0; i < cl->changes.len; i++) {
		struct change *c = cl->changes.items[i];
		if (!c->merged)
			vec_push(a, &kept, c);
	}
	cl->changes = kept;
	vec_sort(a, &cl->changes, by_phase);
	for (size_t i = 0; i < cl->changes.len; i++)
		((struct change *)cl->changes.items[i])->seq = i;
}
