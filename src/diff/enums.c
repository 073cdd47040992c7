/*
 * How each direction of an enum label change runs.  PostgreSQL adds and
 * renames labels in place, but cannot remove or reorder them: then the
 * type is rebuilt.  An added label also cannot be used in the transaction
 * that adds it ("unsafe use of new value"), so when anything the plan
 * creates afterwards in that direction names a new label — a default, a
 * check, an index predicate — the rebuild is used instead, since a type
 * created in the transaction can be used in it.
 */
#include <string.h>

#include "base/arena.h"
#include "diff/diff_internal.h"
#include "ir/enumlabels.h"
#include "ir/exprtok.h"

struct label_use {
	struct arena *a;
	const struct ir_enum *type; /* the enum as it is named */
	const char *label;
};

static bool expr_uses(const struct label_use *u, const struct ir_expr *e)
{
	return e->src && exprtok_casts_to(u->a, ir_expr_cmp(e), u->type->schema,
					  u->type->name, u->label);
}

static bool column_uses(const struct label_use *u, const struct ir_column *c)
{
	return c && (expr_uses(u, &c->def) || expr_uses(u, &c->generated));
}

static bool constraint_uses(const struct label_use *u, const struct ir_constraint *k)
{
	return k && (k->kind == IR_CON_CHECK || k->kind == IR_CON_EXCLUDE) &&
	       expr_uses(u, &k->check);
}

static bool index_uses(const struct label_use *u, const struct ir_index *ix)
{
	if (!ix)
		return false;
	for (size_t i = 0; i < ix->nelems; i++)
		if (!ix->elems[i].column && expr_uses(u, &ix->elems[i].expr))
			return true;
	return expr_uses(u, &ix->where);
}

static bool table_uses(const struct label_use *u, const struct ir_table *t)
{
	if (!t)
		return false;
	for (size_t i = 0; i < t->columns.len; i++)
		if (column_uses(u, t->columns.items[i]))
			return true;
	for (size_t i = 0; i < t->constraints.len; i++)
		if (constraint_uses(u, t->constraints.items[i]))
			return true;
	return false;
}

/* Whether something the change creates in this direction uses the label. */
static bool change_uses(const struct label_use *u, const struct change *c, bool up)
{
	const void *made = up ? c->after : c->before;
	switch (c->kind) {
	case CHANGE_TABLE:
		return table_uses(u, made);
	case CHANGE_COLUMN:
	case CHANGE_COLUMN_ALTER:
		return column_uses(u, made);
	case CHANGE_CONSTRAINT:
		return constraint_uses(u, made);
	case CHANGE_INDEX:
		return index_uses(u, made);
	case CHANGE_ENUM_LABELS: {
		/* The defaults it sets again on the type's own columns. */
		for (size_t k = 0; k < c->enum_uses.len; k++) {
			const struct enum_use *eu = c->enum_uses.items[k];
			if (column_uses(u, up ? eu->after : eu->before))
				return true;
		}
		return false;
	}
	default:
		return false;
	}
}

static bool new_label_used(struct differ *df, bool up,
			   const char *const *from_after, size_t n,
			   const struct ir_enum *to)
{
	struct label_use u = { df->a, to, NULL };
	for (size_t i = 0; i < to->labels.len; i++) {
		u.label = to->labels.items[i];
		bool existed = false;
		for (size_t k = 0; k < n && !existed; k++)
			existed = strcmp(from_after[k], u.label) == 0;
		if (existed)
			continue;
		for (size_t k = 0; k < df->cl->changes.len; k++)
			if (change_uses(&u, df->cl->changes.items[k], up))
				return true;
	}
	return false;
}

static bool rebuilds(struct differ *df, const struct change *ch, bool up)
{
	const struct ir_enum *from = up ? ch->before : ch->after;
	const struct ir_enum *to = up ? ch->after : ch->before;
	size_t n = from->labels.len;
	const char **from_after = arena_array(df->a, n + 1, sizeof(char *));
	enum_labels_after_renames(from, to, ch->after, up, from_after);
	return !enum_labels_additive(from_after, n, to) ||
	       new_label_used(df, up, from_after, n, to);
}

void diff_plan_enums(struct differ *df)
{
	for (size_t i = 0; i < df->cl->changes.len; i++) {
		struct change *ch = df->cl->changes.items[i];
		if (ch->kind != CHANGE_ENUM_LABELS)
			continue;
		ch->rebuild_up = rebuilds(df, ch, true);
		ch->rebuild_down = rebuilds(df, ch, false);
	}
}
