/*
 * The dependency walk.  When the plan replaces an object, what depends on
 * it has to be taken out of the way first and put back afterwards,
 * identical, or PostgreSQL refuses the change:
 *
 *   - a foreign key uses one unique index of the table it references (the
 *     database records it as the constraint's conindid); dropping that key
 *     fails while the foreign key exists, so the foreign key is dropped
 *     first and added again once the new keys are there;
 *   - a type swap (an enum rebuilt without some labels) cannot carry over
 *     a check, an index expression or predicate that spells a label of the
 *     old type ("operator does not exist: mood <> mood_c7old");
 *   - a foreign key whose columns change type on both ends is checked
 *     between the first and the second ALTER and fails;
 *   - a generated column forbids changing the type of a column it reads;
 *   - dropping a column (a generated column computed afresh) takes its
 *     indexes and constraints with it, and is refused while another
 *     table's foreign key uses it.
 *
 * The walk starts from what the differ changes and follows these edges to
 * a fixed point, so dependents of dependents are found too.  Everything
 * the server carries over by itself (an index on a column whose type
 * changes, a check that does not name a label) is left alone.  Dependency
 * facts come from the database where only it knows them (which index a
 * foreign key uses) and from both sides' server-printed expressions
 * otherwise, so the downgrade is planned with the same rules.
 *
 * Each direction is walked at once with a bit mask: an enum may be
 * rebuilt going up but changed in place coming down.
 */
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "diff/diff_internal.h"
#include "ir/exprtok.h"

enum { UP = 1, DOWN = 2, BOTH = UP | DOWN };

struct rebuilt {
	const struct ir_enum *type;
	unsigned mask;
};

/* A kept object the walk may re-create. */
struct node {
	enum change_kind kind; /* CHANGE_CONSTRAINT, CHANGE_INDEX, CHANGE_COLUMN */
	const struct kept *k;
	unsigned mask;
	const char *reason;
	struct vec refs; /* columns its expressions read (current names) */
	bool refs_read;
};

struct walk {
	struct differ *df;
	struct strbuf key;
	/* "table key \x1f column" -> mask: columns whose type changes */
	struct hmap retyped;
	/* "table key \x1f column" -> mask: columns dropped and added again */
	struct hmap recreated_cols;
	/* "table key \x1f index name" -> mask: unique indexes that go away */
	struct hmap dropped_keys;
	struct vec rebuilt; /* struct rebuilt */
	struct vec nodes;   /* struct node */
};

static const char *obj_key(struct walk *w, const char *table_key, const char *name)
{
	strbuf_reset(&w->key);
	strbuf_addstr(&w->key, table_key);
	strbuf_addch(&w->key, '\x1f');
	strbuf_addstr(&w->key, name);
	return strbuf_str(&w->key);
}

static unsigned mask_of(struct walk *w, struct hmap *m, const char *table_key,
			const char *name)
{
	return (unsigned)(uintptr_t)hmap_get(m, obj_key(w, table_key, name));
}

static void add_mask(struct walk *w, struct hmap *m, const char *table_key,
		     const char *name, unsigned mask)
{
	unsigned have = mask_of(w, m, table_key, name);
	if ((have | mask) == have)
		return;
	const char *k = arena_strdup(w->df->a, obj_key(w, table_key, name));
	hmap_put(m, k, (void *)(uintptr_t)(have | mask));
}

/* ---- seeds: what the differ's changes put in the way ---- */

static bool type_changes(const struct ir_column *a, const struct ir_column *b)
{
	bool same_type = !strcmp(a->type.canon, b->type.canon);
	bool same_coll = a->collation == b->collation ||
			 (a->collation && b->collation && !strcmp(a->collation, b->collation));
	return !same_type || !same_coll;
}

static bool is_key(char kind)
{
	return kind == IR_CON_PRIMARY || kind == IR_CON_UNIQUE;
}

static void seed(struct walk *w, const struct change *c)
{
	switch (c->kind) {
	case CHANGE_COLUMN_ALTER:
		if (type_changes(c->before, c->after))
			add_mask(w, &w->retyped, c->tbefore->key,
				 ((const struct ir_column *)c->before)->name, BOTH);
		break;
	case CHANGE_COLUMN:
		if (c->recreated && c->before)
			add_mask(w, &w->recreated_cols, c->tbefore->key,
				 ((const struct ir_column *)c->before)->name,
				 (c->implied_up ? 0 : UP) | (c->implied_down ? 0 : DOWN));
		break;
	case CHANGE_CONSTRAINT: {
		const struct ir_constraint *k = c->before;
		if (k && !c->after && is_key(k->kind))
			add_mask(w, &w->dropped_keys, c->tbefore->key, k->name, BOTH);
		break;
	}
	case CHANGE_INDEX: {
		const struct ir_index *ix = c->before;
		if (ix && !c->after && ix->unique)
			add_mask(w, &w->dropped_keys, c->tbefore->key, ix->name, BOTH);
		break;
	}
	case CHANGE_ENUM_LABELS: {
		unsigned mask = (c->rebuild_up ? UP : 0) | (c->rebuild_down ? DOWN : 0);
		if (!mask)
			break;
		struct rebuilt *r = arena_alloc(w->df->a, sizeof(*r));
		r->type = c->before;
		r->mask = mask;
		vec_push(w->df->a, &w->rebuilt, r);
		for (size_t i = 0; i < c->enum_uses.len; i++) {
			const struct enum_use *u = c->enum_uses.items[i];
			add_mask(w, &w->retyped, u->table->key, u->before->name, mask);
		}
		break;
	}
	default:
		break;
	}
}

/* ---- the objects that may have to move ---- */

static void add_node(struct walk *w, enum change_kind kind, const struct kept *k)
{
	struct node *n = arena_alloc(w->df->a, sizeof(*n));
	n->kind = kind;
	n->k = k;
	vec_push(w->df->a, &w->nodes, n);
}

static void collect_nodes(struct walk *w)
{
	struct differ *df = w->df;
	for (size_t i = 0; i < df->kept_constraints.len; i++)
		add_node(w, CHANGE_CONSTRAINT, df->kept_constraints.items[i]);
	for (size_t i = 0; i < df->kept_indexes.len; i++)
		add_node(w, CHANGE_INDEX, df->kept_indexes.items[i]);
	for (size_t i = 0; i < df->kept_columns.len; i++) {
		const struct kept *k = df->kept_columns.items[i];
		const struct ir_column *c = k->c, *want = k->w;
		/* Only generated columns move for others; one computed afresh
		 * anyway is already a drop and an add. */
		if (c->generated.src && ir_expr_equal(&c->generated, &want->generated))
			add_node(w, CHANGE_COLUMN, k);
	}
}

static void read_expr_refs(struct walk *w, struct node *n, const struct ir_expr *e)
{
	if (e->src)
		exprtok_column_refs(w->df->a, ir_expr_cmp(e), &n->refs);
}

static void push_names(struct walk *w, struct node *n, const struct ir_names *names)
{
	for (size_t i = 0; i < names->len; i++)
		vec_push(w->df->a, &n->refs, (void *)names->items[i]);
}

/* Every column of its own table the object reads, on the current side. */
static const struct vec *node_refs(struct walk *w, struct node *n)
{
	if (n->refs_read)
		return &n->refs;
	n->refs_read = true;
	if (n->kind == CHANGE_CONSTRAINT) {
		const struct ir_constraint *k = n->k->c;
		push_names(w, n, &k->cols);
		push_names(w, n, &k->include);
		read_expr_refs(w, n, &k->check);
	} else if (n->kind == CHANGE_INDEX) {
		const struct ir_index *ix = n->k->c;
		for (size_t i = 0; i < ix->nelems; i++) {
			if (ix->elems[i].column)
				vec_push(w->df->a, &n->refs, (void *)ix->elems[i].column);
			else
				read_expr_refs(w, n, &ix->elems[i].expr);
		}
		push_names(w, n, &ix->include);
		read_expr_refs(w, n, &ix->where);
	} else {
		read_expr_refs(w, n, &((const struct ir_column *)n->k->c)->generated);
	}
	return &n->refs;
}

/* ---- the rules: in which directions, and why, a node must move ---- */

struct cause {
	unsigned mask;
	const char *reason;
};

static void because(struct walk *w, struct cause *out, unsigned mask,
		    const char *fmt, const char *a, const char *b)
{
	if (!(mask & ~out->mask))
		return;
	out->mask |= mask;
	if (!out->reason)
		out->reason = arena_printf(w->df->a, fmt, a, b);
}

static const char *node_name(const struct node *n)
{
	if (n->kind == CHANGE_CONSTRAINT)
		return ((const struct ir_constraint *)n->k->c)->name;
	if (n->kind == CHANGE_INDEX)
		return ((const struct ir_index *)n->k->c)->name;
	return ((const struct ir_column *)n->k->c)->name;
}

static const char *display_name(struct walk *w, const struct node *n)
{
	if (n->kind == CHANGE_COLUMN)
		return arena_printf(w->df->a, "%s.%s", n->k->ct->name,
				    ((const struct ir_column *)n->k->c)->name);
	return node_name(n);
}

/* A foreign key: its key, its columns on both ends. */
static void foreign_key_rules(struct walk *w, struct node *n, struct cause *out)
{
	const struct ir_constraint *fk = n->k->c;
	const char *name = fk->name;
	const struct ir_table *target = ir_table_find(w->df->cur, fk->ref_schema,
						      fk->ref_table);
	if (!target)
		return;
	if (fk->ref_index) {
		unsigned m = mask_of(w, &w->dropped_keys, target->key, fk->ref_index);
		because(w, out, m, "%s uses key %s",
			name, arena_printf(w->df->a, "%s of %s", fk->ref_index, target->name));
	}
	for (size_t i = 0; i < fk->cols.len && i < fk->ref_cols.len; i++) {
		const char *col = fk->cols.items[i], *ref = fk->ref_cols.items[i];
		unsigned both = mask_of(w, &w->retyped, n->k->ct->key, col) &
				mask_of(w, &w->retyped, target->key, ref);
		because(w, out, both, "%s links %s, whose types change on both ends",
			name, arena_printf(w->df->a, "%s.%s and %s.%s", n->k->ct->name,
					   col, target->name, ref));
		because(w, out, mask_of(w, &w->recreated_cols, target->key, ref),
			"%s references %s, which is re-created", name,
			arena_printf(w->df->a, "%s.%s", target->name, ref));
	}
}

/* Expressions that spell a value of a type being rebuilt. */
static void rebuilt_type_rules(struct walk *w, struct node *n, struct cause *out)
{
	for (size_t i = 0; i < w->rebuilt.len; i++) {
		const struct rebuilt *r = w->rebuilt.items[i];
		bool uses = false;
		if (n->kind == CHANGE_CONSTRAINT) {
			const struct ir_constraint *k = n->k->c;
			uses = k->check.src && exprtok_casts_to(w->df->a, ir_expr_cmp(&k->check),
								r->type->schema, r->type->name, NULL);
		} else if (n->kind == CHANGE_INDEX) {
			const struct ir_index *ix = n->k->c;
			for (size_t e = 0; e < ix->nelems && !uses; e++)
				uses = !ix->elems[e].column &&
				       exprtok_casts_to(w->df->a, ir_expr_cmp(&ix->elems[e].expr),
							r->type->schema, r->type->name, NULL);
			uses = uses || (ix->where.src &&
					exprtok_casts_to(w->df->a, ir_expr_cmp(&ix->where),
							 r->type->schema, r->type->name, NULL));
		}
		if (uses)
			because(w, out, r->mask, "%s uses type %s, which is rebuilt",
				node_name(n), r->type->name);
	}
}

/* Columns of its own table the node reads that are re-created or, for a
 * generated column, change type. */
static void column_rules(struct walk *w, struct node *n, struct cause *out)
{
	const struct vec *refs = node_refs(w, n);
	const char *tkey = n->k->ct->key;
	for (size_t i = 0; i < refs->len; i++) {
		const char *col = refs->items[i];
		const char *what = display_name(w, n);
		because(w, out, mask_of(w, &w->recreated_cols, tkey, col),
			"%s uses column %s, which is re-created", what, col);
		if (n->kind == CHANGE_COLUMN)
			because(w, out, mask_of(w, &w->retyped, tkey, col),
				"%s is computed from column %s, whose type changes", what, col);
	}
}

static struct cause evaluate(struct walk *w, struct node *n)
{
	struct cause out = { n->mask, n->reason };
	if (n->kind == CHANGE_CONSTRAINT &&
	    ((const struct ir_constraint *)n->k->c)->kind == IR_CON_FOREIGN)
		foreign_key_rules(w, n, &out);
	if (n->kind != CHANGE_COLUMN)
		rebuilt_type_rules(w, n, &out);
	column_rules(w, n, &out);
	return out;
}

/* What moving the node puts in the way of others. */
static void publish(struct walk *w, const struct node *n)
{
	const struct ir_table *t = n->k->ct;
	if (n->kind == CHANGE_COLUMN) {
		add_mask(w, &w->recreated_cols, t->key,
			 ((const struct ir_column *)n->k->c)->name, n->mask);
	} else if (n->kind == CHANGE_CONSTRAINT) {
		const struct ir_constraint *k = n->k->c;
		if (is_key(k->kind))
			add_mask(w, &w->dropped_keys, t->key, k->name, n->mask);
	} else if (((const struct ir_index *)n->k->c)->unique) {
		add_mask(w, &w->dropped_keys, t->key,
			 ((const struct ir_index *)n->k->c)->name, n->mask);
	}
}

static bool nothing_to_follow(const struct walk *w)
{
	return !w->retyped.len && !w->recreated_cols.len && !w->dropped_keys.len &&
	       !w->rebuilt.len;
}

void diff_walk_dependencies(struct differ *df)
{
	struct walk w = { 0 };
	w.df = df;
	hmap_init(&w.retyped, df->a);
	hmap_init(&w.recreated_cols, df->a);
	hmap_init(&w.dropped_keys, df->a);
	for (size_t i = 0; i < df->cl->changes.len; i++)
		seed(&w, df->cl->changes.items[i]);
	if (nothing_to_follow(&w)) {
		strbuf_release(&w.key);
		return;
	}
	collect_nodes(&w);
	/* Each pass can only add direction bits, so this ends; chains of
	 * dependents are short, so it ends after a few passes. */
	for (bool changed = true; changed;) {
		changed = false;
		for (size_t i = 0; i < w.nodes.len; i++) {
			struct node *n = w.nodes.items[i];
			struct cause c = evaluate(&w, n);
			if (c.mask == n->mask)
				continue;
			n->mask = c.mask;
			n->reason = c.reason;
			publish(&w, n);
			changed = true;
		}
	}
	for (size_t i = 0; i < w.nodes.len; i++) {
		const struct node *n = w.nodes.items[i];
		if (n->mask)
			diff_recreate(df, n->kind, n->k->ct, n->k->wt, n->k->c, n->k->w,
				      n->reason, n->mask & UP, n->mask & DOWN);
	}
	strbuf_release(&w.key);
}

static void recreate_phases(enum change_kind kind, const void *obj,
			    enum change_phase *drop, enum change_phase *add)
{
	if (kind == CHANGE_CONSTRAINT &&
	    ((const struct ir_constraint *)obj)->kind == IR_CON_FOREIGN) {
		*drop = PHASE_FK_DROP;
		*add = PHASE_FK_ADD;
	} else if (kind == CHANGE_CONSTRAINT) {
		*drop = PHASE_CONSTRAINT_DROP;
		*add = PHASE_CONSTRAINT_ADD;
	} else if (kind == CHANGE_INDEX) {
		*drop = PHASE_INDEX_DROP;
		*add = PHASE_INDEX_CREATE;
	} else {
		*drop = PHASE_GENERATED_DROP;
		*add = PHASE_GENERATED_ADD;
	}
}

void diff_recreate(struct differ *df, enum change_kind kind,
		   const struct ir_table *ct, const struct ir_table *wt,
		   const void *c, const void *w, const char *reason, bool up,
		   bool down)
{
	enum change_phase drop, add;
	recreate_phases(kind, c, &drop, &add);
	struct change *out = add_change(df, kind, drop, ct, wt, c, NULL);
	struct change *in = add_change(df, kind, add, ct, wt, NULL, w);
	out->reason = in->reason = reason;
	out->recreated = in->recreated = true;
	out->implied_up = in->implied_up = !up;
	out->implied_down = in->implied_down = !down;
}
