#include "ir/ir.h"

#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "ir/sqlname.h"

struct ir_schema *ir_schema_new(struct arena *a, enum ir_origin origin)
{
	struct ir_schema *s = arena_alloc(a, sizeof(*s));
	s->arena = a;
	s->origin = origin;
	hmap_init(&s->table_index, a);
	hmap_init(&s->enum_index, a);
	hmap_init(&s->sequence_index, a);
	hmap_init(&s->occupied, a);
	return s;
}

/* Names may contain any character but NUL, so a separator alone could be
 * ambiguous; the schema's length in front makes every key unique.  Built
 * by hand: keys are made on every lookup, and printf is slow. */
static size_t build_key(char *out, const char *schema, size_t ls,
			const char *name, size_t ln)
{
	char digits[24];
	size_t nd = 0;
	size_t v = ls;
	do {
		digits[nd++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	size_t k = 0;
	while (nd)
		out[k++] = digits[--nd];
	out[k++] = ':';
	memcpy(out + k, schema, ls);
	k += ls;
	out[k++] = '.';
	memcpy(out + k, name, ln);
	k += ln;
	out[k] = '\0';
	return k;
}

const char *ir_key(struct arena *a, const char *schema, const char *name)
{
	size_t ls = strlen(schema), ln = strlen(name);
	char *out = arena_alloc(a, ls + ln + 24);
	build_key(out, schema, ls, name, ln);
	return out;
}

/* Lookups build the key on the stack (names are at most 63 bytes, 64 with
 * room to spare in odd cases), falling back to the arena when longer. */
void *ir_key_get(const struct hmap *m, struct arena *a, const char *schema,
		 const char *name)
{
	size_t ls = strlen(schema), ln = strlen(name);
	char buf[256];
	if (ls + ln + 24 > sizeof(buf))
		return hmap_get(m, ir_key(a, schema, name));
	build_key(buf, schema, ls, name, ln);
	return hmap_get(m, buf);
}

static void *find_by_key(const struct ir_schema *s, const struct hmap *m,
			 const char *schema, const char *name)
{
	return ir_key_get(m, s->arena, schema, name);
}

struct ir_table *ir_table_add(struct ir_schema *s, const char *schema,
			      const char *name)
{
	struct ir_table *t = arena_alloc(s->arena, sizeof(*t));
	t->schema = schema;
	t->name = name;
	t->key = ir_key(s->arena, schema, name);
	hmap_init(&t->column_index, s->arena);
	vec_push(s->arena, &s->tables, t);
	hmap_put(&s->table_index, t->key, t);
	return t;
}

struct ir_enum *ir_enum_add(struct ir_schema *s, const char *schema,
			    const char *name)
{
	struct ir_enum *e = arena_alloc(s->arena, sizeof(*e));
	e->schema = schema;
	e->name = name;
	e->key = ir_key(s->arena, schema, name);
	vec_push(s->arena, &s->enums, e);
	hmap_put(&s->enum_index, e->key, e);
	return e;
}

struct ir_sequence *ir_sequence_add(struct ir_schema *s, const char *schema,
				    const char *name)
{
	struct ir_sequence *q = arena_alloc(s->arena, sizeof(*q));
	q->schema = schema;
	q->name = name;
	q->key = ir_key(s->arena, schema, name);
	q->type = "bigint";
	vec_push(s->arena, &s->sequences, q);
	hmap_put(&s->sequence_index, q->key, q);
	return q;
}

struct ir_extension *ir_extension_add(struct ir_schema *s, const char *name,
				      const char *schema)
{
	struct ir_extension *x = arena_alloc(s->arena, sizeof(*x));
	x->name = name;
	x->schema = schema;
	vec_push(s->arena, &s->extensions, x);
	return x;
}

/* A database has a handful of extensions: a scan is enough. */
struct ir_extension *ir_extension_find(const struct ir_schema *s,
				       const char *name)
{
	for (size_t i = 0; i < s->extensions.len; i++) {
		struct ir_extension *x = s->extensions.items[i];
		if (strcmp(x->name, name) == 0)
			return x;
	}
	return NULL;
}

struct ir_sequence *ir_sequence_find(const struct ir_schema *s,
				     const char *schema, const char *name)
{
	return ir_key_get(&s->sequence_index, s->arena, schema, name);
}

void ir_sequence_defaults(struct ir_sequence *q, bool has_min, bool has_max,
			  bool has_start, bool has_increment, bool has_cache)
{
	long long type_max = strcmp(q->type, "smallint") == 0 ? 32767LL
			     : strcmp(q->type, "integer") == 0 ? 2147483647LL
							       : 9223372036854775807LL;
	long long type_min = -type_max - 1;
	if (!has_increment)
		q->increment = 1;
	if (!has_min)
		q->min = q->increment > 0 ? 1 : type_min;
	if (!has_max)
		q->max = q->increment > 0 ? type_max : -1;
	if (!has_start)
		q->start = q->increment > 0 ? q->min : q->max;
	if (!has_cache)
		q->cache = 1;
}

unsigned ir_sequence_explicit(const struct ir_sequence *q)
{
	struct ir_sequence d = *q;
	ir_sequence_defaults(&d, false, false, false, true, false);
	unsigned m = 0;
	if (strcmp(q->type, "bigint") != 0)
		m |= IR_SEQ_AS;
	if (q->increment != 1)
		m |= IR_SEQ_INCREMENT;
	if (q->min != d.min)
		m |= IR_SEQ_MIN;
	if (q->max != d.max)
		m |= IR_SEQ_MAX;
	/* The default start follows the bounds actually given. */
	d.min = q->min;
	d.max = q->max;
	ir_sequence_defaults(&d, true, true, false, true, true);
	if (q->start != d.start)
		m |= IR_SEQ_START;
	if (q->cache != 1)
		m |= IR_SEQ_CACHE;
	if (q->cycle)
		m |= IR_SEQ_CYCLE;
	return m;
}

bool ir_sequence_is_default(const struct ir_sequence *q)
{
	return !(ir_sequence_explicit(q) & ~(unsigned)IR_SEQ_AS);
}

bool ir_sequence_equal(const struct ir_sequence *a, const struct ir_sequence *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a->type, b->type) == 0 && a->start == b->start &&
	       a->increment == b->increment && a->min == b->min && a->max == b->max &&
	       a->cache == b->cache && a->cycle == b->cycle;
}

bool ir_identity_options_equal(const struct ir_sequence *a, const struct ir_sequence *b)
{
	if (!a || !b)
		return a == b;
	return a->start == b->start && a->increment == b->increment && a->min == b->min &&
	       a->max == b->max && a->cache == b->cache && a->cycle == b->cycle;
}

void ir_namespace_add(struct ir_schema *s, const char *name)
{
	if (!ir_namespace_has(s, name))
		vec_push(s->arena, &s->namespaces, (void *)name);
}

bool ir_namespace_has(const struct ir_schema *s, const char *name)
{
	/* Few schemas per project: a scan is simplest. */
	for (size_t i = 0; i < s->namespaces.len; i++)
		if (strcmp(s->namespaces.items[i], name) == 0)
			return true;
	return false;
}

struct ir_table *ir_table_find(const struct ir_schema *s, const char *schema,
			       const char *name)
{
	return find_by_key(s, &s->table_index, schema, name);
}

struct ir_enum *ir_enum_find(const struct ir_schema *s, const char *schema,
			     const char *name)
{
	return find_by_key(s, &s->enum_index, schema, name);
}

/* Most tables are narrow: a scan beats hashing there and costs no memory.
 * The index is built once a table grows past this many columns. */
#define COLUMN_SCAN_MAX 24

struct ir_column *ir_column_add(struct ir_schema *s, struct ir_table *t,
				const char *name)
{
	struct ir_column *c = arena_alloc(s->arena, sizeof(*c));
	c->name = name;
	vec_push(s->arena, &t->columns, c);
	if (t->columns.len == COLUMN_SCAN_MAX + 1) {
		for (size_t i = 0; i < t->columns.len; i++) {
			struct ir_column *col = t->columns.items[i];
			hmap_put_new(&t->column_index, col->name, col);
		}
	} else if (t->columns.len > COLUMN_SCAN_MAX) {
		hmap_put_new(&t->column_index, name, c);
	}
	return c;
}

struct ir_column *ir_column_find(const struct ir_table *t, const char *name)
{
	if (t->columns.len > COLUMN_SCAN_MAX)
		return hmap_get(&t->column_index, name);
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *c = t->columns.items[i];
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

struct ir_constraint *ir_constraint_add(struct ir_schema *s,
					struct ir_table *t, char kind)
{
	struct ir_constraint *c = arena_alloc(s->arena, sizeof(*c));
	c->kind = kind;
	vec_push(s->arena, &t->constraints, c);
	return c;
}

struct ir_index *ir_index_add(struct ir_schema *s, struct ir_table *t)
{
	struct ir_index *i = arena_alloc(s->arena, sizeof(*i));
	vec_push(s->arena, &t->indexes, i);
	return i;
}

struct ir_constraint *ir_table_pkey(const struct ir_table *t)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *c = t->constraints.items[i];
		if (c->kind == IR_CON_PRIMARY)
			return c;
	}
	return NULL;
}

static int cmp_qualified(const char *s1, const char *n1, const char *s2,
			 const char *n2)
{
	int c = strcmp(s1, s2);
	return c ? c : strcmp(n1, n2);
}

static int cmp_table(const void *x, const void *y)
{
	const struct ir_table *a = x, *b = y;
	return cmp_qualified(a->schema, a->name, b->schema, b->name);
}

static int cmp_enum(const void *x, const void *y)
{
	const struct ir_enum *a = x, *b = y;
	return cmp_qualified(a->schema, a->name, b->schema, b->name);
}

static int kind_rank(char kind)
{
	switch (kind) {
	case IR_CON_PRIMARY:
		return 0;
	case IR_CON_UNIQUE:
		return 1;
	case IR_CON_FOREIGN:
		return 2;
	default:
		return 3;
	}
}

static int cmp_constraint(const void *x, const void *y)
{
	const struct ir_constraint *a = x, *b = y;
	int ka = kind_rank(a->kind), kb = kind_rank(b->kind);
	if (ka != kb)
		return ka - kb;
	return strcmp(a->name, b->name);
}

static int cmp_index(const void *x, const void *y)
{
	const struct ir_index *a = x, *b = y;
	return strcmp(a->name, b->name);
}

static int cmp_sequence(const void *x, const void *y)
{
	const struct ir_sequence *a = x, *b = y;
	return cmp_qualified(a->schema, a->name, b->schema, b->name);
}

static int cmp_extension(const void *x, const void *y)
{
	const struct ir_extension *a = x, *b = y;
	return strcmp(a->name, b->name);
}

struct ir_schema *ir_schema_subset(struct arena *a, const struct ir_schema *s,
				   const struct hmap *keys)
{
	struct ir_schema *out = arena_alloc(a, sizeof(*out));
	*out = *s;
	out->tables = (struct vec){ 0 };
	hmap_init(&out->table_index, a);
	for (size_t i = 0; i < s->tables.len; i++) {
		struct ir_table *t = s->tables.items[i];
		if (!hmap_get(keys, t->key))
			continue;
		vec_push(a, &out->tables, t);
		hmap_put(&out->table_index, t->key, t);
	}
	return out;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(x, y);
}

void ir_schema_sort(struct ir_schema *s)
{
	vec_sort(s->arena, &s->namespaces, cmp_str);
	vec_sort(s->arena, &s->enums, cmp_enum);
	vec_sort(s->arena, &s->tables, cmp_table);
	vec_sort(s->arena, &s->sequences, cmp_sequence);
	vec_sort(s->arena, &s->extensions, cmp_extension);
	for (size_t i = 0; i < s->tables.len; i++) {
		struct ir_table *t = s->tables.items[i];
		vec_sort(s->arena, &t->constraints, cmp_constraint);
		vec_sort(s->arena, &t->indexes, cmp_index);
	}
}

const char *ir_expr_cmp(const struct ir_expr *e)
{
	return e->canon ? e->canon : e->src;
}

bool ir_expr_equal(const struct ir_expr *a, const struct ir_expr *b)
{
	const char *x = ir_expr_cmp(a), *y = ir_expr_cmp(b);
	if (!x || !y)
		return x == y;
	return strcmp(x, y) == 0;
}

bool ir_names_equal(const struct ir_names *a, const struct ir_names *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "timestamp(3) with time zone" -> "timestamptz(3)" and friends. */
static void render_builtin(struct strbuf *sb, const char *canon, char serial)
{
	static const struct {
		const char *prefix, *suffix, *alias;
	} forms[] = {
		{ "timestamp", " with time zone", "timestamptz" },
		{ "timestamp", " without time zone", "timestamp" },
		{ "time", " with time zone", "timetz" },
		{ "time", " without time zone", "time" },
		{ "character varying", "", "varchar" },
		{ "character", "", "char" },
		{ "bit varying", "", "varbit" },
	};
	if (serial) {
		strbuf_addstr(sb, serial == 'b' ? "bigserial"
				  : serial == 's' ? "smallserial" : "serial");
		return;
	}
	size_t n = strlen(canon);
	for (size_t i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		size_t pl = strlen(forms[i].prefix), sl = strlen(forms[i].suffix);
		if (!starts_with(canon, forms[i].prefix) || n < pl + sl ||
		    strcmp(canon + n - sl, forms[i].suffix) != 0)
			continue;
		/* What lies between is empty or a "(p)" modifier. */
		const char *mid = canon + pl;
		size_t midlen = n - pl - sl;
		if (midlen && mid[0] != '(')
			continue;
		strbuf_addstr(sb, forms[i].alias);
		strbuf_add(sb, mid, midlen);
		return;
	}
	strbuf_addstr(sb, canon);
}

void ir_type_render(struct strbuf *sb, const struct ir_type *t)
{
	if (t->user_schema) {
		sql_add_qname(sb, t->user_schema, t->user_name);
		if (t->is_array)
			strbuf_addstr(sb, "[]");
		return;
	}
	const char *canon = t->canon;
	size_t n = strlen(canon);
	if (t->is_array && n >= 2 && strcmp(canon + n - 2, "[]") == 0) {
		struct strbuf base = STRBUF_INIT;
		strbuf_add(&base, canon, n - 2);
		render_builtin(sb, strbuf_str(&base), 0);
		strbuf_release(&base);
		strbuf_addstr(sb, "[]");
		return;
	}
	render_builtin(sb, canon, t->serial);
}

static void dump_names(struct strbuf *sb, const struct ir_names *n)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < n->len; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, n->items[i]);
	}
	strbuf_addch(sb, ')');
}

static int cmp_column_name(const void *x, const void *y)
{
	const struct ir_column *a = x, *b = y;
	return strcmp(a->name, b->name);
}

static void dump_column(struct strbuf *sb, const struct ir_column *c)
{
	strbuf_addf(sb, "  column %s %s", c->name, c->type.canon);
	if (c->type.serial)
		strbuf_addf(sb, " serial:%c", c->type.serial);
	if (c->seq_width)
		strbuf_addf(sb, " sequence:%c", c->seq_width);
	if (c->not_null)
		strbuf_addstr(sb, " not null");
	if (c->def.src)
		strbuf_addf(sb, " default %s", ir_expr_cmp(&c->def));
	if (c->identity)
		strbuf_addf(sb, " identity:%c", c->identity);
	if (c->identity_seq)
		strbuf_addf(sb, " (start %lld increment %lld min %lld max %lld cache %lld%s)",
			    c->identity_seq->start, c->identity_seq->increment,
			    c->identity_seq->min, c->identity_seq->max, c->identity_seq->cache,
			    c->identity_seq->cycle ? " cycle" : "");
	if (c->generated.src)
		strbuf_addf(sb, " generated %s", ir_expr_cmp(&c->generated));
	if (c->collation)
		strbuf_addf(sb, " collate %s", c->collation);
	if (c->comment) {
		strbuf_addstr(sb, " comment ");
		sql_add_literal(sb, c->comment);
	}
	strbuf_addch(sb, '\n');
}

static void dump_constraint(struct strbuf *sb, const struct ir_constraint *c)
{
	strbuf_addf(sb, "  constraint %s %c ", c->name, c->kind);
	if (c->kind == IR_CON_CHECK || c->kind == IR_CON_EXCLUDE) {
		strbuf_addstr(sb, ir_expr_cmp(&c->check));
	} else {
		dump_names(sb, &c->cols);
	}
	if (c->kind == IR_CON_FOREIGN) {
		strbuf_addf(sb, " -> %s.%s ", c->ref_schema, c->ref_table);
		dump_names(sb, &c->ref_cols);
		strbuf_addf(sb, " on delete %c on update %c", c->on_delete,
			    c->on_update);
	}
	if (c->no_inherit)
		strbuf_addstr(sb, " no inherit");
	strbuf_addch(sb, '\n');
}

static void dump_index(struct strbuf *sb, const struct ir_index *ix)
{
	strbuf_addf(sb, "  index %s%s %s (", ix->name,
		    ix->unique ? " unique" : "", ix->method);
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ir_index_elem *e = &ix->elems[i];
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, e->column ? e->column : ir_expr_cmp(&e->expr));
		strbuf_addstr(sb, e->desc ? " desc" : " asc");
		strbuf_addstr(sb, e->nulls_first ? " nulls first" : " nulls last");
	}
	strbuf_addch(sb, ')');
	if (ix->where.src)
		strbuf_addf(sb, " where %s", ir_expr_cmp(&ix->where));
	strbuf_addch(sb, '\n');
}

void ir_schema_dump(struct strbuf *sb, const struct ir_schema *s)
{
	for (size_t i = 0; i < s->namespaces.len; i++)
		strbuf_addf(sb, "schema %s\n", (const char *)s->namespaces.items[i]);
	for (size_t i = 0; i < s->extensions.len; i++) {
		const struct ir_extension *x = s->extensions.items[i];
		strbuf_addf(sb, "extension %s%s%s\n", x->name, x->schema ? " schema " : "",
			    x->schema ? x->schema : "");
	}
	for (size_t i = 0; i < s->enums.len; i++) {
		const struct ir_enum *e = s->enums.items[i];
		strbuf_addf(sb, "enum %s.%s:", e->schema, e->name);
		for (size_t k = 0; k < e->labels.len; k++) {
			strbuf_addch(sb, ' ');
			sql_add_literal(sb, e->labels.items[k]);
		}
		strbuf_addch(sb, '\n');
	}
	for (size_t i = 0; i < s->sequences.len; i++) {
		const struct ir_sequence *q = s->sequences.items[i];
		strbuf_addf(sb, "sequence %s.%s %s start %lld increment %lld min %lld max %lld"
			    " cache %lld%s\n", q->schema, q->name, q->type, q->start,
			    q->increment, q->min, q->max, q->cache, q->cycle ? " cycle" : "");
	}
	for (size_t i = 0; i < s->tables.len; i++) {
		const struct ir_table *t = s->tables.items[i];
		strbuf_addf(sb, "table %s.%s\n", t->schema, t->name);
		if (t->comment) {
			strbuf_addstr(sb, "  comment ");
			sql_add_literal(sb, t->comment);
			strbuf_addch(sb, '\n');
		}
		struct vec cols = { 0 };
		for (size_t k = 0; k < t->columns.len; k++)
			vec_push(s->arena, &cols, t->columns.items[k]);
		vec_sort(s->arena, &cols, cmp_column_name);
		for (size_t k = 0; k < cols.len; k++)
			dump_column(sb, cols.items[k]);
		for (size_t k = 0; k < t->constraints.len; k++)
			dump_constraint(sb, t->constraints.items[k]);
		for (size_t k = 0; k < t->indexes.len; k++)
			dump_index(sb, t->indexes.items[k]);
	}
}
