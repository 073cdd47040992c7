#include "emit/models.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "emit/sqlgen.h"
#include "ir/exprtok.h"
#include "ir/ir.h"
#include "ir/sqlname.h"

/* The model language's reserved words (SPEC §2). */
static const char *const reserved[] = {
	"check", "constraint", "default", "enum", "false", "foreign", "index",
	"not", "null", "primary", "references", "table", "true", "unique",
};

static bool is_reserved(const char *name)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
		if (strcmp(name, reserved[i]) == 0)
			return true;
	return false;
}

static bool bare_ok(const char *name, bool lower_only)
{
	if (!*name || strlen(name) > 63)
		return false;
	for (const char *p = name; *p; p++) {
		char c = *p;
		bool letter = (c >= 'a' && c <= 'z') || c == '_' ||
			      (!lower_only && c >= 'A' && c <= 'Z');
		bool digit = (c >= '0' && c <= '9') || c == '$';
		if (!(letter || (p != name && digit)))
			return false;
	}
	return true;
}

void models_add_name(struct strbuf *sb, const char *name)
{
	if (bare_ok(name, true) && !is_reserved(name))
		strbuf_addstr(sb, name);
	else
		sql_add_quoted(sb, name);
}

static void add_qname(struct strbuf *sb, const char *schema, const char *name)
{
	if (schema && strcmp(schema, SQL_DEFAULT_SCHEMA) != 0) {
		models_add_name(sb, schema);
		strbuf_addch(sb, '.');
	}
	models_add_name(sb, name);
}

void models_enum(struct strbuf *sb, const struct ir_enum *e)
{
	strbuf_addstr(sb, "enum ");
	add_qname(sb, e->schema, e->name);
	strbuf_addstr(sb, " {");
	for (size_t i = 0; i < e->labels.len; i++) {
		const char *l = e->labels.items[i];
		strbuf_addstr(sb, i ? ", " : " ");
		/* Bare labels keep their case; anything else is quoted. */
		if (bare_ok(l, false))
			strbuf_addstr(sb, l);
		else
			sql_add_literal(sb, l);
	}
	strbuf_addstr(sb, e->labels.len ? " }\n" : "}\n");
}

void models_extension(struct strbuf *sb, const struct ir_extension *x)
{
	strbuf_addstr(sb, "extension ");
	models_add_name(sb, x->name);
	if (x->schema && strcmp(x->schema, SQL_DEFAULT_SCHEMA) != 0) {
		strbuf_addstr(sb, " with schema ");
		models_add_name(sb, x->schema);
	}
	strbuf_addch(sb, '\n');
}

/* The options that differ from CREATE SEQUENCE's choices, as the model
 * language spells them, each after a space. */
static void add_seq_options(struct strbuf *sb, const struct ir_sequence *q, unsigned m)
{
	if (m & IR_SEQ_AS)
		strbuf_addf(sb, " as %s", q->type);
	if (m & IR_SEQ_INCREMENT)
		strbuf_addf(sb, " increment %lld", q->increment);
	if (m & IR_SEQ_MIN)
		strbuf_addf(sb, " minvalue %lld", q->min);
	if (m & IR_SEQ_MAX)
		strbuf_addf(sb, " maxvalue %lld", q->max);
	if (m & IR_SEQ_START)
		strbuf_addf(sb, " start %lld", q->start);
	if (m & IR_SEQ_CACHE)
		strbuf_addf(sb, " cache %lld", q->cache);
	if (m & IR_SEQ_CYCLE)
		strbuf_addstr(sb, " cycle");
}

void models_sequence(struct strbuf *sb, const struct ir_sequence *q)
{
	strbuf_addstr(sb, "sequence ");
	add_qname(sb, q->schema, q->name);
	add_seq_options(sb, q, ir_sequence_explicit(q));
	strbuf_addch(sb, '\n');
}

static void add_type(struct strbuf *sb, const struct ir_schema *s,
		     const struct ir_type *t)
{
	if (!t->user_schema) {
		ir_type_render(sb, t);
		return;
	}
	/* Enums may go unqualified in public; other user types (domains,
	 * extension types) are written qualified, which is how the model
	 * language knows to pass them to the server unchecked. */
	if (ir_enum_find(s, t->user_schema, t->user_name))
		add_qname(sb, t->user_schema, t->user_name);
	else {
		models_add_name(sb, t->user_schema);
		strbuf_addch(sb, '.');
		models_add_name(sb, t->user_name);
	}
	if (t->is_array)
		strbuf_addstr(sb, "[]");
}

/* Whether a server-printed default can follow `default` without
 * parentheses: a literal, keyword or call, with casts. */
static bool simple_default(const char *expr)
{
	struct arena *a = arena_new();
	struct vec toks = { 0 };
	exprtok_split(a, expr, &toks);
	bool simple = true;
	int depth = 0;
	for (size_t i = 0; i < toks.len && simple; i++) {
		const struct exprtok *t = toks.items[i];
		if (t->kind == EXPRTOK_PUNCT && (t->text[0] == '(' || t->text[0] == '['))
			depth++;
		else if (t->kind == EXPRTOK_PUNCT && (t->text[0] == ')' || t->text[0] == ']'))
			depth--;
		else if (depth == 0 && t->kind == EXPRTOK_OP && strcmp(t->text, "::") != 0 &&
			 !(i == 0 && (strcmp(t->text, "-") == 0 || strcmp(t->text, "+") == 0)))
			simple = false;
		else if (depth == 0 && i > 0 && t->kind == EXPRTOK_IDENT) {
			const struct exprtok *prev = toks.items[i - 1];
			/* Words in a row outside a cast: "x AT TIME ZONE ...". */
			bool in_cast = false;
			for (size_t k = i; k-- > 0;) {
				const struct exprtok *p = toks.items[k];
				if (p->kind == EXPRTOK_OP) {
					in_cast = strcmp(p->text, "::") == 0;
					break;
				}
				if (p->kind != EXPRTOK_IDENT)
					break;
			}
			if (prev->kind != EXPRTOK_OP && !in_cast &&
			    !(prev->kind == EXPRTOK_PUNCT && prev->text[0] == '.'))
				simple = false;
		}
	}
	arena_free(a);
	return simple;
}

/* "USING gist (c WITH &&) WHERE (p)" as the model language writes it. */
static void add_exclusion(struct strbuf *sb, const char *def)
{
	static const char using[] = "USING ";
	if (strncmp(def, using, sizeof(using) - 1) == 0)
		def += sizeof(using) - 1;
	const char *open = strchr(def, '(');
	if (!open) {
		strbuf_addstr(sb, def);
		return;
	}
	strbuf_addstr(sb, "using ");
	strbuf_add(sb, def, (size_t)(open - def));
	size_t n = exprtok_group_len(open);
	strbuf_add(sb, open, n);
	const char *rest = open + n;
	static const char where[] = " WHERE ";
	if (strncmp(rest, where, sizeof(where) - 1) == 0) {
		strbuf_addstr(sb, " where ");
		sqlgen_paren(sb, rest + sizeof(where) - 1);
	} else {
		strbuf_addstr(sb, rest);
	}
}

static const char *action(char code)
{
	switch (code) {
	case IR_FK_RESTRICT: return "restrict";
	case IR_FK_CASCADE: return "cascade";
	case IR_FK_SET_NULL: return "set null";
	case IR_FK_SET_DEFAULT: return "set default";
	default: return NULL;
	}
}

static void add_names(struct strbuf *sb, const struct ir_names *n)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < n->len; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		models_add_name(sb, n->items[i]);
	}
	strbuf_addch(sb, ')');
}

static void add_references(struct strbuf *sb, const struct ir_table *t,
			   const struct ir_constraint *c)
{
	strbuf_addstr(sb, "references ");
	/* Unqualified targets resolve in the table's own schema first. */
	if (strcmp(c->ref_schema, t->schema) == 0 &&
	    strcmp(c->ref_schema, SQL_DEFAULT_SCHEMA) != 0)
		models_add_name(sb, c->ref_table);
	else
		add_qname(sb, c->ref_schema, c->ref_table);
	strbuf_addch(sb, ' ');
	add_names(sb, &c->ref_cols);
	const char *del = action(c->on_delete), *upd = action(c->on_update);
	if (del)
		strbuf_addf(sb, " on delete %s", del);
	if (upd)
		strbuf_addf(sb, " on update %s", upd);
	if (c->match == 'f')
		strbuf_addstr(sb, " match full");
}

/* What follows a constraint's body, in the order PostgreSQL prints it. */
static void add_con_mods(struct strbuf *sb, const struct ir_constraint *c)
{
	if (c->include.len) {
		strbuf_addstr(sb, " include ");
		add_names(sb, &c->include);
	}
	if (c->nulls_not_distinct)
		strbuf_addstr(sb, " nulls not distinct");
	if (c->deferrable)
		strbuf_addstr(sb, " deferrable");
	if (c->deferred)
		strbuf_addstr(sb, " initially deferred");
	if (c->no_inherit)
		strbuf_addstr(sb, " no inherit");
	if (c->not_valid)
		strbuf_addstr(sb, " not valid");
}

static bool has_con_mods(const struct ir_constraint *c)
{
	return c->include.len || c->nulls_not_distinct || c->deferrable ||
	       c->not_valid || c->no_inherit;
}

static bool in_names(const struct ir_names *n, const char *name)
{
	for (size_t i = 0; i < n->len; i++)
		if (strcmp(n->items[i], name) == 0)
			return true;
	return false;
}

/* Single-column keys with PostgreSQL's default name read best inline. */
static bool inline_on(const struct ir_constraint *c, const char *col)
{
	return c->naming == IR_NAME_DEFAULT &&
	       (c->kind == IR_CON_PRIMARY || c->kind == IR_CON_UNIQUE) &&
	       c->cols.len == 1 && !has_con_mods(c) &&
	       strcmp(c->cols.items[0], col) == 0;
}

static size_t text_width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

void models_columns_measure(struct models_columns *w, const char *name,
			    const char *type)
{
	size_t n = text_width(name), t = text_width(type);
	if (n > w->name_w)
		w->name_w = n;
	if (t > w->type_w)
		w->type_w = t;
}

static void pad_field(struct strbuf *sb, size_t from, size_t width)
{
	size_t used = strbuf_chars(sb, from);
	strbuf_pad(sb, ' ', used < width ? width - used : 1);
}

void models_columns_line(struct strbuf *sb, const struct models_columns *w,
			 const char *name, const char *type, const char *attrs)
{
	strbuf_addstr(sb, "  ");
	size_t start = sb->len;
	strbuf_addstr(sb, name);
	pad_field(sb, start, w->name_w + 1);
	start = sb->len;
	strbuf_addstr(sb, type);
	if (attrs && *attrs) {
		pad_field(sb, start, w->type_w + 1);
		strbuf_addstr(sb, attrs);
	}
}

/* Everything after a column's type, as the model language spells it. */
static void column_attrs(struct strbuf *attrs, const struct ir_table *t,
			 const struct ir_column *c)
{
	const struct ir_constraint *pk = ir_table_pkey(t);
	bool in_pk = pk && in_names(&pk->cols, c->name);
	if (c->identity) {
		strbuf_addstr(attrs, c->identity == 'a' ? " generated always as identity"
				     : " generated by default as identity");
		if (c->identity_seq) {
			struct strbuf opts = STRBUF_INIT;
			add_seq_options(&opts, c->identity_seq,
					ir_sequence_explicit(c->identity_seq) & ~(unsigned)IR_SEQ_AS);
			strbuf_addf(attrs, " (%s)", strbuf_str(&opts) + 1);
			strbuf_release(&opts);
		}
	}
	if (c->generated.src) {
		strbuf_addstr(attrs, " generated always as ");
		sqlgen_paren(attrs, c->generated.src);
		strbuf_addstr(attrs, " stored");
	}
	if (c->not_null && !in_pk && !c->identity && !c->type.serial)
		strbuf_addstr(attrs, " not null");
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *k = t->constraints.items[i];
		if (inline_on(k, c->name))
			strbuf_addstr(attrs, k->kind == IR_CON_PRIMARY ? " primary key" : " unique");
	}
	if (c->def.src) {
		strbuf_addstr(attrs, " default ");
		if (simple_default(c->def.src))
			strbuf_addstr(attrs, c->def.src);
		else
			sqlgen_paren(attrs, c->def.src);
	}
	if (c->collation) {
		strbuf_addstr(attrs, " collate ");
		models_add_name(attrs, c->collation);
	}
	if (c->comment) {
		strbuf_addstr(attrs, " comment ");
		sql_add_literal(attrs, c->comment);
	}
}

struct column_text {
	struct strbuf name, type, attrs;
};

static void column_text(struct column_text *ct, const struct ir_schema *s,
			const struct ir_table *t, const struct ir_column *c)
{
	memset(ct, 0, sizeof(*ct));
	models_add_name(&ct->name, c->name);
	add_type(&ct->type, s, &c->type);
	column_attrs(&ct->attrs, t, c);
}

static void column_text_release(struct column_text *ct)
{
	strbuf_release(&ct->name);
	strbuf_release(&ct->type);
	strbuf_release(&ct->attrs);
}

static void constraint_line(struct strbuf *sb, const struct ir_table *t,
			    const struct ir_constraint *c)
{
	strbuf_addstr(sb, "  ");
	if (c->naming != IR_NAME_DEFAULT) {
		strbuf_addstr(sb, "constraint ");
		models_add_name(sb, c->name);
		strbuf_addch(sb, ' ');
	}
	switch (c->kind) {
	case IR_CON_PRIMARY:
		strbuf_addstr(sb, "primary key ");
		add_names(sb, &c->cols);
		break;
	case IR_CON_UNIQUE:
		strbuf_addstr(sb, "unique ");
		add_names(sb, &c->cols);
		break;
	case IR_CON_FOREIGN:
		strbuf_addstr(sb, "foreign key ");
		add_names(sb, &c->cols);
		strbuf_addch(sb, ' ');
		add_references(sb, t, c);
		break;
	case IR_CON_EXCLUDE:
		strbuf_addstr(sb, "exclude ");
		add_exclusion(sb, c->check.src);
		break;
	default:
		strbuf_addstr(sb, "check ");
		sqlgen_paren(sb, c->check.src);
		break;
	}
	add_con_mods(sb, c);
	strbuf_addch(sb, '\n');
}

/* The server prints "schema.name" for operator classes outside
 * pg_catalog. */
static void add_opclass(struct strbuf *sb, const char *opclass)
{
	const char *dot = strchr(opclass, '.');
	if (dot) {
		char *schema = strndup(opclass, (size_t)(dot - opclass));
		models_add_name(sb, schema);
		free(schema);
		strbuf_addch(sb, '.');
		models_add_name(sb, dot + 1);
	} else {
		models_add_name(sb, opclass);
	}
}

static void index_line(struct strbuf *sb, const struct ir_index *ix)
{
	strbuf_addstr(sb, ix->unique ? "  unique index " : "  index ");
	if (ix->naming != IR_NAME_DEFAULT) {
		models_add_name(sb, ix->name);
		strbuf_addch(sb, ' ');
	}
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ir_index_elem *e = &ix->elems[i];
		if (i)
			strbuf_addstr(sb, ", ");
		if (e->column) {
			models_add_name(sb, e->column);
		} else {
			/* A call stays as it is; anything else gets parentheses. */
			const char *x = e->expr.src;
			size_t n = strlen(x);
			bool call = n && x[n - 1] == ')' && x[0] != '(';
			if (call)
				strbuf_addstr(sb, x);
			else
				sqlgen_paren(sb, x);
		}
		if (e->opclass) {
			strbuf_addch(sb, ' ');
			add_opclass(sb, e->opclass);
		}
		if (e->desc)
			strbuf_addstr(sb, " desc");
		if (e->nulls_first != e->desc)
			strbuf_addstr(sb, e->nulls_first ? " nulls first" : " nulls last");
	}
	strbuf_addch(sb, ')');
	if (strcmp(ix->method, "btree") != 0)
		strbuf_addf(sb, " using %s", ix->method);
	if (ix->include.len) {
		strbuf_addstr(sb, " include ");
		add_names(sb, &ix->include);
	}
	if (ix->nulls_not_distinct)
		strbuf_addstr(sb, " nulls not distinct");
	if (ix->options.src) {
		strbuf_addstr(sb, " with (");
		strbuf_addstr(sb, ix->options.src);
		strbuf_addch(sb, ')');
	}
	if (ix->where.src) {
		strbuf_addstr(sb, " where ");
		sqlgen_paren(sb, ix->where.src);
	}
	strbuf_addch(sb, '\n');
}

void models_table(struct strbuf *sb, const struct ir_schema *s,
		  const struct ir_table *t)
{
	strbuf_addstr(sb, "table ");
	add_qname(sb, t->schema, t->name);
	strbuf_addstr(sb, " {\n");
	size_t n = t->columns.len;
	struct column_text *cols = xcalloc(n ? n : 1, sizeof(*cols));
	struct models_columns w = { 0, 0 };
	for (size_t i = 0; i < n; i++) {
		column_text(&cols[i], s, t, t->columns.items[i]);
		models_columns_measure(&w, strbuf_str(&cols[i].name), strbuf_str(&cols[i].type));
	}
	for (size_t i = 0; i < n; i++) {
		/* The attributes start with a space: the aligner adds its own. */
		const char *attrs = strbuf_str(&cols[i].attrs);
		models_columns_line(sb, &w, strbuf_str(&cols[i].name),
				    strbuf_str(&cols[i].type), *attrs ? attrs + 1 : attrs);
		strbuf_addch(sb, '\n');
		column_text_release(&cols[i]);
	}
	free(cols);
	bool gap = false;
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if (c->cols.len == 1 && inline_on(c, c->cols.items[0]))
			continue;
		if (!gap)
			strbuf_addch(sb, '\n');
		gap = true;
		constraint_line(sb, t, c);
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		if (!gap)
			strbuf_addch(sb, '\n');
		gap = true;
		index_line(sb, t->indexes.items[i]);
	}
	if (t->comment) {
		if (!gap)
			strbuf_addch(sb, '\n');
		strbuf_addstr(sb, "  comment ");
		sql_add_literal(sb, t->comment);
		strbuf_addch(sb, '\n');
	}
	strbuf_addstr(sb, "}\n");
}
