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

static void *find_new(struct planner *p, const char *schema, const char *name)
{
	return ir_key_get(&p->new_tables, p->a, schema, name);
}

static void collect(struct planner *p)
{
	for (size_t i = 0; i < p->cl->changes.len; i++) {
		struct change *c = p->cl->changes.items[i];
		if (c->kind == CHANGE_TABLE && c->after) {
			const struct ir_table *t = c->after;
			struct new_table *nt = arena_alloc(p->a, sizeof(*nt));
			nt->create = c;
			hmap_put(&p->new_tables, t->key, nt);
			vec_push(p->a, &p->order, nt);
		}
	}
	for (size_t i = 0; i < p->cl->changes.len; i++) {
		struct change *c = p->cl->changes.items[i];
		if (c->kind == CHANGE_INDEX && c->after && c->tbefore) {
			/* An existing table gaining a (unique) index. */
			hmap_put(&p->gaining_keys, c->tafter->key, c);
			continue;
		}
		if (c->kind != CHANGE_CONSTRAINT || !c->after)
			continue;
		const struct ir_constraint *k = c->after;
		const struct ir_table *t = c->tafter;
		if (k->kind != IR_CON_FOREIGN) {
			hmap_put(&p->gaining_keys, t->key, c);
			continue;
		}
		if (c->tbefore)
			continue; /* a foreign key added to an existing table */
		struct new_table *nt = hmap_get(&p->new_tables, t->key);
		if (nt)
			vec_push(p->a, &nt->fks, c);
	}
}

/* A min-heap of baseline positions: among the tables ready to be created,
 * the earliest in the baseline order goes first. */
struct ready_heap {
	size_t *items;
	size_t len;
};

static void heap_push(struct ready_heap *h, size_t v)
{
	size_t i = h->len++;
	h->items[i] = v;
	while (i > 0 && h->items[(i - 1) / 2] > h->items[i]) {
		size_t p = (i - 1) / 2, t = h->items[p];
		h->items[p] = h->items[i];
		h->items[i] = t;
		i = p;
	}
}

static size_t heap_pop(struct ready_heap *h)
{
	size_t top = h->items[0];
	h->items[0] = h->items[--h->len];
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->len && h->items[l] < h->items[m])
			m = l;
		if (r < h->len && h->items[r] < h->items[m])
			m = r;
		if (m == i)
			break;
		size_t t = h->items[m];
		h->items[m] = h->items[i];
		h->items[i] = t;
		i = m;
	}
	return top;
}

/* The new tables a new table references (itself excluded), once each. */
static struct vec *targets_of(struct planner *p, struct new_table *nt)
{
	struct vec *out = arena_alloc(p->a, sizeof(*out));
	for (size_t i = 0; i < nt->fks.len; i++) {
		const struct ir_constraint *k = ((struct change *)nt->fks.items[i])->after;
		struct new_table *t = find_new(p, k->ref_schema, k->ref_table);
		bool seen = t == nt || !t;
		for (size_t j = 0; j < out->len && !seen; j++)
			seen = out->items[j] == t;
		if (!seen)
			vec_push(p->a, out, t);
	}
	return out;
}

/* Kahn's algorithm taking the earliest ready table each time, linear in
 * tables and foreign keys.  When nothing is ready there is a cycle: the
 * earliest table waiting on the fewest others goes next, which breaks the
 * cycle inside it rather than placing a table that only depends on it. */
static void order_new_tables(struct planner *p)
{
	size_t n = p->order.len;
	size_t *waiting = arena_array(p->a, n + 1, sizeof(size_t));
	struct vec **dependents = arena_array(p->a, n + 1, sizeof(struct vec *));
	struct ready_heap ready = { arena_array(p->a, n + 1, sizeof(size_t)), 0 };
	for (size_t i = 0; i < n; i++) {
		struct new_table *nt = p->order.items[i];
		nt->position = i; /* baseline index until placed */
		dependents[i] = arena_alloc(p->a, sizeof(struct vec));
	}
	for (size_t i = 0; i < n; i++) {
		struct vec *targets = targets_of(p, p->order.items[i]);
		waiting[i] = targets->len;
		for (size_t k = 0; k < targets->len; k++) {
			struct new_table *t = targets->items[k];
			vec_push(p->a, dependents[t->position], p->order.items[i]);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!waiting[i])
			heap_push(&ready, i);
	size_t *placed_at = arena_array(p->a, n + 1, sizeof(size_t));
	for (size_t placed = 0; placed < n; placed++) {
		size_t pick = n;
		if (ready.len) {
			pick = heap_pop(&ready);
		} else {
			for (size_t i = 0; i < n; i++) {
				struct new_table *nt = p->order.items[i];
				if (!nt->placed && (pick == n || waiting[i] < waiting[pick]))
					pick = i;
			}
		}
		struct new_table *nt = p->order.items[pick];
		nt->placed = true;
		placed_at[pick] = placed;
		struct vec *deps = dependents[pick];
		for (size_t k = 0; k < deps->len; k++) {
			struct new_table *d = deps->items[k];
			size_t di = d->position;
			if (!d->placed && waiting[di] > 0 && --waiting[di] == 0)
				heap_push(&ready, di);
		}
	}
	for (size_t i = 0; i < n; i++)
		((struct new_table *)p->order.items[i])->position = placed_at[i];
}

/* Whether the referenced columns are a primary key or unique constraint,
 * which CREATE TABLE makes; a unique index only comes later. */
static bool key_is_constraint(const struct ir_table *t, const struct ir_names *cols)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if ((c->kind != IR_CON_PRIMARY && c->kind != IR_CON_UNIQUE) ||
		    c->cols.len != cols->len)
			continue;
		bool all = true;
		for (size_t k = 0; k < cols->len && all; k++) {
			bool found = false;
			for (size_t j = 0; j < c->cols.len && !found; j++)
				found = strcmp(cols->items[k], c->cols.items[j]) == 0;
			all = found;
		}
		if (all)
			return true;
	}
	return false;
}

/* Decides which foreign keys of new tables go inside CREATE TABLE. */
static void inline_foreign_keys(struct planner *p)
{
	for (size_t i = 0; i < p->order.len; i++) {
		struct new_table *nt = p->order.items[i];
		for (size_t k = 0; k < nt->fks.len; k++) {
			struct change *c = nt->fks.items[k];
			const struct ir_constraint *fk = c->after;
			struct new_table *target = find_new(p, fk->ref_schema, fk->ref_table);
			bool ok = target ? target->position <= nt->position &&
					   key_is_constraint(target->create->after, &fk->ref_cols)
				  : !ir_key_get(&p->gaining_keys, p->a, fk->ref_schema,
						fk->ref_table);
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
