/*
 * Names for unnamed constraints, indexes and sequences, chosen as the server
 * would when it runs c7gen's CREATE script: per schema, every name a
 * relation or constraint already holds is avoided, author-given names are
 * reserved first, and each table's objects are named in the order the
 * server creates them (sequences, checks, primary key, uniques, foreign
 * keys, then indexes).
 */
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "ir/exprtok.h"
#include "ir/pgnames.h"
#include "lang/sema_internal.h"

struct naming {
	struct sema *s;
	struct hmap spaces; /* schema -> struct pgname_space */
};

static struct pgname_space *space_for(struct naming *n, const char *schema)
{
	struct pgname_space *sp = hmap_get(&n->spaces, schema);
	if (!sp) {
		sp = arena_alloc(n->s->a, sizeof(*sp));
		pgname_space_init(sp, n->s->a);
		hmap_put(&n->spaces, schema, sp);
	}
	return sp;
}

static void reserve_relation(struct naming *n, struct pgname_space *sp,
			     const char *name, struct span span)
{
	const struct span *prev = hmap_get(&sp->relations, name);
	if (prev) {
		struct diag *g = diag_error(n->s->d, span,
					    "name '%s' is already used by another table or index",
					    name);
		if (prev->file)
			diag_note(n->s->d, g, *prev, "first used here");
		return;
	}
	struct span *copy = arena_alloc(n->s->a, sizeof(*copy));
	*copy = span;
	hmap_put(&sp->relations, name, copy);
}

static void reserve_constraint(struct pgname_space *sp, const char *name,
			       struct span *span)
{
	hmap_put(&sp->constraints, name, span);
}

/* Author-given names first, so that generated ones steer clear of them. */
static void reserve_given(struct naming *n, struct ir_table *t)
{
	struct pgname_space *sp = space_for(n, t->schema);
	struct hmap on_table;
	hmap_init(&on_table, n->s->a);
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *c = t->constraints.items[i];
		if (c->naming != IR_NAME_GIVEN)
			continue;
		const struct ir_constraint *prev = hmap_put_new(&on_table, c->name, c);
		if (prev) {
			struct diag *g = diag_error(n->s->d, c->span,
						    "constraint '%s' is already defined on this table",
						    c->name);
			diag_note(n->s->d, g, prev->span, "first defined here");
			continue;
		}
		/* Keys and exclusions are backed by an index of their name. */
		if (c->kind == IR_CON_PRIMARY || c->kind == IR_CON_UNIQUE ||
		    c->kind == IR_CON_EXCLUDE)
			reserve_relation(n, sp, c->name, c->span);
		reserve_constraint(sp, c->name, &c->span);
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		if (ix->naming == IR_NAME_GIVEN)
			reserve_relation(n, sp, ix->name, ix->span);
	}
}

static const char *check_column(struct naming *n, const struct ir_table *t,
				const struct ir_constraint *c)
{
	struct vec refs = { 0 };
	exprtok_column_refs(n->s->a, c->check.src, &refs);
	const char *only = NULL;
	size_t count = 0;
	for (size_t i = 0; i < refs.len; i++) {
		if (ir_column_find(t, refs.items[i])) {
			only = refs.items[i];
			count++;
		}
	}
	return count == 1 ? only : NULL;
}

/* The server names an index after its key and INCLUDE columns alike. */
static const struct ir_names *with_include(struct arena *a,
					   const struct ir_names *keys,
					   const struct ir_names *include)
{
	if (!include->len)
		return keys;
	struct ir_names *all = arena_alloc(a, sizeof(*all));
	all->len = keys->len + include->len;
	all->items = arena_array(a, all->len, sizeof(char *));
	memcpy(all->items, keys->items, keys->len * sizeof(char *));
	memcpy(all->items + keys->len, include->items, include->len * sizeof(char *));
	return all;
}

static void name_constraint(struct naming *n, struct ir_table *t,
			    struct ir_constraint *c, struct pgname_space *sp)
{
	const char *name2 = NULL, *label;
	int check = PGNAME_CHECK_CONSTRAINTS;
	switch (c->kind) {
	case IR_CON_CHECK:
		name2 = check_column(n, t, c);
		label = "check";
		break;
	case IR_CON_PRIMARY:
		label = "pkey";
		check |= PGNAME_CHECK_RELATIONS;
		break;
	case IR_CON_UNIQUE:
		name2 = pgname_join(n->s->a, with_include(n->s->a, &c->cols, &c->include));
		label = "key";
		check |= PGNAME_CHECK_RELATIONS;
		break;
	case IR_CON_EXCLUDE: {
		struct ir_names cols = pgname_exclusion_columns(n->s->a, c->check.src);
		pgname_index_columns(n->s->a, &cols);
		name2 = pgname_join(n->s->a, &cols);
		label = "excl";
		check |= PGNAME_CHECK_RELATIONS;
		break;
	}
	default:
		name2 = pgname_join(n->s->a, &c->cols);
		label = "fkey";
		break;
	}
	bool suffixed;
	c->name = pgname_choose(n->s->a, sp, t->name, name2, label, check, &suffixed);
	c->naming = suffixed ? IR_NAME_SUFFIXED : IR_NAME_DEFAULT;
	if (check & PGNAME_CHECK_RELATIONS)
		reserve_relation(n, sp, c->name, c->span);
	reserve_constraint(sp, c->name, &c->span);
}

static void name_index(struct naming *n, struct ir_table *t, struct ir_index *ix,
		       struct pgname_space *sp)
{
	struct ir_names cols;
	cols.len = ix->nelems + ix->include.len;
	cols.items = arena_array(n->s->a, cols.len, sizeof(char *));
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ir_index_elem *e = &ix->elems[i];
		cols.items[i] = e->column ? e->column
					  : exprtok_index_colname(n->s->a, e->expr.src);
	}
	for (size_t i = 0; i < ix->include.len; i++)
		cols.items[ix->nelems + i] = ix->include.items[i];
	pgname_index_columns(n->s->a, &cols);
	bool suffixed;
	ix->name = pgname_choose(n->s->a, sp, t->name, pgname_join(n->s->a, &cols),
				 "idx", PGNAME_CHECK_RELATIONS, &suffixed);
	ix->naming = suffixed ? IR_NAME_SUFFIXED : IR_NAME_DEFAULT;
	reserve_relation(n, sp, ix->name, ix->span);
}

/* Serial and identity columns own a sequence, which takes a relation name. */
static void name_sequences(struct naming *n, struct ir_table *t,
			   struct pgname_space *sp)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *c = t->columns.items[i];
		if (!c->type.serial && !c->identity)
			continue;
		c->seq_name = pgname_choose(n->s->a, sp, t->name, c->name, "seq",
					    PGNAME_CHECK_RELATIONS, NULL);
		reserve_relation(n, sp, c->seq_name, SPAN_NONE);
	}
}

static int by_position(const void *x, const void *y)
{
	const struct ir_constraint *a = x, *b = y;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return 0;
}

static void name_table(struct naming *n, struct ir_table *t)
{
	struct pgname_space *sp = space_for(n, t->schema);
	name_sequences(n, t, sp);
	/* Column and table constraints were collected in two passes; the
	 * server sees them in source order. */
	vec_sort(n->s->a, &t->constraints, by_position);
	static const char order[] = { IR_CON_CHECK, IR_CON_PRIMARY, IR_CON_UNIQUE,
				      IR_CON_EXCLUDE, IR_CON_FOREIGN };
	for (size_t k = 0; k < sizeof(order); k++) {
		for (size_t i = 0; i < t->constraints.len; i++) {
			struct ir_constraint *c = t->constraints.items[i];
			if (c->kind == order[k] && !c->name)
				name_constraint(n, t, c, sp);
		}
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		if (!ix->name)
			name_index(n, t, ix, sp);
	}
}

void sema_assign_names(struct sema *s)
{
	struct naming n = { s, { 0 } };
	hmap_init(&n.spaces, s->a);
	for (size_t i = 0; i < s->tables.len; i++) {
		struct ir_table *t = s->tables.items[i];
		reserve_relation(&n, space_for(&n, t->schema), t->name, t->span);
	}
	/* A sequence is a relation too: its name collides with tables and
	 * indexes. */
	for (size_t i = 0; i < s->ir->sequences.len; i++) {
		struct ir_sequence *q = s->ir->sequences.items[i];
		reserve_relation(&n, space_for(&n, q->schema), q->name, q->span);
	}
	for (size_t i = 0; i < s->tables.len; i++)
		reserve_given(&n, s->tables.items[i]);
	for (size_t i = 0; i < s->tables.len; i++)
		name_table(&n, s->tables.items[i]);
}
