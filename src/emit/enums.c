/*
 * Enum label changes.  Renames and additions are done in place (RENAME
 * VALUE, ADD VALUE ... BEFORE/AFTER).  PostgreSQL cannot remove or reorder
 * labels, so then the type is rebuilt: the old one renamed aside, the new
 * one created, every column converted through text, the old type dropped.
 * The columns' defaults are dropped and set again around either path.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"
#include "emit/render_internal.h"
#include "emit/sqlgen.h"
#include "ir/enumlabels.h"
#include "ir/pgnames.h"
#include "ir/sqlname.h"

static void type_name(struct strbuf *sb, const struct ir_enum *e)
{
	sql_add_qname(sb, e->schema, e->name);
}

/* RENAME VALUE for the labels whose text differs once renamed, in the
 * order the desired enum lists them. */
static void renames(struct strbuf *sb, const struct ir_enum *from,
		    const char *const *from_after)
{
	for (size_t k = 0; k < from->labels.len; k++) {
		if (strcmp(from->labels.items[k], from_after[k]) == 0)
			continue;
		strbuf_addstr(sb, "ALTER TYPE ");
		type_name(sb, from);
		strbuf_addstr(sb, " RENAME VALUE ");
		sql_add_literal(sb, from->labels.items[k]);
		strbuf_addstr(sb, " TO ");
		sql_add_literal(sb, from_after[k]);
		strbuf_addstr(sb, ";\n");
	}
}

static bool in_list(const char **list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static const struct ir_column *from_col(const struct view *v, const struct enum_use *u)
{
	return v->up ? u->before : u->after;
}

static const struct ir_column *to_col(const struct view *v, const struct enum_use *u)
{
	return v->up ? u->after : u->before;
}

static void add_values(struct strbuf *sb, const struct ir_enum *from,
		       const char **from_after, size_t n, const struct ir_enum *to)
{
	for (size_t i = 0; i < to->labels.len; i++) {
		const char *label = to->labels.items[i];
		if (in_list(from_after, n, label))
			continue;
		strbuf_addstr(sb, "ALTER TYPE ");
		type_name(sb, from);
		strbuf_addstr(sb, " ADD VALUE ");
		sql_add_literal(sb, label);
		if (i > 0) {
			strbuf_addstr(sb, " AFTER ");
			sql_add_literal(sb, to->labels.items[i - 1]);
		} else if (n > 0) {
			/* The first label existing before: everything ahead of it
			 * is added in order right after this one. */
			strbuf_addstr(sb, " BEFORE ");
			sql_add_literal(sb, from_after[0]);
		}
		strbuf_addstr(sb, ";\n");
	}
}

static bool same_default(const struct ir_column *a, const struct ir_column *b)
{
	const char *x = a && a->def.src ? ir_expr_cmp(&a->def) : NULL;
	const char *y = b && b->def.src ? ir_expr_cmp(&b->def) : NULL;
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

static void drop_defaults(struct strbuf *sb, const struct view *v, bool all)
{
	for (size_t k = 0; k < v->c->enum_uses.len; k++) {
		const struct enum_use *u = v->c->enum_uses.items[k];
		const struct ir_column *f = from_col(v, u), *t = to_col(v, u);
		if (!f || !f->def.src || (!all && same_default(f, t)))
			continue;
		render_alter_column(sb, u->table, u->before->name);
		strbuf_addstr(sb, "DROP DEFAULT;\n");
	}
}

static void set_defaults(struct strbuf *sb, const struct view *v, bool all)
{
	for (size_t k = 0; k < v->c->enum_uses.len; k++) {
		const struct enum_use *u = v->c->enum_uses.items[k];
		const struct ir_column *f = from_col(v, u), *t = to_col(v, u);
		if (!t || !t->def.src || (!all && same_default(f, t)))
			continue;
		render_alter_column(sb, u->table, u->before->name);
		strbuf_addstr(sb, "SET DEFAULT ");
		strbuf_addstr(sb, t->def.src);
		strbuf_addstr(sb, ";\n");
	}
}

static void rebuild(struct strbuf *sb, const struct view *v,
		    const struct ir_enum *from, const char **from_after,
		    const struct ir_enum *to, struct strbuf *tmp)
{
	struct strbuf removed = STRBUF_INIT;
	for (size_t i = 0; i < from->labels.len; i++) {
		if (enum_has_label(to, from_after[i]))
			continue;
		if (removed.len)
			strbuf_addstr(&removed, ", ");
		sql_add_literal(&removed, from_after[i]);
	}
	strbuf_reset(tmp);
	type_name(tmp, to);
	if (removed.len)
		render_warn(sb, "rebuilds type %s without %s: fails if a row still holds a removed label",
			    strbuf_str(tmp), strbuf_str(&removed));
	else if (!enum_labels_additive(from_after, from->labels.len, to))
		render_warn(sb, "rebuilds type %s to reorder its labels (rewrites the tables that use it)%s",
			    strbuf_str(tmp), "");
	else
		render_warn(sb, "rebuilds type %s so that this revision can use its new labels "
			    "(rewrites the tables that use it)%s", strbuf_str(tmp), "");
	strbuf_release(&removed);

	struct strbuf old = STRBUF_INIT;
	pgname_build(&old, from->name, NULL, "c7old");
	strbuf_addstr(sb, "ALTER TYPE ");
	type_name(sb, from);
	strbuf_addstr(sb, " RENAME TO ");
	sql_add_ident(sb, strbuf_str(&old));
	strbuf_addstr(sb, ";\n");
	sqlgen_create_enum(sb, to);
	drop_defaults(sb, v, true);
	for (size_t k = 0; k < v->c->enum_uses.len; k++) {
		const struct enum_use *u = v->c->enum_uses.items[k];
		const struct ir_type *t = &u->before->type;
		render_alter_column(sb, u->table, u->before->name);
		strbuf_addstr(sb, "TYPE ");
		ir_type_render(sb, t);
		strbuf_addstr(sb, " USING ");
		sql_add_ident(sb, u->before->name);
		strbuf_addstr(sb, t->is_array ? "::text[]::" : "::text::");
		ir_type_render(sb, t);
		strbuf_addstr(sb, ";\n");
	}
	set_defaults(sb, v, true);
	strbuf_addstr(sb, "DROP TYPE ");
	sql_add_qname(sb, from->schema, strbuf_str(&old));
	strbuf_addstr(sb, ";\n");
	strbuf_release(&old);
}

void render_enum_labels(struct strbuf *sb, const struct view *v,
			struct strbuf *tmp)
{
	const struct ir_enum *from = v->from, *to = v->to;
	const char **from_after = xcalloc(from->labels.len + 1, sizeof(char *));
	enum_labels_after_renames(from, to, v->c->after, v->up, from_after);
	renames(sb, from, from_after);
	size_t n = from->labels.len;
	if (!(v->up ? v->c->rebuild_up : v->c->rebuild_down)) {
		drop_defaults(sb, v, false);
		add_values(sb, from, from_after, n, to);
		set_defaults(sb, v, false);
	} else {
		/* The rebuild converts through text: renamed labels must carry
		 * their new text first, which the renames above did. */
		rebuild(sb, v, from, from_after, to, tmp);
	}
	free(from_after);
}
