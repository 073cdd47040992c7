/*
 * Semantic analysis, part one: declarations, columns, types, attributes and
 * table items become IR objects.  References between tables are resolved in
 * sema_refs.c once every table is known; names in naming.c.
 */
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "ir/sqlname.h"
#include "lang/lang.h"
#include "lang/parse.h"
#include "lang/sema_internal.h"
#include "lang/suggest.h"
#include "lang/types.h"

const char *sema_display(struct sema *s, const char *schema, const char *name)
{
	if (strcmp(schema, SQL_DEFAULT_SCHEMA) == 0)
		return name;
	return arena_printf(s->a, "%s.%s", schema, name);
}

static const char *schema_or_default(const char *schema)
{
	return schema ? schema : SQL_DEFAULT_SCHEMA;
}

struct ir_table *lang_find_table(const struct ir_schema *ir, const char *schema,
				 const char *name, const char *from_schema)
{
	if (schema)
		return ir_table_find(ir, schema, name);
	struct ir_table *t = ir_table_find(ir, from_schema, name);
	return t ? t : ir_table_find(ir, SQL_DEFAULT_SCHEMA, name);
}

struct ir_enum *lang_find_enum(const struct ir_schema *ir, const char *schema,
			       const char *name, const char *from_schema)
{
	if (schema)
		return ir_enum_find(ir, schema, name);
	struct ir_enum *e = ir_enum_find(ir, from_schema, name);
	return e ? e : ir_enum_find(ir, SQL_DEFAULT_SCHEMA, name);
}

struct ir_table *sema_lookup_table(struct sema *s, const char *schema,
				   const char *name, const char *from_schema)
{
	return lang_find_table(s->ir, schema, name, from_schema);
}

static void declare_labels(struct sema *s, const struct ast_enum *e,
			   struct ir_enum *ie)
{
	size_t n = e->labels.len;
	ie->labels.items = arena_array(s->a, n, sizeof(char *));
	ie->label_renamed = arena_array(s->a, n, sizeof(char *));
	ie->label_spans = arena_array(s->a, n, sizeof(struct span));
	struct hmap seen;
	hmap_init(&seen, s->a);
	for (size_t i = 0; i < n; i++) {
		const struct ast_label *l = e->labels.items[i];
		const struct ast_label *prev = hmap_put_new(&seen, l->text, (void *)l);
		if (prev) {
			struct diag *g = diag_error(s->d, l->span,
						    "duplicate label '%s' in enum '%s'",
						    l->text, ie->name);
			diag_note(s->d, g, prev->span, "first used here");
			continue;
		}
		if (strlen(l->text) > 63)
			diag_error(s->d, l->span, "enum label is longer than 63 bytes");
		size_t k = ie->labels.len++;
		ie->labels.items[k] = l->text;
		ie->label_renamed[k] = l->renamed_from ? l->renamed_from->text : NULL;
		ie->label_spans[k] = l->span;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ast_label *l = e->labels.items[i];
		if (!l->renamed_from)
			continue;
		const struct ast_label *old = hmap_get(&seen, l->renamed_from->text);
		if (old) {
			struct diag *g = diag_error(
				s->d, l->renamed_from->span,
				"label '%s' is renamed from '%s', but '%s' is still in the enum",
				l->text, l->renamed_from->text, l->renamed_from->text);
			diag_note(s->d, g, old->span, "'%s' is here", old->text);
		}
	}
}

static void declare_enums(struct sema *s, const struct ast_model *m)
{
	for (size_t i = 0; i < m->enums.len; i++) {
		const struct ast_enum *e = m->enums.items[i];
		const char *schema = schema_or_default(e->name.schema);
		const char *key = ir_key(s->a, schema, e->name.name);
		const struct ast_enum *prev = hmap_put_new(&s->enum_decls, key, (void *)e);
		if (prev) {
			struct diag *g = diag_error(s->d, e->name.span,
						    "enum '%s' is already defined",
						    sema_display(s, schema, e->name.name));
			diag_note(s->d, g, prev->name.span, "previous definition is here");
			continue;
		}
		struct ir_enum *ie = ir_enum_add(s->ir, schema, e->name.name);
		ie->span = e->name.span;
		ir_namespace_add(s->ir, schema);
		declare_labels(s, e, ie);
	}
}

static void declare_tables(struct sema *s, const struct ast_model *m)
{
	for (size_t i = 0; i < m->tables.len; i++) {
		const struct ast_table *t = m->tables.items[i];
		const char *schema = schema_or_default(t->name.schema);
		const char *key = ir_key(s->a, schema, t->name.name);
		const struct ast_table *prev = hmap_put_new(&s->table_decls, key, (void *)t);
		if (prev) {
			struct diag *g = diag_error(s->d, t->name.span,
						    "table '%s' is already defined",
						    sema_display(s, schema, t->name.name));
			diag_note(s->d, g, prev->name.span, "previous definition is here");
			continue;
		}
		const struct ast_enum *clash = hmap_get(&s->enum_decls, key);
		if (clash) {
			/* A table's row type takes the same name as the table. */
			struct diag *g = diag_error(s->d, t->name.span,
						    "table '%s' has the same name as an enum",
						    sema_display(s, schema, t->name.name));
			diag_note(s->d, g, clash->name.span, "the enum is declared here");
			continue;
		}
		struct ir_table *it = ir_table_add(s->ir, schema, t->name.name);
		it->span = t->name.span;
		if (t->renamed_from) {
			it->renamed_from_schema = schema_or_default(t->renamed_from->schema);
			it->renamed_from = t->renamed_from->name;
			it->renamed_span = t->renamed_from->span;
		}
		ir_namespace_add(s->ir, schema);
		vec_push(s->a, &s->tables, it);
	}
}

static void sequence_option(struct sema *s, struct ir_sequence *q,
			    const struct ast_seq_option *o, bool seen[])
{
	if (seen[o->kind]) {
		diag_error(s->d, o->span, "sequence option given twice");
		return;
	}
	seen[o->kind] = true;
	switch (o->kind) {
	case AST_SEQ_AS: {
		struct ir_type t = { 0 };
		if (types_resolve_builtin(s->a, s->d, o->type, &t) != TYPES_OK ||
		    !types_is_integer(t.canon) || t.serial || o->type->array_dims) {
			diag_error(s->d, o->type->span,
				   "a sequence is smallint, integer or bigint");
			return;
		}
		q->type = t.canon;
		break;
	}
	case AST_SEQ_START: q->start = o->value; break;
	case AST_SEQ_INCREMENT:
		if (!o->value)
			diag_error(s->d, o->span, "a sequence cannot increment by 0");
		q->increment = o->value;
		break;
	case AST_SEQ_MINVALUE: q->min = o->value; break;
	case AST_SEQ_MAXVALUE: q->max = o->value; break;
	case AST_SEQ_CACHE:
		if (o->value < 1)
			diag_error(s->d, o->span, "cache must be at least 1");
		q->cache = o->value;
		break;
	case AST_SEQ_CYCLE: q->cycle = true; break;
	case AST_SEQ_NO_CYCLE: q->cycle = false; break;
	case AST_SEQ_NO_MINVALUE:
	case AST_SEQ_NO_MAXVALUE:
		break;
	}
}

/* GENERATED ... AS IDENTITY (options): the options of the column's own
 * sequence, kept only where they differ from what the column's type gives
 * (NULL: all as CREATE TABLE would choose). */
static void identity_options(struct sema *s, struct ir_column *c, const struct ast_attr *at)
{
	if (!types_is_integer(c->type.canon))
		return; /* reported with the other column conflicts */
	struct ir_sequence *q = arena_alloc(s->a, sizeof(*q));
	q->type = c->type.canon;
	bool seen[AST_SEQ_AS + 1] = { false };
	for (size_t k = 0; k < at->seqopts->len; k++) {
		const struct ast_seq_option *o = at->seqopts->items[k];
		if (o->kind == AST_SEQ_AS) {
			diag_error(s->d, o->span, "an identity's sequence has the column's type");
			continue;
		}
		sequence_option(s, q, o, seen);
	}
	ir_sequence_defaults(q, seen[AST_SEQ_MINVALUE], seen[AST_SEQ_MAXVALUE],
			     seen[AST_SEQ_START], seen[AST_SEQ_INCREMENT], seen[AST_SEQ_CACHE]);
	if (q->min > q->max || q->start < q->min || q->start > q->max)
		diag_error(s->d, at->span, "identity of column '%s' must have minvalue <= "
			   "start <= maxvalue", c->name);
	c->identity_seq = ir_sequence_is_default(q) ? NULL : q;
}

static void declare_sequences(struct sema *s, const struct ast_model *m)
{
	struct hmap decls;
	hmap_init(&decls, s->a);
	for (size_t i = 0; i < m->sequences.len; i++) {
		const struct ast_sequence *a = m->sequences.items[i];
		const char *schema = schema_or_default(a->name.schema);
		const char *key = ir_key(s->a, schema, a->name.name);
		const struct ast_sequence *prev = hmap_put_new(&decls, key, (void *)a);
		if (prev) {
			struct diag *g = diag_error(s->d, a->name.span,
						    "sequence '%s' is already defined",
						    sema_display(s, schema, a->name.name));
			diag_note(s->d, g, prev->name.span, "previous definition is here");
			continue;
		}
		struct ir_sequence *q = ir_sequence_add(s->ir, schema, a->name.name);
		q->span = a->name.span;
		ir_namespace_add(s->ir, schema);
		bool seen[AST_SEQ_AS + 1] = { false };
		for (size_t k = 0; k < a->options.len; k++)
			sequence_option(s, q, a->options.items[k], seen);
		ir_sequence_defaults(q, seen[AST_SEQ_MINVALUE], seen[AST_SEQ_MAXVALUE],
				     seen[AST_SEQ_START], seen[AST_SEQ_INCREMENT],
				     seen[AST_SEQ_CACHE]);
		if (q->min > q->max || q->start < q->min || q->start > q->max)
			diag_error(s->d, a->span,
				   "sequence '%s' must have minvalue <= start <= maxvalue",
				   sema_display(s, schema, a->name.name));
	}
}

static void declare_extensions(struct sema *s, const struct ast_model *m)
{
	for (size_t i = 0; i < m->extensions.len; i++) {
		const struct ast_extension *a = m->extensions.items[i];
		const struct ir_extension *prev = ir_extension_find(s->ir, a->name.text);
		if (prev) {
			struct diag *g = diag_error(s->d, a->name.span,
						    "extension '%s' is already declared",
						    a->name.text);
			diag_note(s->d, g, prev->span, "previous declaration is here");
			continue;
		}
		struct ir_extension *x = ir_extension_add(s->ir, a->name.text,
							  a->schema ? a->schema->text : NULL);
		x->span = a->name.span;
		if (x->schema)
			ir_namespace_add(s->ir, x->schema);
	}
}

static void unknown_type(struct sema *s, const struct ast_type *t)
{
	struct suggest sg;
	suggest_init(&sg, t->name);
	types_suggest(&sg);
	for (size_t i = 0; i < s->ir->enums.len; i++)
		suggest_consider(&sg, ((struct ir_enum *)s->ir->enums.items[i])->name);
	const char *best = suggest_result(&sg);
	const char *shown = t->schema ? arena_printf(s->a, "%s.%s", t->schema, t->name)
				      : t->name;
	struct diag *g = best
		? diag_error(s->d, t->name_span, "unknown type '%s' (did you mean '%s'?)",
			     shown, best)
		: diag_error(s->d, t->name_span, "unknown type '%s'", shown);
	if (!best)
		diag_hint(s->d, g, "types of extensions and domains are written with "
				   "their schema, like public.citext");
}

static bool resolve_type(struct sema *s, const char *table_schema,
			 const struct ast_type *t, struct ir_type *out)
{
	enum types_result r = types_resolve_builtin(s->a, s->d, t, out);
	if (r == TYPES_INVALID)
		return false;
	if (r == TYPES_UNKNOWN) {
		struct ir_enum *e = lang_find_enum(s->ir, t->schema, t->name, table_schema);
		if (!e && t->schema) {
			/* A qualified type that is no enum of the models: a domain
			 * or an extension's type, checked by the server when the
			 * models are normalised. */
			if (t->nmods) {
				diag_error(s->d, t->span, "modifiers on '%s.%s' are not supported",
					   t->schema, t->name);
				return false;
			}
			struct strbuf sb = STRBUF_INIT;
			sql_add_full_qname(&sb, t->schema, t->name);
			out->canon = strbuf_to_arena(&sb, s->a);
			strbuf_release(&sb);
			out->user_schema = t->schema;
			out->user_name = t->name;
			goto array;
		}
		if (!e) {
			unknown_type(s, t);
			return false;
		}
		if (t->nmods) {
			diag_error(s->d, t->span, "type '%s' does not take modifiers",
				   t->name);
			return false;
		}
		struct strbuf sb = STRBUF_INIT;
		sql_add_full_qname(&sb, e->schema, e->name);
		out->canon = strbuf_to_arena(&sb, s->a);
		strbuf_release(&sb);
		out->user_schema = e->schema;
		out->user_name = e->name;
	}
array:
	if (t->array_dims) {
		out->is_array = true;
		out->canon = arena_printf(s->a, "%s[]", out->canon);
	}
	return true;
}

static struct ir_names one_name(struct sema *s, const char *name)
{
	struct ir_names n;
	n.items = arena_array(s->a, 1, sizeof(char *));
	n.items[0] = name;
	n.len = 1;
	return n;
}

static void set_given_name(struct ir_constraint *c, const struct ast_name *n)
{
	if (n) {
		c->name = n->text;
		c->naming = IR_NAME_GIVEN;
	}
}

/* Attributes seen on one column, to catch repeats and conflicts. */
struct attr_seen {
	const struct ast_attr *by_kind[AST_ATTR_NOT_VALID + 1];
	struct ir_constraint *last; /* what deferrable, not valid, ... modify */
};

static bool attr_once(struct sema *s, struct attr_seen *seen,
		      const struct ast_attr *at, const char *what)
{
	const struct ast_attr *prev = seen->by_kind[at->kind];
	if (prev) {
		struct diag *g = diag_error(s->d, at->span, "%s given twice", what);
		diag_note(s->d, g, prev->span, "first given here");
		return false;
	}
	seen->by_kind[at->kind] = at;
	return true;
}

static struct ir_constraint *add_column_constraint(struct sema *s,
						   struct ir_table *t,
						   struct ir_column *c,
						   const struct ast_attr *at)
{
	char kind = at->kind == AST_ATTR_PRIMARY_KEY ? IR_CON_PRIMARY
		    : at->kind == AST_ATTR_UNIQUE    ? IR_CON_UNIQUE
		    : at->kind == AST_ATTR_CHECK     ? IR_CON_CHECK
						     : IR_CON_FOREIGN;
	struct ir_constraint *con = ir_constraint_add(s->ir, t, kind);
	con->span = at->span;
	set_given_name(con, at->con_name);
	if (kind == IR_CON_CHECK) {
		con->check.src = at->expr->text;
		con->check.span = at->expr->span;
		return con;
	}
	con->cols = one_name(s, c->name);
	if (kind == IR_CON_FOREIGN) {
		struct pending_fk *p = arena_alloc(s->a, sizeof(*p));
		p->table = t;
		p->con = con;
		p->ref = at->ref;
		vec_push(s->a, &s->pending, p);
	}
	return con;
}

/* deferrable, initially deferred/immediate, not valid: the server's rules
 * for which constraint may carry which. */
static void modify_constraint(struct sema *s, struct ir_constraint *c,
			      enum ast_attr_kind what, struct span sp)
{
	bool keyed = c && c->kind != IR_CON_CHECK;
	switch (what) {
	case AST_ATTR_DEFERRABLE:
	case AST_ATTR_NOT_DEFERRABLE:
	case AST_ATTR_INITIALLY_DEFERRED:
	case AST_ATTR_INITIALLY_IMMEDIATE:
		if (!keyed) {
			diag_error(s->d, sp, "only primary keys, unique, exclusion and "
					     "foreign key constraints can be deferrable");
			return;
		}
		if (what == AST_ATTR_DEFERRABLE)
			c->deferrable = true;
		else if (what == AST_ATTR_NOT_DEFERRABLE)
			c->deferrable = c->deferred = false;
		else if (what == AST_ATTR_INITIALLY_DEFERRED)
			c->deferrable = c->deferred = true; /* implies deferrable */
		else
			c->deferred = false;
		return;
	case AST_ATTR_NOT_VALID:
		if (!c || (c->kind != IR_CON_CHECK && c->kind != IR_CON_FOREIGN)) {
			diag_error(s->d, sp, "only checks and foreign keys can be 'not valid'");
			return;
		}
		c->not_valid = true;
		return;
	case AST_ATTR_NO_INHERIT:
		if (!c || c->kind != IR_CON_CHECK) {
			diag_error(s->d, sp, "only checks can be 'no inherit'");
			return;
		}
		c->no_inherit = true;
		return;
	default:
		return;
	}
}

static void apply_attr(struct sema *s, struct ir_table *t, struct ir_column *c,
		       struct attr_seen *seen, const struct ast_attr *at)
{
	switch (at->kind) {
	case AST_ATTR_NOT_NULL:
		if (attr_once(s, seen, at, "'not null'"))
			c->not_null = true;
		break;
	case AST_ATTR_NULL:
		attr_once(s, seen, at, "'null'");
		break;
	case AST_ATTR_PRIMARY_KEY:
	case AST_ATTR_UNIQUE:
	case AST_ATTR_REFERENCES:
	case AST_ATTR_CHECK:
		if (at->kind == AST_ATTR_PRIMARY_KEY)
			c->not_null = true;
		seen->last = add_column_constraint(s, t, c, at);
		break;
	case AST_ATTR_DEFERRABLE:
	case AST_ATTR_NOT_DEFERRABLE:
	case AST_ATTR_INITIALLY_DEFERRED:
	case AST_ATTR_INITIALLY_IMMEDIATE:
	case AST_ATTR_NO_INHERIT:
	case AST_ATTR_NOT_VALID:
		modify_constraint(s, seen->last, at->kind, at->span);
		break;
	case AST_ATTR_DEFAULT:
		if (attr_once(s, seen, at, "'default'")) {
			c->def.src = at->expr->text;
			c->def.span = at->expr->span;
		}
		break;
	case AST_ATTR_COMMENT:
		if (attr_once(s, seen, at, "'comment'"))
			c->comment = at->text->text;
		break;
	case AST_ATTR_IDENTITY_ALWAYS:
	case AST_ATTR_IDENTITY_BY_DEFAULT:
		if (seen->by_kind[AST_ATTR_IDENTITY_ALWAYS] ||
		    seen->by_kind[AST_ATTR_IDENTITY_BY_DEFAULT]) {
			diag_error(s->d, at->span, "identity given twice");
			break;
		}
		seen->by_kind[at->kind] = at;
		c->identity = at->kind == AST_ATTR_IDENTITY_ALWAYS ? 'a' : 'd';
		if (at->seqopts)
			identity_options(s, c, at);
		break;
	case AST_ATTR_GENERATED:
		if (attr_once(s, seen, at, "'generated'")) {
			c->generated.src = at->expr->text;
			c->generated.span = at->expr->span;
		}
		break;
	case AST_ATTR_COLLATE:
		if (attr_once(s, seen, at, "'collate'"))
			c->collation = at->text->text;
		break;
	case AST_ATTR_RENAMED:
		if (attr_once(s, seen, at, "'renamed from'")) {
			c->renamed_from = at->text->text;
			c->renamed_span = at->text->span;
		}
		break;
	}
}

static const struct ast_attr *first_of(const struct attr_seen *seen,
				       enum ast_attr_kind a, enum ast_attr_kind b)
{
	return seen->by_kind[a] ? seen->by_kind[a] : seen->by_kind[b];
}

/* Combinations PostgreSQL would refuse, reported against the model. */
static void check_column_conflicts(struct sema *s, struct ir_column *c,
				   const struct attr_seen *seen, bool is_pkey)
{
	const struct ast_attr *identity = first_of(seen, AST_ATTR_IDENTITY_ALWAYS,
						   AST_ATTR_IDENTITY_BY_DEFAULT);
	const struct ast_attr *def = seen->by_kind[AST_ATTR_DEFAULT];
	const struct ast_attr *gen = seen->by_kind[AST_ATTR_GENERATED];
	const struct ast_attr *null = seen->by_kind[AST_ATTR_NULL];

	if (identity && (!types_is_integer(c->type.canon) || c->type.serial))
		diag_error(s->d, identity->span,
			   "identity column '%s' must be smallint, integer or bigint",
			   c->name);
	if (def && identity)
		diag_error(s->d, def->span, "column '%s' has both a default and an identity",
			   c->name);
	if (def && gen)
		diag_error(s->d, def->span,
			   "column '%s' has both a default and a generation expression",
			   c->name);
	if (gen && identity)
		diag_error(s->d, gen->span, "column '%s' is both generated and an identity",
			   c->name);
	if (def && c->type.serial)
		diag_error(s->d, def->span, "serial column '%s' cannot have a default",
			   c->name);
	if (null && (c->not_null || identity || c->type.serial || is_pkey))
		diag_error(s->d, null->span,
			   "column '%s' is declared null but must be not null", c->name);
	/* Serial and identity columns are NOT NULL in the catalog. */
	if (identity || c->type.serial)
		c->not_null = true;
}

static void build_column(struct sema *s, struct ir_table *t,
			 const struct ast_column *ac, struct hmap *decls)
{
	const struct ast_column *prev = hmap_put_new(decls, ac->name.text, (void *)ac);
	if (prev) {
		struct diag *g = diag_error(s->d, ac->name.span,
					    "column '%s' is already defined in table '%s'",
					    ac->name.text, sema_display(s, t->schema, t->name));
		diag_note(s->d, g, prev->name.span, "previous definition is here");
		return;
	}
	struct ir_column *c = ir_column_add(s->ir, t, ac->name.text);
	c->span = ac->name.span;
	if (!resolve_type(s, t->schema, &ac->type, &c->type))
		c->type.canon = "unknown";
	struct attr_seen seen = { { 0 }, NULL };
	bool is_pkey = false;
	for (size_t i = 0; i < ac->attrs.len; i++) {
		const struct ast_attr *at = ac->attrs.items[i];
		is_pkey |= at->kind == AST_ATTR_PRIMARY_KEY;
		apply_attr(s, t, c, &seen, at);
	}
	check_column_conflicts(s, c, &seen, is_pkey);
}

static void no_such_column(struct sema *s, const struct ir_table *t,
			   const struct ast_name *n)
{
	struct suggest sg;
	suggest_init(&sg, n->text);
	for (size_t i = 0; i < t->columns.len; i++)
		suggest_consider(&sg, ((struct ir_column *)t->columns.items[i])->name);
	const char *best = suggest_result(&sg);
	const char *tn = sema_display(s, t->schema, t->name);
	if (best)
		diag_error(s->d, n->span,
			   "column '%s' does not exist in table '%s' (did you mean '%s'?)",
			   n->text, tn, best);
	else
		diag_error(s->d, n->span, "column '%s' does not exist in table '%s'",
			   n->text, tn);
}

/* Resolves a column list; false (with errors) if any is missing or repeated. */
static bool column_list(struct sema *s, const struct ir_table *t,
			const struct vec *names, struct ir_names *out)
{
	bool ok = true;
	out->items = arena_array(s->a, names->len, sizeof(char *));
	out->len = 0;
	for (size_t i = 0; i < names->len; i++) {
		const struct ast_name *n = names->items[i];
		if (!ir_column_find(t, n->text)) {
			no_such_column(s, t, n);
			ok = false;
			continue;
		}
		for (size_t k = 0; k < out->len; k++) {
			if (strcmp(out->items[k], n->text) == 0) {
				diag_error(s->d, n->span, "column '%s' is listed twice",
					   n->text);
				ok = false;
			}
		}
		out->items[out->len++] = n->text;
	}
	return ok;
}

static bool column_list(struct sema *s, const struct ir_table *t,
			const struct vec *names, struct ir_names *out);

static void table_constraint_mods(struct sema *s, const struct ir_table *t,
				  struct ir_constraint *con,
				  const struct ast_modifiers *m)
{
	if (!m)
		return;
	if (m->deferrable)
		modify_constraint(s, con, AST_ATTR_DEFERRABLE, con->span);
	if (m->not_deferrable)
		modify_constraint(s, con, AST_ATTR_NOT_DEFERRABLE, con->span);
	if (m->deferred)
		modify_constraint(s, con, AST_ATTR_INITIALLY_DEFERRED, con->span);
	if (m->immediate)
		modify_constraint(s, con, AST_ATTR_INITIALLY_IMMEDIATE, con->span);
	if (m->not_valid)
		modify_constraint(s, con, AST_ATTR_NOT_VALID, m->span);
	if (m->no_inherit)
		modify_constraint(s, con, AST_ATTR_NO_INHERIT, m->inherit_span);
	if (m->nulls_not_distinct) {
		if (con->kind != IR_CON_UNIQUE)
			diag_error(s->d, m->span, "only unique constraints take 'nulls not distinct'");
		con->nulls_not_distinct = true;
	}
	if (m->include.len) {
		if (con->kind != IR_CON_PRIMARY && con->kind != IR_CON_UNIQUE)
			diag_error(s->d, m->span, "only primary keys and unique constraints "
						  "take 'include'");
		column_list(s, t, &m->include, &con->include);
	}
}

static const char *index_method(struct sema *s, const struct ast_name *m);

static void build_table_constraint(struct sema *s, struct ir_table *t,
				   const struct ast_item *it)
{
	char kind = it->kind == AST_ITEM_PRIMARY_KEY ? IR_CON_PRIMARY
		    : it->kind == AST_ITEM_UNIQUE    ? IR_CON_UNIQUE
		    : it->kind == AST_ITEM_CHECK     ? IR_CON_CHECK
		    : it->kind == AST_ITEM_EXCLUDE   ? IR_CON_EXCLUDE
						     : IR_CON_FOREIGN;
	struct ir_constraint *con = ir_constraint_add(s->ir, t, kind);
	con->span = it->span;
	set_given_name(con, it->con_name);
	table_constraint_mods(s, t, con, it->mods);
	if (kind == IR_CON_CHECK) {
		con->check.src = it->expr->text;
		con->check.span = it->expr->span;
		return;
	}
	if (kind == IR_CON_EXCLUDE) {
		/* The server's own spelling, so the text needs no parsing. */
		con->check.src = it->where
			? arena_printf(s->a, "USING %s (%s) WHERE (%s)",
				       index_method(s, it->method), it->expr->text,
				       it->where->text)
			: arena_printf(s->a, "USING %s (%s)", index_method(s, it->method),
				       it->expr->text);
		con->check.span = it->expr->span;
		return;
	}
	if (!column_list(s, t, &it->cols, &con->cols))
		con->cols.len = 0;
	if (kind == IR_CON_PRIMARY) {
		for (size_t i = 0; i < con->cols.len; i++)
			ir_column_find(t, con->cols.items[i])->not_null = true;
	}
	if (kind == IR_CON_FOREIGN) {
		struct pending_fk *p = arena_alloc(s->a, sizeof(*p));
		p->table = t;
		p->con = con;
		p->ref = it->ref;
		vec_push(s->a, &s->pending, p);
	}
}

static const char *const index_methods[] = {
	"brin", "btree", "gin", "gist", "hash", "spgist",
};

static const char *index_method(struct sema *s, const struct ast_name *m)
{
	if (!m)
		return "btree";
	struct suggest sg;
	suggest_init(&sg, m->text);
	for (size_t i = 0; i < sizeof(index_methods) / sizeof(*index_methods); i++) {
		if (strcmp(m->text, index_methods[i]) == 0)
			return index_methods[i];
		suggest_consider(&sg, index_methods[i]);
	}
	const char *best = suggest_result(&sg);
	if (best)
		diag_error(s->d, m->span,
			   "unknown index method '%s' (did you mean '%s'?)", m->text, best);
	else
		diag_error(s->d, m->span, "unknown index method '%s'", m->text);
	return "btree";
}

static void build_index(struct sema *s, struct ir_table *t,
			const struct ast_item *it)
{
	struct ir_index *ix = ir_index_add(s->ir, t);
	ix->span = it->span;
	ix->unique = it->unique;
	if (it->con_name) {
		ix->name = it->con_name->text;
		ix->naming = IR_NAME_GIVEN;
	}
	ix->method = index_method(s, it->method);
	ix->nelems = it->elems.len;
	ix->elems = arena_array(s->a, ix->nelems, sizeof(struct ir_index_elem));
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ast_index_elem *ae = it->elems.items[i];
		struct ir_index_elem *e = &ix->elems[i];
		if (ae->column) {
			if (!ir_column_find(t, ae->column->text))
				no_such_column(s, t, ae->column);
			e->column = ae->column->text;
		} else {
			e->expr.src = ae->expr->text;
			e->expr.span = ae->expr->span;
		}
		e->desc = ae->desc;
		e->nulls_first = ae->nulls == AST_NULLS_FIRST ||
				 (ae->nulls == AST_NULLS_DEFAULT && ae->desc);
		if (ae->opclass)
			e->opclass = ae->opclass->schema
				? arena_printf(s->a, "%s.%s", ae->opclass->schema, ae->opclass->name)
				: ae->opclass->name;
	}
	if (it->where) {
		ix->where.src = it->where->text;
		ix->where.span = it->where->span;
	}
	const struct ast_modifiers *m = it->mods;
	if (m && m->nulls_not_distinct) {
		if (!ix->unique)
			diag_error(s->d, m->span, "only unique indexes take 'nulls not distinct'");
		ix->nulls_not_distinct = true;
	}
	if (m && m->include.len)
		column_list(s, t, &m->include, &ix->include);
	if (m && m->with) {
		ix->options.src = m->with->text;
		ix->options.span = m->with->span;
	}
}

static void check_single_pkey(struct sema *s, struct ir_table *t)
{
	const struct ir_constraint *first = NULL;
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if (c->kind != IR_CON_PRIMARY)
			continue;
		if (!first) {
			first = c;
			continue;
		}
		struct diag *g = diag_error(s->d, c->span,
					    "table '%s' has more than one primary key",
					    sema_display(s, t->schema, t->name));
		diag_note(s->d, g, first->span, "the first one is here");
	}
}

static void build_table(struct sema *s, const struct ast_table *at,
			struct ir_table *t)
{
	struct hmap decls;
	hmap_init(&decls, s->a);
	/* Columns first: table items may name columns declared after them. */
	for (size_t i = 0; i < at->items.len; i++) {
		const struct ast_item *it = at->items.items[i];
		if (it->kind == AST_ITEM_COLUMN)
			build_column(s, t, it->column, &decls);
	}
	const struct ast_item *comment = NULL;
	for (size_t i = 0; i < at->items.len; i++) {
		const struct ast_item *it = at->items.items[i];
		switch (it->kind) {
		case AST_ITEM_COLUMN:
			break;
		case AST_ITEM_PRIMARY_KEY:
		case AST_ITEM_UNIQUE:
		case AST_ITEM_FOREIGN_KEY:
		case AST_ITEM_CHECK:
		case AST_ITEM_EXCLUDE:
			build_table_constraint(s, t, it);
			break;
		case AST_ITEM_INDEX:
			build_index(s, t, it);
			break;
		case AST_ITEM_COMMENT:
			if (comment) {
				struct diag *g = diag_error(s->d, it->span,
							    "table comment given twice");
				diag_note(s->d, g, comment->span, "first given here");
				break;
			}
			comment = it;
			t->comment = it->comment->text;
			break;
		}
	}
	if (t->columns.len == 0)
		diag_warning(s->d, t->span, "table '%s' has no columns",
			     sema_display(s, t->schema, t->name));
	check_single_pkey(s, t);
}

struct ir_schema *lang_analyze(struct arena *a, struct diags *d,
			       const struct ast_model *m)
{
	size_t errors_before = d->errors;
	struct ir_schema *ir = lang_analyze_partial(a, d, m);
	return d->errors == errors_before ? ir : NULL;
}

/* A table recovered from a syntax error lacks what did not parse; what
 * its own items then get wrong (a key on a lost column) follows from the
 * syntax error, so errors inside it are muted while the rest of the model
 * is checked.  References into it are spared in sema_refs.c.  Returns how
 * many spans it muted. */
static size_t mute_broken(struct diags *d, const struct ast_model *m)
{
	size_t n = 0;
	for (size_t i = 0; i < m->tables.len; i++) {
		struct ast_table *t = m->tables.items[i];
		if (t->broken) {
			vec_push(d->arena, &d->muted, &t->span);
			n++;
		}
	}
	return n;
}

struct ir_schema *lang_analyze_partial(struct arena *a, struct diags *d,
				       const struct ast_model *m)
{
	struct sema s = { 0 };
	s.a = a;
	s.d = d;
	s.ir = ir_schema_new(a, IR_ORIGIN_MODEL);
	hmap_init(&s.enum_decls, a);
	hmap_init(&s.table_decls, a);

	ir_namespace_add(s.ir, SQL_DEFAULT_SCHEMA);
	for (size_t i = 0; i < m->schemas.len; i++)
		ir_namespace_add(s.ir, ((struct ast_name *)m->schemas.items[i])->text);
	declare_extensions(&s, m);
	declare_enums(&s, m);
	declare_sequences(&s, m);
	declare_tables(&s, m);
	/* After the declarations: two tables of one name are a mistake
	 * whatever their contents. */
	size_t muted = mute_broken(d, m);
	for (size_t i = 0; i < s.tables.len; i++) {
		struct ir_table *t = s.tables.items[i];
		const struct ast_table *at = hmap_get(&s.table_decls, t->key);
		build_table(&s, at, t);
	}
	sema_resolve_foreign_keys(&s);
	sema_check_renames(&s);
	sema_assign_names(&s);
	d->muted.len -= muted;
	ir_schema_sort(s.ir);
	return s.ir;
}

struct ir_schema *lang_load_models(struct arena *a, struct diags *d,
				   const char *dir)
{
	struct vec files = { 0 };
	int err = fs_list(a, dir, ".c7", &files);
	if (err) {
		diag_error(d, SPAN_NONE, "cannot read models directory '%s': %s", dir,
			   strerror(err));
		return NULL;
	}
	/* The syntax tree lives only until the IR is built: a 5,000-table model
	 * would otherwise keep tens of megabytes of nodes for the whole run. */
	struct arena *nodes = arena_new();
	struct ast_model model = { 0 };
	struct ir_schema *ir = NULL;
	size_t errors_before = d->errors;
	for (size_t i = 0; i < files.len; i++) {
		const char *path = files.items[i];
		char *text;
		size_t len;
		err = fs_read(a, path, &text, &len);
		if (err) {
			diag_error(d, SPAN_NONE, "cannot read '%s': %s", path, strerror(err));
			continue;
		}
		parse_model_file(a, nodes, d, srcfile_new(a, path, text, len), &model);
	}
	/* Declarations that parsed are checked even after a syntax error, so
	 * one run reports every independent mistake. */
	bool syntax_ok = d->errors == errors_before;
	ir = lang_analyze(a, d, &model);
	arena_free(nodes);
	return syntax_ok ? ir : NULL;
}
