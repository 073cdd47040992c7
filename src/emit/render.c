/*
 * Renders a change list in one direction.  A change is read as "from" ->
 * "to": before -> after for the upgrade, after -> before for the downgrade,
 * with the downgrade walking the plan backwards.
 */
#include "emit/emit.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/strbuf.h"
#include "diff/change.h"
#include "emit/render_internal.h"
#include "emit/sqlgen.h"
#include "ir/sqlname.h"

static struct view view_of(const struct change *c, bool up, struct steps *st)
{
	struct view v = { 0 };
	v.c = c;
	v.up = up;
	v.st = st;
	v.online = st->online && (up ? c->tbefore : c->tafter) != NULL;
	v.from = up ? c->before : c->after;
	v.to = up ? c->after : c->before;
	v.sfrom = up ? c->sbefore : c->safter;
	v.sto = up ? c->safter : c->sbefore;
	/* Before the rename phases the old names hold, after them the new
	 * ones, whichever direction the script runs in. */
	if (c->phase < PHASE_TABLE_RENAME)
		v.table = c->tbefore ? c->tbefore : c->tafter;
	else
		v.table = c->tafter ? c->tafter : c->tbefore;
	return v;
}

/* The name a column has when a change's statement runs: as for tables,
 * the old name before the rename phases and the new one after them, in
 * both directions.  A column renamed and altered (or re-commented) in one
 * revision is altered under its new name by the upgrade and, since the
 * downgrade renames it back only afterwards, by the downgrade too. */
static const char *column_name_then(const struct change *c)
{
	const struct ir_column *b = c->before, *a = c->after;
	if (c->phase < PHASE_TABLE_RENAME)
		return b ? b->name : a->name;
	return a ? a->name : b->name;
}

void render_warn(struct strbuf *sb, const char *fmt, const char *a,
		 const char *b)
{
	strbuf_addstr(sb, "-- WARNING: ");
	strbuf_addf(sb, fmt, a, b);
	strbuf_addch(sb, '\n');
}

const char *render_display(struct strbuf *tmp, const char *schema,
			   const char *name, const char *col)
{
	strbuf_reset(tmp);
	sql_add_qname(tmp, schema, name);
	if (col) {
		strbuf_addch(tmp, '.');
		sql_add_ident(tmp, col);
	}
	return strbuf_str(tmp);
}

void render_alter_table(struct strbuf *sb, const struct ir_table *t)
{
	strbuf_addstr(sb, "ALTER TABLE ");
	sqlgen_table(sb, t);
	strbuf_addch(sb, ' ');
}

/* ---- schemas, enums ---- */

static void render_schema(struct strbuf *sb, const struct view *v)
{
	if (v->sto) {
		strbuf_addstr(sb, "CREATE SCHEMA ");
		sql_add_ident(sb, v->sto);
	} else {
		strbuf_addstr(sb, "DROP SCHEMA ");
		sql_add_ident(sb, v->sfrom);
	}
	strbuf_addstr(sb, ";\n");
}

static void render_enum(struct strbuf *sb, const struct view *v)
{
	if (v->to) {
		sqlgen_create_enum(sb, v->to);
		return;
	}
	const struct ir_enum *e = v->from;
	strbuf_addstr(sb, "DROP TYPE ");
	sql_add_qname(sb, e->schema, e->name);
	strbuf_addstr(sb, ";\n");
}

/* IF [NOT] EXISTS: an extension is database-wide, and another
 * application's migrations may have created it first. */
static void render_extension(struct strbuf *sb, const struct view *v)
{
	const struct ir_extension *x = v->to ? v->to : v->from;
	if (!v->to) {
		strbuf_addstr(sb, "DROP EXTENSION IF EXISTS ");
		sql_add_ident(sb, x->name);
		strbuf_addstr(sb, ";\n");
		return;
	}
	sql_add_create_extension(sb, x->name, x->schema);
}

static void render_extension_schema(struct strbuf *sb, const struct view *v)
{
	const struct ir_extension *x = v->to;
	strbuf_addstr(sb, "ALTER EXTENSION ");
	sql_add_ident(sb, x->name);
	strbuf_addstr(sb, " SET SCHEMA ");
	sql_add_ident(sb, x->schema);
	strbuf_addstr(sb, ";\n");
}

static void render_sequence(struct strbuf *sb, const struct view *v)
{
	const struct ir_sequence *q = v->to ? v->to : v->from;
	strbuf_addstr(sb, v->to ? "CREATE SEQUENCE " : "DROP SEQUENCE ");
	sql_add_qname(sb, q->schema, q->name);
	if (v->to)
		sqlgen_sequence_options(sb, q, false);
	strbuf_addstr(sb, ";\n");
}

static void render_sequence_alter(struct strbuf *sb, const struct view *v)
{
	const struct ir_sequence *q = v->to, *was = v->from;
	/* ALTER SEQUENCE refuses bounds that exclude the current value: move
	 * the value inside first (a no-op when it already is). */
	if (was && (q->min > was->min || q->max < was->max)) {
		struct strbuf name = STRBUF_INIT;
		sql_add_qname(&name, q->schema, q->name);
		strbuf_addstr(sb, "SELECT pg_catalog.setval(");
		sql_add_literal(sb, strbuf_str(&name));
		strbuf_addf(sb, ", CASE WHEN last_value < %lld THEN %lld ELSE %lld END, false)"
			    " FROM %s WHERE last_value < %lld OR last_value > %lld;\n",
			    q->min, q->min, q->max, strbuf_str(&name), q->min, q->max);
		strbuf_release(&name);
	}
	strbuf_addstr(sb, "ALTER SEQUENCE ");
	sql_add_qname(sb, q->schema, q->name);
	sqlgen_sequence_options(sb, q, true);
	strbuf_addstr(sb, ";\n");
}

/* ---- tables ---- */

static void render_table(struct strbuf *sb, const struct view *v,
			 struct strbuf *tmp)
{
	if (v->to) {
		const struct ir_table *t = v->to;
		if (!v->up)
			render_warn(sb, "re-creates table %s empty; its data is not restored%s",
			     render_display(tmp, t->schema, t->name, NULL), "");
		sqlgen_create_table(sb, t, v->up ? &v->c->inline_fks : NULL);
		return;
	}
	const struct ir_table *t = v->from;
	render_warn(sb, "drops table %s and all its data%s",
	     render_display(tmp, t->schema, t->name, NULL), "");
	strbuf_addstr(sb, "DROP TABLE ");
	sqlgen_table(sb, t);
	strbuf_addstr(sb, ";\n");
}

static void render_table_rename(struct strbuf *sb, const struct view *v)
{
	const struct ir_table *from = v->from, *to = v->to;
	if (strcmp(from->schema, to->schema) != 0) {
		render_alter_table(sb, from);
		strbuf_addstr(sb, "SET SCHEMA ");
		sql_add_ident(sb, to->schema);
		strbuf_addstr(sb, ";\n");
	}
	if (strcmp(from->name, to->name) != 0) {
		strbuf_addstr(sb, "ALTER TABLE ");
		sql_add_qname(sb, to->schema, from->name);
		strbuf_addstr(sb, " RENAME TO ");
		sql_add_ident(sb, to->name);
		strbuf_addstr(sb, ";\n");
	}
}

/* ---- columns ---- */

static bool needs_default_for_rows(const struct ir_column *c)
{
	return c->not_null && !c->def.src && !c->identity && !c->generated.src &&
	       !c->type.serial;
}

/* A new column whose value is computed for each existing row makes
 * ADD COLUMN rewrite the table: a stored generated column, an identity or
 * serial, a default the server must call once per row.  Which defaults
 * are volatile is the catalog's to say; these are the common ones. */
static bool fills_rows(const struct ir_column *c)
{
	static const char *const volatile_calls[] = {
		"random(", "gen_random_uuid(", "uuid_generate_v", "clock_timestamp(",
		"timeofday(", "nextval(",
	};
	if (c->generated.src || c->identity || c->type.serial)
		return true;
	for (size_t i = 0; c->def.src && i < sizeof(volatile_calls) / sizeof(*volatile_calls); i++)
		if (strstr(c->def.src, volatile_calls[i]))
			return true;
	return false;
}

static void comment_on_column(struct strbuf *sb, const struct ir_table *t,
			      const struct ir_column *c)
{
	strbuf_addstr(sb, "COMMENT ON COLUMN ");
	sqlgen_table(sb, t);
	strbuf_addch(sb, '.');
	sql_add_ident(sb, c->name);
	strbuf_addstr(sb, " IS ");
	sql_add_literal(sb, c->comment);
	strbuf_addstr(sb, ";\n");
}

static void add_column(struct strbuf *sb, const struct ir_table *t,
		       const struct ir_column *c)
{
	render_alter_table(sb, t);
	strbuf_addstr(sb, "ADD COLUMN ");
	sql_add_ident(sb, c->name);
	strbuf_addch(sb, ' ');
	sqlgen_column_body(sb, c, false);
	strbuf_addstr(sb, ";\n");
}

static void drop_column(struct strbuf *sb, const struct ir_table *t,
			const struct ir_column *c)
{
	render_alter_table(sb, t);
	strbuf_addstr(sb, "DROP COLUMN ");
	sql_add_ident(sb, c->name);
	strbuf_addstr(sb, ";\n");
}

/* A column dropped and added again around other changes.  A generated
 * column loses nothing: its values are computed again.  A plain column on
 * either side of the pair (one becoming generated, or back) does. */
static void render_recreated_column(struct strbuf *sb, const struct view *v,
				    struct strbuf *tmp)
{
	const struct ir_table *t = v->table;
	if (!v->to) {
		const struct ir_column *c = v->from;
		if (!c->generated.src)
			render_warn(sb, "replaces column %s by a generated column: its stored values are lost%s",
				    render_display(tmp, t->schema, t->name, c->name), "");
		drop_column(sb, t, c);
		return;
	}
	const struct ir_column *c = v->to;
	if (!c->generated.src)
		render_warn(sb, "re-creates column %s empty; its data is not restored%s",
			    render_display(tmp, t->schema, t->name, c->name), "");
	add_column(sb, t, c);
	if (c->comment)
		comment_on_column(sb, t, c);
}

static void render_column(struct strbuf *sb, const struct view *v,
			  struct strbuf *tmp)
{
	const struct ir_table *t = v->table;
	if (v->c->recreated) {
		render_recreated_column(sb, v, tmp);
		return;
	}
	if (v->to) {
		const struct ir_column *c = v->to;
		if (!v->up)
			render_warn(sb, "re-creates column %s empty; its data is not restored%s",
			     render_display(tmp, t->schema, t->name, c->name), "");
		if (needs_default_for_rows(c))
			render_warn(sb, "adds NOT NULL column %s without a default: fails if %s has rows",
			     render_display(tmp, t->schema, t->name, c->name), t->name);
		if (fills_rows(c))
			render_lock(sb, v->st, "rewrites table %s to fill column %s for every row, "
				    "under ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite",
				    render_display(tmp, t->schema, t->name, NULL), c->name);
		add_column(sb, t, c);
		return;
	}
	const struct ir_column *c = v->from;
	render_warn(sb, "drops column %s and its data%s",
	     render_display(tmp, t->schema, t->name, c->name), "");
	drop_column(sb, t, c);
}

static void render_column_rename(struct strbuf *sb, const struct view *v)
{
	const struct ir_column *from = v->from, *to = v->to;
	render_alter_table(sb, v->table);
	strbuf_addstr(sb, "RENAME COLUMN ");
	sql_add_ident(sb, from->name);
	strbuf_addstr(sb, " TO ");
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, ";\n");
}

void render_alter_column(struct strbuf *sb, const struct ir_table *t,
			 const char *col)
{
	render_alter_table(sb, t);
	strbuf_addstr(sb, "ALTER COLUMN ");
	sql_add_ident(sb, col);
	strbuf_addch(sb, ' ');
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Base type without modifiers or array marks: "character varying". */
static void base_of(struct strbuf *out, const char *canon)
{
	strbuf_reset(out);
	for (const char *p = canon; *p; p++) {
		if (*p == '(') {
			while (*p && *p != ')')
				p++;
			if (!*p)
				break;
			continue;
		}
		strbuf_addch(out, *p);
	}
}

static long modifier(const char *canon)
{
	const char *p = strchr(canon, '(');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

/* Changes PostgreSQL makes without losing values. */
static bool is_widening(const char *from, const char *to)
{
	static const char *const ladder[][2] = {
		{ "smallint", "integer" },     { "smallint", "bigint" },
		{ "integer", "bigint" },       { "smallint", "numeric" },
		{ "integer", "numeric" },      { "bigint", "numeric" },
		{ "real", "double precision" }, { "character varying", "text" },
		{ "character", "text" },       { "character", "character varying" },
		{ "date", "timestamp without time zone" },
		{ "date", "timestamp with time zone" },
		{ "json", "jsonb" },
	};
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	base_of(&a, from);
	base_of(&b, to);
	bool ok = false;
	if (strcmp(a.buf, b.buf) == 0) {
		long ma = modifier(from), mb = modifier(to);
		/* Same type: wider or no limit is safe; numeric scale is not. */
		ok = (mb < 0 || (ma >= 0 && mb >= ma)) &&
		     strcmp(a.buf, "numeric") != 0;
		if (strcmp(a.buf, "numeric") == 0)
			ok = mb < 0 || strcmp(from, to) == 0;
	}
	for (size_t i = 0; !ok && i < sizeof(ladder) / sizeof(*ladder); i++)
		ok = strcmp(a.buf, ladder[i][0]) == 0 && strcmp(b.buf, ladder[i][1]) == 0 &&
		     (modifier(to) < 0);
	strbuf_release(&a);
	strbuf_release(&b);
	return ok;
}

static int family(const char *base)
{
	static const char *const strings[] = { "text", "character varying",
					       "character", "bpchar" };
	static const char *const numbers[] = { "smallint", "integer", "bigint",
					       "numeric", "real", "double precision" };
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++)
		if (strcmp(base, strings[i]) == 0)
			return 1;
	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		if (strcmp(base, numbers[i]) == 0)
			return 2;
	return 0;
}

/* PostgreSQL converts within these families by assignment, with no USING. */
static bool assignable(const char *from, const char *to)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	base_of(&a, from);
	base_of(&b, to);
	int fa = family(strbuf_str(&a)), fb = family(strbuf_str(&b));
	bool ok = strcmp(strbuf_str(&a), strbuf_str(&b)) == 0 || (fa && fa == fb);
	strbuf_release(&a);
	strbuf_release(&b);
	return ok;
}

/* The precision and scale of "numeric(10,2)": -1 where not given. */
static void numeric_mods(const char *canon, long *p, long *s)
{
	*p = modifier(canon);
	const char *comma = strchr(canon, ',');
	*s = comma ? strtol(comma + 1, NULL, 10) : (*p >= 0 ? 0 : -1);
}

/* Type changes PostgreSQL makes in its catalog alone, with no rewrite and
 * no scan (ALTER TABLE's documentation; the length coercions' support
 * functions): a varchar or bit varying limit raised or removed, varchar
 * and text to each other unlimited, numeric precision raised at the same
 * scale or the limit removed, timestamp, timestamptz and interval
 * precision raised or removed, cidr to inet.  Arrays are coerced element
 * by element, which rewrites. */
static bool in_place(const char *from, const char *to)
{
	if (strchr(from, '[') || strchr(to, '['))
		return false;
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	base_of(&a, from);
	base_of(&b, to);
	const char *fa = strbuf_str(&a), *fb = strbuf_str(&b);
	long ma = modifier(from), mb = modifier(to);
	bool same = strcmp(fa, fb) == 0, ok = false;
	bool raised = mb < 0 || (ma >= 0 && mb >= ma);
	if (same && strcmp(fa, "numeric") == 0) {
		long pa, sa, pb, sbb;
		numeric_mods(from, &pa, &sa);
		numeric_mods(to, &pb, &sbb);
		ok = pb < 0 || (pa >= 0 && pb >= pa && sbb == sa);
	} else if (same) {
		static const char *const limited[] = {
			"character varying", "bit varying", "timestamp without time zone",
			"timestamp with time zone", "interval",
		};
		for (size_t i = 0; i < sizeof(limited) / sizeof(*limited); i++)
			ok = ok || (strcmp(fa, limited[i]) == 0 && raised);
	} else {
		ok = (strcmp(fa, "character varying") == 0 && strcmp(fb, "text") == 0) ||
		     (strcmp(fa, "text") == 0 && strcmp(fb, "character varying") == 0 && mb < 0) ||
		     (strcmp(fa, "cidr") == 0 && strcmp(fb, "inet") == 0);
	}
	strbuf_release(&a);
	strbuf_release(&b);
	return ok;
}

static void set_type(struct strbuf *sb, const struct view *v,
		     const struct ir_column *from, const struct ir_column *to,
		     struct strbuf *tmp)
{
	const struct ir_table *t = v->table;
	bool cheap = in_place(from->type.canon, to->type.canon);
	if (!cheap && !is_widening(from->type.canon, to->type.canon))
		render_warn(sb, "changes the type of %s to %s: fails or loses data if values do not fit",
		     render_display(tmp, t->schema, t->name, to->name), to->type.canon);
	if (!cheap && !str_eq(from->type.canon, to->type.canon))
		render_lock(sb, v->st, "rewrites table %s and its indexes (type of %s) under "
			    "ACCESS EXCLUSIVE: reads and writes wait for the whole rewrite",
			    render_display(tmp, t->schema, t->name, NULL), to->name);
	render_alter_column(sb, t, to->name);
	strbuf_addstr(sb, "TYPE ");
	struct ir_type plain = to->type;
	plain.serial = 0;
	ir_type_render(sb, &plain);
	if (to->collation) {
		strbuf_addstr(sb, " COLLATE ");
		sql_add_ident(sb, to->collation);
	}
	/* Say how to convert when there is no assignment cast; enums and
	 * other user types convert through their text form. */
	if (!assignable(from->type.canon, to->type.canon) &&
	    !is_widening(from->type.canon, to->type.canon)) {
		strbuf_addstr(sb, " USING ");
		sql_add_ident(sb, from->name);
		if (from->type.user_schema || to->type.user_schema)
			strbuf_addstr(sb, to->type.is_array ? "::text[]" : "::text");
		strbuf_addstr(sb, "::");
		ir_type_render(sb, &plain);
	}
	strbuf_addstr(sb, ";\n");
}

static void set_default(struct strbuf *sb, const struct ir_table *t,
			const struct ir_column *to)
{
	render_alter_column(sb, t, to->name);
	if (to->def.src) {
		strbuf_addstr(sb, "SET DEFAULT ");
		strbuf_addstr(sb, to->def.src);
	} else {
		strbuf_addstr(sb, "DROP DEFAULT");
	}
	strbuf_addstr(sb, ";\n");
}

/* A generated column becoming a plain one of the same type keeps its
 * values; every other change of the generation expression is a drop and
 * an add planned by the differ (a CHANGE_COLUMN pair). */
static void drop_expression(struct strbuf *sb, const struct ir_table *t,
			    const struct ir_column *from, const struct ir_column *to)
{
	if (!from->generated.src || to->generated.src)
		return;
	render_alter_column(sb, t, to->name);
	strbuf_addstr(sb, "DROP EXPRESSION;\n");
}

static void sequence_name(struct strbuf *sb, const struct ir_table *t,
			  const struct ir_column *c)
{
	sql_add_qname(sb, t->schema, c->seq_name);
}

static void set_nextval(struct strbuf *sb, const struct ir_table *t,
			const struct ir_column *c)
{
	render_alter_column(sb, t, c->name);
	strbuf_addstr(sb, "SET DEFAULT nextval(");
	struct strbuf seq = STRBUF_INIT;
	sequence_name(&seq, t, c);
	sql_add_literal(sb, strbuf_str(&seq));
	strbuf_addstr(sb, "::regclass);\n");
	strbuf_release(&seq);
}

/* The sequence stays, standalone on one side: only its owner changes. */
static void hand_over_sequence(struct strbuf *sb, const struct ir_table *t,
			       const struct ir_column *from, const struct ir_column *to)
{
	if (from->type.serial) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, "DROP DEFAULT;\n");
		strbuf_addstr(sb, "ALTER SEQUENCE ");
		sequence_name(sb, t, from);
		strbuf_addstr(sb, " OWNED BY NONE;\n");
		return;
	}
	strbuf_addstr(sb, "ALTER SEQUENCE ");
	sequence_name(sb, t, to);
	strbuf_addstr(sb, " OWNED BY ");
	sqlgen_table(sb, t);
	strbuf_addch(sb, '.');
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, ";\n");
	set_nextval(sb, t, to);
}

/* serial <-> plain integer: the owned sequence and its default. */
static void change_serial(struct strbuf *sb, const struct ir_table *t,
			  const struct ir_column *from, const struct ir_column *to,
			  bool keep)
{
	if (keep) {
		hand_over_sequence(sb, t, from, to);
		return;
	}
	if (from->type.serial) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, "DROP DEFAULT;\n");
		strbuf_addstr(sb, "DROP SEQUENCE ");
		sequence_name(sb, t, from);
		strbuf_addstr(sb, ";\n");
		return;
	}
	struct ir_type plain = to->type;
	plain.serial = 0;
	strbuf_addstr(sb, "CREATE SEQUENCE ");
	sequence_name(sb, t, to);
	strbuf_addstr(sb, " AS ");
	ir_type_render(sb, &plain);
	strbuf_addstr(sb, " OWNED BY ");
	sqlgen_table(sb, t);
	strbuf_addch(sb, '.');
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, ";\n");
	set_nextval(sb, t, to);
	struct strbuf seq = STRBUF_INIT;
	sequence_name(&seq, t, to);
	strbuf_addstr(sb, "SELECT setval(");
	sql_add_literal(sb, strbuf_str(&seq));
	strbuf_addstr(sb, ", coalesce(max(");
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, "), 0) + 1, false) FROM ");
	sqlgen_table(sb, t);
	strbuf_addstr(sb, ";\n");
	strbuf_release(&seq);
}

static char sequence_width(const struct ir_column *c)
{
	return c->seq_width ? c->seq_width : c->type.serial;
}

/* A serial column's sequence follows its type: the server widens an
 * identity's sequence with the column, but not a serial's. */
static void widen_sequence(struct strbuf *sb, const struct ir_table *t,
			   const struct ir_column *from, const struct ir_column *to)
{
	if (sequence_width(from) == sequence_width(to))
		return;
	strbuf_addstr(sb, "ALTER SEQUENCE ");
	sequence_name(sb, t, to);
	char w = sequence_width(to);
	strbuf_addstr(sb, w == 'b' ? " AS bigint;\n" : w == 's' ? " AS smallint;\n"
		      : " AS integer;\n");
}

/* An identity's sequence options: the wanted ones, every one spelled out,
 * so options going back to their defaults are set too. */
static void identity_options(struct strbuf *sb, const struct ir_table *t,
			     const struct ir_column *from, const struct ir_column *to)
{
	const struct ir_sequence *b = to->identity_seq;
	if (ir_identity_options_equal(from->identity_seq, b))
		return;
	struct ir_sequence want = { 0 };
	if (b) {
		want = *b;
	} else {
		want.type = to->type.canon;
		ir_sequence_defaults(&want, false, false, false, false, false);
	}
	render_alter_column(sb, t, to->name);
	strbuf_setlen(sb, sb->len - 1); /* the space after the column name */
	sqlgen_identity_set(sb, &want);
	strbuf_addstr(sb, ";\n");
}

static void render_column_alter(struct strbuf *sb, const struct view *v,
				struct strbuf *tmp)
{
	struct ir_column from_now = *(const struct ir_column *)v->from;
	struct ir_column to_now = *(const struct ir_column *)v->to;
	from_now.name = to_now.name = column_name_then(v->c);
	const struct ir_column *from = &from_now, *to = &to_now;
	const struct ir_table *t = v->table;
	drop_expression(sb, t, from, to);
	bool type_change = !str_eq(from->type.canon, to->type.canon) ||
			   !str_eq(from->collation, to->collation);
	bool default_change = !v->c->skip_default &&
			      !ir_expr_equal(&from->def, &to->def);
	if (from->identity && !to->identity) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, "DROP IDENTITY;\n");
	}
	if (from->type.serial && !to->type.serial)
		change_serial(sb, t, from, to, v->c->keep_sequence);
	/* The old default may not convert to the new type: drop it first. */
	if (type_change && from->def.src && !v->c->skip_default) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, "DROP DEFAULT;\n");
		default_change = to->def.src != NULL;
	}
	if (type_change)
		set_type(sb, v, from, to, tmp);
	if (default_change && (to->def.src || from->def.src))
		set_default(sb, t, to);
	if (from->not_null && !to->not_null) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, "DROP NOT NULL;\n");
	} else if (!from->not_null && to->not_null) {
		/* Also needed before an identity is added. */
		render_warn(sb, "sets NOT NULL on %s: fails if it holds NULLs%s",
		     render_display(tmp, t->schema, t->name, to->name), "");
		if (v->online) {
			online_set_not_null(sb, v, to);
		} else {
			render_alter_column(sb, t, to->name);
			strbuf_addstr(sb, "SET NOT NULL;\n");
		}
	}
	if (!from->type.serial && to->type.serial)
		change_serial(sb, t, from, to, v->c->keep_sequence);
	else if (from->type.serial && to->type.serial)
		widen_sequence(sb, t, from, to);
	if (!from->identity && to->identity) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, to->identity == 'a' ? "ADD GENERATED ALWAYS AS IDENTITY"
				  : "ADD GENERATED BY DEFAULT AS IDENTITY");
		sqlgen_identity_options(sb, to);
		strbuf_addstr(sb, ";\n");
	} else if (from->identity && to->identity && from->identity != to->identity) {
		render_alter_column(sb, t, to->name);
		strbuf_addstr(sb, to->identity == 'a' ? "SET GENERATED ALWAYS;\n"
				  : "SET GENERATED BY DEFAULT;\n");
	}
	if (from->identity && to->identity)
		identity_options(sb, t, from, to);
}

/* ---- constraints and indexes ---- */

static void render_constraint(struct strbuf *sb, const struct view *v)
{
	if (online_constraint(sb, v))
		return;
	render_alter_table(sb, v->table);
	if (v->to) {
		const struct ir_constraint *c = v->to;
		strbuf_addstr(sb, "ADD CONSTRAINT ");
		sql_add_ident(sb, c->name);
		strbuf_addch(sb, ' ');
		sqlgen_constraint_body(sb, c);
		if (c->not_valid)
			strbuf_addstr(sb, " NOT VALID");
	} else {
		const struct ir_constraint *c = v->from;
		strbuf_addstr(sb, "DROP CONSTRAINT ");
		sql_add_ident(sb, c->name);
	}
	strbuf_addstr(sb, ";\n");
}

static void render_constraint_rename(struct strbuf *sb, const struct view *v)
{
	const struct ir_constraint *from = v->from, *to = v->to;
	render_alter_table(sb, v->table);
	strbuf_addstr(sb, "RENAME CONSTRAINT ");
	sql_add_ident(sb, from->name);
	strbuf_addstr(sb, " TO ");
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, ";\n");
}

static void render_index(struct strbuf *sb, const struct view *v)
{
	if (online_index(sb, v))
		return;
	if (v->to) {
		sqlgen_create_index(sb, v->table, v->to);
		return;
	}
	const struct ir_index *ix = v->from;
	strbuf_addstr(sb, "DROP INDEX ");
	sql_add_qname(sb, v->table->schema, ix->name);
	strbuf_addstr(sb, ";\n");
}

static void render_index_rename(struct strbuf *sb, const struct view *v)
{
	const struct ir_index *from = v->from, *to = v->to;
	strbuf_addstr(sb, "ALTER INDEX ");
	sql_add_qname(sb, v->table->schema, from->name);
	strbuf_addstr(sb, " RENAME TO ");
	sql_add_ident(sb, to->name);
	strbuf_addstr(sb, ";\n");
}

static void render_comment(struct strbuf *sb, const struct view *v)
{
	const struct ir_table *t = v->table;
	if (v->c->kind == CHANGE_TABLE_COMMENT) {
		strbuf_addstr(sb, "COMMENT ON TABLE ");
		sqlgen_table(sb, t);
	} else {
		strbuf_addstr(sb, "COMMENT ON COLUMN ");
		sqlgen_table(sb, t);
		strbuf_addch(sb, '.');
		sql_add_ident(sb, column_name_then(v->c));
	}
	strbuf_addstr(sb, " IS ");
	if (v->sto)
		sql_add_literal(sb, v->sto);
	else
		strbuf_addstr(sb, "NULL");
	strbuf_addstr(sb, ";\n");
}

static void render_one(struct strbuf *sb, const struct view *v,
		       struct strbuf *tmp)
{
	switch (v->c->kind) {
	case CHANGE_SCHEMA:
		render_schema(sb, v);
		break;
	case CHANGE_ENUM:
		render_enum(sb, v);
		break;
	case CHANGE_ENUM_LABELS:
		render_enum_labels(sb, v, tmp);
		break;
	case CHANGE_EXTENSION:
		render_extension(sb, v);
		break;
	case CHANGE_EXTENSION_SCHEMA:
		render_extension_schema(sb, v);
		break;
	case CHANGE_SEQUENCE:
		render_sequence(sb, v);
		break;
	case CHANGE_SEQUENCE_ALTER:
		render_sequence_alter(sb, v);
		break;
	case CHANGE_TABLE:
		render_table(sb, v, tmp);
		break;
	case CHANGE_TABLE_RENAME:
		render_table_rename(sb, v);
		break;
	case CHANGE_COLUMN:
		render_column(sb, v, tmp);
		break;
	case CHANGE_COLUMN_RENAME:
		render_column_rename(sb, v);
		break;
	case CHANGE_COLUMN_ALTER:
		render_column_alter(sb, v, tmp);
		break;
	case CHANGE_CONSTRAINT:
		render_constraint(sb, v);
		break;
	case CHANGE_CONSTRAINT_RENAME:
		render_constraint_rename(sb, v);
		break;
	case CHANGE_INDEX:
		render_index(sb, v);
		break;
	case CHANGE_INDEX_RENAME:
		render_index_rename(sb, v);
		break;
	case CHANGE_TABLE_COMMENT:
	case CHANGE_COLUMN_COMMENT:
		render_comment(sb, v);
		break;
	}
}

/* "schema.name" of an index for matching its drop with its creation. */
static const char *index_key(struct arena *a, const struct view *v)
{
	const struct ir_index *ix = v->to ? v->to : v->from;
	return arena_printf(a, "%s.%s", v->table->schema, ix->name);
}

/* Marks the index changes that drop and create one name in this
 * direction (its definition changed) to be built beside the old one.  An
 * index taken out of the way for another change (`reason`) is not: that
 * change needs it gone first. */
static void find_swaps(struct arena *a, const struct change_list *cl, bool up,
		       struct steps *st, bool *swap)
{
	struct hmap drops, creates;
	hmap_init(&drops, a);
	hmap_init(&creates, a);
	const char **keys = arena_array(a, cl->changes.len ? cl->changes.len : 1, sizeof(*keys));
	for (size_t k = 0; k < cl->changes.len; k++) {
		const struct change *c = cl->changes.items[k];
		keys[k] = NULL;
		if (c->kind != CHANGE_INDEX || c->reason || c->recreated ||
		    (up ? c->implied_up : c->implied_down))
			continue;
		struct view v = view_of(c, up, st);
		if (!v.online)
			continue;
		keys[k] = index_key(a, &v);
		hmap_put(v.to ? &creates : &drops, keys[k], (void *)c);
	}
	for (size_t k = 0; k < cl->changes.len; k++)
		swap[k] = keys[k] && hmap_get(&drops, keys[k]) && hmap_get(&creates, keys[k]);
}

/* The change's own first statement runs outside a transaction: no
 * transactional step is opened for it. */
static bool starts_apart(const struct view *v)
{
	if (!v->online)
		return false;
	if (v->c->kind == CHANGE_INDEX)
		return true;
	if (v->c->kind != CHANGE_CONSTRAINT || !v->to)
		return false;
	const struct ir_constraint *k = v->to;
	return k->kind == IR_CON_PRIMARY || k->kind == IR_CON_UNIQUE;
}

size_t emit_sql(struct strbuf *sb, const struct change_list *cl,
		enum emit_direction dir)
{
	return emit_plan(sb, cl, dir, false, NULL);
}

static size_t render_plan(struct strbuf *sb, const struct change_list *cl,
			  enum emit_direction dir, struct steps *st)
{
	bool up = dir == EMIT_UP;
	size_t n = cl->changes.len, written = 0;
	struct strbuf tmp = STRBUF_INIT;
	bool online = st->online;
	struct arena *a = arena_new();
	bool *swap = arena_array(a, n ? n : 1, sizeof(*swap));
	if (online)
		find_swaps(a, cl, up, st, swap);
	for (size_t k = 0; k < n; k++) {
		size_t at = up ? k : n - 1 - k;
		const struct change *c = cl->changes.items[at];
		if (up ? c->implied_up : c->implied_down)
			continue;
		struct view v = view_of(c, up, st);
		v.swap = online && swap[at];
		struct steps saved = *st;
		size_t before = sb->len;
		if (written)
			strbuf_addch(sb, '\n');
		size_t start = sb->len;
		if (online) {
			st->reason_due = c->reason;
			if (!starts_apart(&v))
				step_tx(sb, st);
		} else if (c->reason) {
			strbuf_addf(sb, "-- re-created: %s\n", c->reason);
		}
		size_t body = sb->len;
		render_one(sb, &v, &tmp);
		if (sb->len == body)
			strbuf_setlen(sb, start);
		if (sb->len == start) {
			strbuf_setlen(sb, before); /* nothing to do this way */
			*st = saved;
		} else {
			written++;
		}
	}
	strbuf_release(&tmp);
	arena_free(a);
	return written;
}

size_t emit_plan(struct strbuf *sb, const struct change_list *cl,
		 enum emit_direction dir, bool online, struct emit_summary *sum)
{
	size_t start = sb->len;
	struct steps st = { 0 };
	st.online = online;
	size_t n = render_plan(sb, cl, dir, &st);
	/* A plan of one transactional step has nothing online about it (a new
	 * table, a comment): written without markers, as the atomic plan. */
	if (online && st.sum.steps <= 1 && !st.outside) {
		strbuf_setlen(sb, start);
		memset(&st, 0, sizeof(st));
		n = render_plan(sb, cl, dir, &st);
	}
	if (sum)
		*sum = st.sum;
	return n;
}
