#include "pg/normalize.h"

#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/hmap.h"
#include "base/random.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "pg/introspect.h"
#include "pg/normcache.h"

/* Where a model expression sits in the build script, so a server error
 * position can be traced back to the model file. */
struct segment {
	size_t start, end;
	struct span span;
	struct ir_table *table;
};

struct normalizer {
	struct pg_conn *c;
	struct arena *a;
	struct ir_schema *model;
	struct diags *d;
	struct pg_error *err;
	char tag[17];             /* random part of the temporary schema names */
	struct hmap temp_of;      /* real schema -> temporary schema */
	struct hmap real_of;      /* temporary schema -> real schema */
	const char **temps;
	size_t ntemps;
	struct hmap failed;       /* ir_key of tables the server refused */
	struct vec segments;      /* of struct segment, for the current script */
	struct normalize_stats *stats;
	struct normcache *cache;  /* may be NULL */
	struct hmap contexts;     /* table key -> cache context */
};

static bool needs_server(const struct ir_table *t)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		const struct ir_column *c = t->columns.items[i];
		if (c->def.src || c->generated.src)
			return true;
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		char kind = ((struct ir_constraint *)t->constraints.items[i])->kind;
		if (kind == IR_CON_CHECK || kind == IR_CON_EXCLUDE)
			return true;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		const struct ir_index *ix = t->indexes.items[i];
		if (ix->where.src || ix->options.src)
			return true;
		for (size_t k = 0; k < ix->nelems; k++)
			if (!ix->elems[k].column || ix->elems[k].opclass)
				return true;
	}
	return false;
}

/* An operator class depends on the element it applies to and the method:
 * `text_ops` on a text column is the default and is stored as none. */
static const char *opclass_key(struct normalizer *n, const struct ir_index *ix,
			       const struct ir_index_elem *e)
{
	return arena_printf(n->a, "%s\x1f%s\x1f%s", e->opclass, ix->method,
			    e->column ? e->column : e->expr.src);
}

static void setup_schemas(struct normalizer *n)
{
	hmap_init(&n->temp_of, n->a);
	hmap_init(&n->real_of, n->a);
	hmap_init(&n->failed, n->a);
	n->ntemps = n->model->namespaces.len;
	n->temps = arena_array(n->a, n->ntemps ? n->ntemps : 1, sizeof(char *));
	for (size_t i = 0; i < n->ntemps; i++) {
		const char *real = n->model->namespaces.items[i];
		const char *tmp = arena_printf(n->a, "c7n_%s_%zu", n->tag, i);
		n->temps[i] = tmp;
		hmap_put(&n->temp_of, real, (void *)tmp);
		hmap_put(&n->real_of, tmp, (void *)real);
	}
}

static bool model_enum(struct normalizer *n, const char *schema, const char *name)
{
	return ir_enum_find(n->model, schema, name) != NULL;
}

static const char *temp(struct normalizer *n, const char *schema)
{
	const char *t = hmap_get(&n->temp_of, schema);
	if (!t)
		BUG("schema missing from the model's namespaces");
	return t;
}

static void add_segment(struct normalizer *n, struct strbuf *sb, size_t start,
			struct span span, struct ir_table *t)
{
	struct segment *s = arena_alloc(n->a, sizeof(*s));
	s->start = start;
	s->end = sb->len;
	s->span = span;
	s->table = t;
	vec_push(n->a, &n->segments, s);
}

/* An identifier at s[i] (bare or quoted): its length, its name in `name`. */
static size_t scan_ident(const char *s, size_t i, struct strbuf *name)
{
	strbuf_reset(name);
	if (s[i] == '"') {
		size_t j = i + 1;
		for (; s[j]; j++) {
			if (s[j] == '"') {
				if (s[j + 1] != '"')
					return j + 1 - i;
				j++;
			}
			strbuf_addch(name, s[j]);
		}
		return j - i;
	}
	size_t j = i;
	while ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
	       (s[j] >= '0' && s[j] <= '9') || s[j] == '_' || s[j] == '$') {
		char c = s[j++];
		strbuf_addch(name, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
	}
	return j - i;
}

/* A 'schema.sequence'::regclass literal (as in nextval defaults) naming a
 * sequence of the models is pointed at its throwaway copy. */
static void add_regclass(struct normalizer *n, struct strbuf *sb,
			 const char *body, size_t len)
{
	char *text = arena_strndup(n->a, body, len);
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t l1 = scan_ident(text, 0, &a);
	bool retarget = false;
	if (l1 && text[l1] == '.') {
		size_t l2 = scan_ident(text, l1 + 1, &b);
		retarget = l1 + 1 + l2 == len &&
			   ir_sequence_find(n->model, strbuf_str(&a), strbuf_str(&b));
	}
	strbuf_addch(sb, '\'');
	if (retarget) {
		strbuf_addstr(sb, temp(n, strbuf_str(&a)));
		strbuf_add(sb, text + l1, len - l1);
	} else {
		strbuf_add(sb, text, len);
	}
	strbuf_addch(sb, '\'');
	strbuf_release(&a);
	strbuf_release(&b);
}

/* Appends `expr` with "schema.enum" references to the models' enums turned
 * to the throwaway copies: the server prints them qualified
 * ('x'::public.mood), and inspected models carry that text. */
static void add_retargeted(struct normalizer *n, struct strbuf *sb, const char *s)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i = 0;
	while (s[i]) {
		char c = s[i];
		if (c == '\'') {
			size_t j = i + 1;
			while (s[j] && !(s[j] == '\'' && s[j + 1] != '\''))
				j += s[j] == '\'' ? 2 : 1;
			j += s[j] ? 1 : 0;
			if (strncmp(s + j, "::regclass", 10) == 0)
				add_regclass(n, sb, s + i + 1, j - i - 2);
			else
				strbuf_add(sb, s + i, j - i);
			i = j;
			continue;
		}
		bool start = c == '"' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		bool after_word = i > 0 && (s[i - 1] == '_' || s[i - 1] == '$' ||
					    (s[i - 1] >= '0' && s[i - 1] <= '9') ||
					    (s[i - 1] >= 'a' && s[i - 1] <= 'z') ||
					    (s[i - 1] >= 'A' && s[i - 1] <= 'Z'));
		if (!start || after_word) {
			strbuf_addch(sb, c);
			i++;
			continue;
		}
		size_t l1 = scan_ident(s, i, &a);
		if (s[i + l1] == '.') {
			size_t l2 = scan_ident(s, i + l1 + 1, &b);
			if (l2 && model_enum(n, strbuf_str(&a), strbuf_str(&b))) {
				sql_add_ident(sb, temp(n, strbuf_str(&a)));
				strbuf_addch(sb, '.');
				strbuf_add(sb, s + i + l1 + 1, l2);
				i += l1 + 1 + l2;
				continue;
			}
		}
		strbuf_add(sb, s + i, l1 ? l1 : 1);
		i += l1 ? l1 : 1;
	}
	strbuf_release(&a);
	strbuf_release(&b);
}

/* Appends `expr`, remembering where it came from. */
static void add_expr(struct normalizer *n, struct strbuf *sb,
		     const struct ir_expr *e, struct ir_table *t)
{
	size_t start = sb->len;
	add_retargeted(n, sb, e->src);
	add_segment(n, sb, start, e->span, t);
}

static void add_type(struct normalizer *n, struct strbuf *sb,
		     const struct ir_type *ty)
{
	/* Enums of the models live in the throwaway schemas; other user types
	 * (domains, extension types) are the database's own. */
	if (ty->user_schema && model_enum(n, ty->user_schema, ty->user_name)) {
		sql_add_full_qname(sb, temp(n, ty->user_schema), ty->user_name);
		if (ty->is_array)
			strbuf_addstr(sb, "[]");
		return;
	}
	strbuf_addstr(sb, ty->canon);
}

/* The models' extensions, created as the revision would (before the
 * search_path points at the throwaway schemas), so the tables can use
 * their types.  A no-op for those the database has where the models say;
 * one the models move is moved here too (and back with the rollback). */
static void build_extensions(struct normalizer *n, struct strbuf *sb)
{
	for (size_t i = 0; i < n->model->extensions.len; i++) {
		const struct ir_extension *x = n->model->extensions.items[i];
		if (x->schema) {
			strbuf_addstr(sb, "CREATE SCHEMA IF NOT EXISTS ");
			sql_add_ident(sb, x->schema);
			strbuf_addstr(sb, ";\n");
		}
		sql_add_create_extension(sb, x->name, x->schema);
		if (x->schema) {
			strbuf_addstr(sb, "ALTER EXTENSION ");
			sql_add_ident(sb, x->name);
			strbuf_addstr(sb, " SET SCHEMA ");
			sql_add_ident(sb, x->schema);
			strbuf_addstr(sb, ";\n");
		}
	}
}

static void build_sequences(struct normalizer *n, struct strbuf *sb)
{
	for (size_t i = 0; i < n->model->sequences.len; i++) {
		const struct ir_sequence *q = n->model->sequences.items[i];
		strbuf_addstr(sb, "CREATE SEQUENCE ");
		sql_add_full_qname(sb, temp(n, q->schema), q->name);
		strbuf_addf(sb, " AS %s;\n", q->type);
	}
}

static void build_enums(struct normalizer *n, struct strbuf *sb)
{
	for (size_t i = 0; i < n->model->enums.len; i++) {
		const struct ir_enum *e = n->model->enums.items[i];
		strbuf_addstr(sb, "CREATE TYPE ");
		sql_add_full_qname(sb, temp(n, e->schema), e->name);
		strbuf_addstr(sb, " AS ENUM (");
		for (size_t k = 0; k < e->labels.len; k++) {
			if (k)
				strbuf_addstr(sb, ", ");
			sql_add_literal(sb, e->labels.items[k]);
		}
		strbuf_addstr(sb, ");\n");
	}
}

static void build_table(struct normalizer *n, struct strbuf *sb,
			struct ir_table *t)
{
	size_t table_start = sb->len;
	strbuf_addstr(sb, "CREATE TABLE ");
	sql_add_full_qname(sb, temp(n, t->schema), t->name);
	strbuf_addstr(sb, " (");
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *c = t->columns.items[i];
		strbuf_addstr(sb, i ? ",\n  " : "\n  ");
		sql_add_ident(sb, c->name);
		strbuf_addch(sb, ' ');
		add_type(n, sb, &c->type);
		if (c->collation) {
			strbuf_addstr(sb, " COLLATE ");
			sql_add_ident(sb, c->collation);
		}
		if (c->def.src) {
			strbuf_addstr(sb, " DEFAULT ");
			add_expr(n, sb, &c->def, t);
		}
		if (c->generated.src) {
			strbuf_addstr(sb, " GENERATED ALWAYS AS (");
			add_expr(n, sb, &c->generated, t);
			strbuf_addstr(sb, ") STORED");
		}
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *k = t->constraints.items[i];
		if (k->kind != IR_CON_CHECK && k->kind != IR_CON_EXCLUDE)
			continue;
		strbuf_addstr(sb, ",\n  CONSTRAINT ");
		sql_add_ident(sb, k->name);
		if (k->kind == IR_CON_EXCLUDE) {
			strbuf_addstr(sb, " EXCLUDE ");
			add_expr(n, sb, &k->check, t);
			continue;
		}
		strbuf_addstr(sb, " CHECK (");
		add_expr(n, sb, &k->check, t);
		strbuf_addch(sb, ')');
	}
	strbuf_addstr(sb, "\n);\n");
	/* Errors outside any expression point at the table. */
	struct segment *whole = arena_alloc(n->a, sizeof(*whole));
	whole->start = table_start;
	whole->end = sb->len;
	whole->span = t->span;
	whole->table = t;
	vec_push(n->a, &n->segments, whole);

	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		size_t start = sb->len;
		strbuf_addstr(sb, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
		sql_add_ident(sb, ix->name);
		strbuf_addstr(sb, " ON ");
		sql_add_full_qname(sb, temp(n, t->schema), t->name);
		strbuf_addf(sb, " USING %s (", ix->method);
		for (size_t k = 0; k < ix->nelems; k++) {
			struct ir_index_elem *e = &ix->elems[k];
			if (k)
				strbuf_addstr(sb, ", ");
			if (e->column)
				sql_add_ident(sb, e->column);
			else
				add_expr(n, sb, &e->expr, t);
			if (e->opclass) {
				strbuf_addch(sb, ' ');
				strbuf_addstr(sb, e->opclass);
			}
		}
		strbuf_addch(sb, ')');
		if (ix->include.len) {
			strbuf_addstr(sb, " INCLUDE (");
			for (size_t k = 0; k < ix->include.len; k++) {
				if (k)
					strbuf_addstr(sb, ", ");
				sql_add_ident(sb, ix->include.items[k]);
			}
			strbuf_addch(sb, ')');
		}
		if (ix->nulls_not_distinct)
			strbuf_addstr(sb, " NULLS NOT DISTINCT");
		if (ix->options.src) {
			strbuf_addstr(sb, " WITH (");
			strbuf_addstr(sb, ix->options.src);
			strbuf_addch(sb, ')');
		}
		if (ix->where.src) {
			strbuf_addstr(sb, " WHERE (");
			add_expr(n, sb, &ix->where, t);
			strbuf_addch(sb, ')');
		}
		strbuf_addstr(sb, ";\n");
		add_segment(n, sb, start, ix->span, t);
	}
}

/* The server's error position counts characters; ours are bytes. */
static size_t char_to_byte(const char *s, size_t len, int position)
{
	size_t chars = 0;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (++chars == (size_t)position)
				return i;
		}
	}
	return len;
}

/* The innermost segment holding the error, or NULL. */
static struct segment *segment_at(struct normalizer *n, size_t offset)
{
	struct segment *best = NULL;
	for (size_t i = 0; i < n->segments.len; i++) {
		struct segment *s = n->segments.items[i];
		if (offset < s->start || offset >= s->end)
			continue;
		if (!best || s->end - s->start < best->end - best->start)
			best = s;
	}
	return best;
}

static void report(struct normalizer *n, struct span sp)
{
	struct diag *g = diag_error(n->d, sp, "%s", n->err->message);
	if (n->err->detail)
		diag_note(n->d, g, SPAN_NONE, "%s", n->err->detail);
	if (n->err->hint)
		diag_hint(n->d, g, "%s", n->err->hint);
}

enum chunk_result {
	CHUNK_OK,
	CHUNK_REFUSED,   /* a model table was refused, reported and marked */
	CHUNK_UNPLACED,  /* refused, but the error does not say where */
	CHUNK_FAILED,    /* the database failed; err is filled */
};

/* Connection, resource and privilege problems are the database's, not the
 * model's. */
static bool database_fault(const struct pg_error *e)
{
	return !e->sqlstate[0] || strncmp(e->sqlstate, "08", 2) == 0 ||
	       strncmp(e->sqlstate, "53", 2) == 0 ||
	       strncmp(e->sqlstate, "57", 2) == 0 ||
	       strncmp(e->sqlstate, "58", 2) == 0 ||
	       strcmp(e->sqlstate, "42501") == 0 ||
	       strcmp(e->sqlstate, "25006") == 0;
}

static void mark_failed(struct normalizer *n, struct ir_table *t)
{
	hmap_put(&n->failed, t->key, t);
}

/* Runs one chunk: builds it, reads it back, rolls back. */
static enum chunk_result run_chunk(struct normalizer *n, struct vec *tables,
				   struct ir_schema **built)
{
	struct strbuf sb = STRBUF_INIT;
	n->segments.len = 0;
	strbuf_addstr(&sb, "BEGIN;\n");
	build_extensions(n, &sb);
	strbuf_addstr(&sb, "SET LOCAL search_path = ");
	sql_add_ident(&sb, temp(n, SQL_DEFAULT_SCHEMA));
	strbuf_addstr(&sb, ", public;\n");
	for (size_t i = 0; i < n->ntemps; i++) {
		strbuf_addstr(&sb, "CREATE SCHEMA ");
		sql_add_ident(&sb, n->temps[i]);
		strbuf_addstr(&sb, ";\n");
	}
	build_enums(n, &sb);
	build_sequences(n, &sb);
	for (size_t i = 0; i < tables->len; i++)
		build_table(n, &sb, tables->items[i]);

	enum chunk_result rc = CHUNK_OK;
	struct pg_error ignored;
	if (!pg_exec(n->c, strbuf_str(&sb), n->err)) {
		pg_exec(n->c, "ROLLBACK", &ignored);
		struct segment *seg = n->err->position
			? segment_at(n, char_to_byte(sb.buf, sb.len, n->err->position))
			: NULL;
		if (database_fault(n->err)) {
			rc = CHUNK_FAILED;
		} else if (!seg) {
			rc = CHUNK_UNPLACED;
		} else {
			report(n, seg->span);
			mark_failed(n, seg->table);
			rc = CHUNK_REFUSED;
		}
		strbuf_release(&sb);
		return rc;
	}
	struct introspect_opts opts = { 0 };
	opts.schemas = n->temps;
	opts.nschemas = n->ntemps;
	opts.in_transaction = true;
	*built = pg_introspect(n->c, n->a, &opts, n->err);
	if (!pg_exec(n->c, "ROLLBACK", *built ? n->err : &ignored) || !*built)
		rc = CHUNK_FAILED;
	strbuf_release(&sb);
	n->stats->transactions++;
	return rc;
}

/* Server text names the temporary schemas; put the real names back. */
static const char *map_back(struct normalizer *n, const char *text)
{
	if (!text)
		return NULL;
	const char *prefix = arena_printf(n->a, "c7n_%s_", n->tag);
	size_t plen = strlen(prefix);
	if (!strstr(text, prefix))
		return text;
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;
	const char *hit;
	while ((hit = strstr(p, prefix))) {
		strbuf_add(&sb, p, (size_t)(hit - p));
		const char *q = hit + plen;
		while (*q >= '0' && *q <= '9')
			q++;
		const char *tmp = arena_strndup(n->a, hit, (size_t)(q - hit));
		const char *real = hmap_get(&n->real_of, tmp);
		if (real)
			sql_add_ident(&sb, real);
		else
			strbuf_addstr(&sb, tmp);
		p = q;
	}
	strbuf_addstr(&sb, p);
	const char *out = strbuf_to_arena(&sb, n->a);
	strbuf_release(&sb);
	return out;
}

static const char *context_of(struct normalizer *n, const struct ir_table *t)
{
	const char *ctx = hmap_get(&n->contexts, t->key);
	if (!ctx) {
		ctx = normcache_context(n->cache, n->model, t);
		hmap_put(&n->contexts, t->key, (void *)ctx);
	}
	return ctx;
}

static void copy_columns(struct normalizer *n, struct ir_table *t,
			 const struct ir_table *b)
{
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *c = t->columns.items[i];
		const struct ir_column *bc = ir_column_find(b, c->name);
		if (!bc)
			continue;
		if (c->def.src) {
			/* DEFAULT NULL stores no default at all. */
			if (!bc->def.src) {
				if (n->cache)
					normcache_put(n->cache, context_of(n, t),
						      NORMCACHE_DEFAULT, c->def.src, "");
				c->def.src = NULL;
			}
			c->def.canon = map_back(n, bc->def.src);
		}
		if (c->generated.src)
			c->generated.canon = map_back(n, bc->generated.src);
	}
}

static void copy_constraints(struct normalizer *n, struct ir_table *t,
			     const struct ir_table *b)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *k = t->constraints.items[i];
		if (k->kind != IR_CON_CHECK && k->kind != IR_CON_EXCLUDE)
			continue;
		for (size_t j = 0; j < b->constraints.len; j++) {
			const struct ir_constraint *bk = b->constraints.items[j];
			if (strcmp(bk->name, k->name) == 0)
				k->check.canon = map_back(n, bk->check.src);
		}
	}
}

static void copy_indexes(struct normalizer *n, struct ir_table *t,
			 const struct ir_table *b)
{
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		const struct ir_index *bx = NULL;
		for (size_t j = 0; j < b->indexes.len && !bx; j++)
			if (strcmp(((struct ir_index *)b->indexes.items[j])->name, ix->name) == 0)
				bx = b->indexes.items[j];
		if (!bx || bx->nelems != ix->nelems)
			continue;
		for (size_t k = 0; k < ix->nelems; k++) {
			struct ir_index_elem *e = &ix->elems[k];
			const struct ir_index_elem *be = &bx->elems[k];
			if (e->opclass) {
				if (n->cache)
					normcache_put(n->cache, context_of(n, t), NORMCACHE_OPCLASS,
						      opclass_key(n, ix, e),
						      be->opclass ? be->opclass : "");
				e->opclass = be->opclass;
			}
			if (e->column)
				continue;
			if (be->column) {
				/* "(email)" is just the column to the server. */
				e->written = e->expr.src;
				e->column = be->column;
				e->expr.src = e->expr.canon = NULL;
			} else {
				e->expr.canon = map_back(n, be->expr.src);
			}
		}
		if (ix->where.src)
			ix->where.canon = map_back(n, bx->where.src);
		if (ix->options.src)
			ix->options.canon = bx->options.src ? bx->options.src : "";
	}
}

/* Records every expression of a table just built in the cache. */
static void remember(struct normalizer *n, struct ir_table *t)
{
	struct normcache *c = n->cache;
	const char *ctx = context_of(n, t);
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *col = t->columns.items[i];
		if (col->def.src)
			normcache_put(c, ctx, NORMCACHE_DEFAULT, col->def.src, col->def.canon);
		if (col->generated.src)
			normcache_put(c, ctx, NORMCACHE_GENERATED, col->generated.src,
				      col->generated.canon);
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *k = t->constraints.items[i];
		if (k->kind == IR_CON_CHECK && k->check.canon)
			normcache_put(c, ctx, NORMCACHE_CHECK, k->check.src, k->check.canon);
		if (k->kind == IR_CON_EXCLUDE && k->check.canon)
			normcache_put(c, ctx, NORMCACHE_EXCLUDE, k->check.src, k->check.canon);
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		for (size_t e = 0; e < ix->nelems; e++) {
			struct ir_index_elem *el = &ix->elems[e];
			if (el->expr.canon)
				normcache_put(c, ctx, NORMCACHE_INDEX_ELEM, el->expr.src,
					      el->expr.canon);
			else if (el->written)
				normcache_put(c, ctx, NORMCACHE_INDEX_ELEM, el->written,
					      arena_printf(n->a, NORMCACHE_COLUMN "%s", el->column));
		}
		if (ix->where.canon)
			normcache_put(c, ctx, NORMCACHE_PREDICATE, ix->where.src, ix->where.canon);
		if (ix->options.canon)
			normcache_put(c, ctx, NORMCACHE_INDEX_OPTIONS, ix->options.src,
				      ix->options.canon);
	}
}

static void copy_back(struct normalizer *n, struct vec *tables,
		      const struct ir_schema *built)
{
	for (size_t i = 0; i < tables->len; i++) {
		struct ir_table *t = tables->items[i];
		const struct ir_table *b = ir_table_find(built, temp(n, t->schema), t->name);
		if (!b)
			BUG("normalised table missing from the read-back");
		copy_columns(n, t, b);
		copy_constraints(n, t, b);
		copy_indexes(n, t, b);
		if (n->cache)
			remember(n, t);
		n->stats->tables++;
	}
}

/* Fills every expression of `t` from the cache, all or nothing. */
static bool recall(struct normalizer *n, struct ir_table *t)
{
	struct normcache *c = n->cache;
	const char *ctx = context_of(n, t);
	const char *v;
	/* First check everything is there, then apply. */
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *col = t->columns.items[i];
		if (col->def.src && !normcache_get(c, ctx, NORMCACHE_DEFAULT, col->def.src))
			return false;
		if (col->generated.src &&
		    !normcache_get(c, ctx, NORMCACHE_GENERATED, col->generated.src))
			return false;
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *k = t->constraints.items[i];
		if (k->kind == IR_CON_CHECK &&
		    !normcache_get(c, ctx, NORMCACHE_CHECK, k->check.src))
			return false;
		if (k->kind == IR_CON_EXCLUDE &&
		    !normcache_get(c, ctx, NORMCACHE_EXCLUDE, k->check.src))
			return false;
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		for (size_t e = 0; e < ix->nelems; e++) {
			const struct ir_index_elem *el = &ix->elems[e];
			if (!el->column &&
			    !normcache_get(c, ctx, NORMCACHE_INDEX_ELEM, el->expr.src))
				return false;
			if (el->opclass &&
			    !normcache_get(c, ctx, NORMCACHE_OPCLASS, opclass_key(n, ix, el)))
				return false;
		}
		if (ix->where.src && !normcache_get(c, ctx, NORMCACHE_PREDICATE, ix->where.src))
			return false;
		if (ix->options.src &&
		    !normcache_get(c, ctx, NORMCACHE_INDEX_OPTIONS, ix->options.src))
			return false;
	}
	for (size_t i = 0; i < t->columns.len; i++) {
		struct ir_column *col = t->columns.items[i];
		if (col->def.src) {
			v = normcache_get(c, ctx, NORMCACHE_DEFAULT, col->def.src);
			if (!*v)
				col->def.src = NULL; /* DEFAULT NULL */
			else
				col->def.canon = v;
		}
		if (col->generated.src)
			col->generated.canon = normcache_get(c, ctx, NORMCACHE_GENERATED,
							     col->generated.src);
	}
	for (size_t i = 0; i < t->constraints.len; i++) {
		struct ir_constraint *k = t->constraints.items[i];
		if (k->kind == IR_CON_CHECK)
			k->check.canon = normcache_get(c, ctx, NORMCACHE_CHECK, k->check.src);
		if (k->kind == IR_CON_EXCLUDE)
			k->check.canon = normcache_get(c, ctx, NORMCACHE_EXCLUDE, k->check.src);
	}
	for (size_t i = 0; i < t->indexes.len; i++) {
		struct ir_index *ix = t->indexes.items[i];
		for (size_t e = 0; e < ix->nelems; e++) {
			struct ir_index_elem *el = &ix->elems[e];
			if (el->opclass) {
				v = normcache_get(c, ctx, NORMCACHE_OPCLASS, opclass_key(n, ix, el));
				el->opclass = *v ? v : NULL;
			}
			if (el->column)
				continue;
			v = normcache_get(c, ctx, NORMCACHE_INDEX_ELEM, el->expr.src);
			size_t plen = strlen(NORMCACHE_COLUMN);
			if (strncmp(v, NORMCACHE_COLUMN, plen) == 0) {
				el->written = el->expr.src;
				el->column = arena_strdup(n->a, v + plen);
				el->expr.src = el->expr.canon = NULL;
			} else {
				el->expr.canon = v;
			}
		}
		if (ix->where.src)
			ix->where.canon = normcache_get(c, ctx, NORMCACHE_PREDICATE, ix->where.src);
		if (ix->options.src)
			ix->options.canon = normcache_get(c, ctx, NORMCACHE_INDEX_OPTIONS,
							  ix->options.src);
	}
	n->stats->cached++;
	return true;
}

static bool normalize_tables(struct normalizer *n, struct vec *chunk);

/* An error without a position: build the tables one by one to find the
 * one the server refuses. */
static bool locate_refusal(struct normalizer *n, struct vec *live)
{
	if (live->len == 1) {
		struct ir_table *t = live->items[0];
		report(n, t->span);
		mark_failed(n, t);
		return true;
	}
	for (size_t i = 0; i < live->len; i++) {
		struct vec one = { 0 };
		vec_push(n->a, &one, live->items[i]);
		if (!normalize_tables(n, &one))
			return false;
	}
	return true;
}

/* Builds the tables, dropping any the server refuses and trying again
 * with the rest, so one run reports every broken table. */
static bool normalize_tables(struct normalizer *n, struct vec *chunk)
{
	for (;;) {
		struct vec live = { 0 };
		for (size_t i = 0; i < chunk->len; i++) {
			struct ir_table *t = chunk->items[i];
			if (!hmap_get(&n->failed, t->key))
				vec_push(n->a, &live, t);
		}
		if (!live.len || n->d->errors > n->d->limit)
			return true;
		struct ir_schema *built = NULL;
		switch (run_chunk(n, &live, &built)) {
		case CHUNK_OK:
			copy_back(n, &live, built);
			return true;
		case CHUNK_REFUSED:
			continue;
		case CHUNK_UNPLACED:
			return locate_refusal(n, &live);
		case CHUNK_FAILED:
			return false;
		}
	}
}

/* CREATE EXTENSION fails for a missing extension with a file error that
 * names no model line: say which declaration asks for it instead. */
static bool check_extensions(struct normalizer *n)
{
	size_t count = n->model->extensions.len;
	if (!count)
		return true;
	const char **names = arena_array(n->a, count, sizeof(char *));
	for (size_t i = 0; i < count; i++)
		names[i] = ((struct ir_extension *)n->model->extensions.items[i])->name;
	const char *params[1] = { pg_array_literal(n->a, names, count) };
	struct pg_result *r = pg_query(n->c,
		"SELECT x FROM pg_catalog.unnest($1::pg_catalog.text[]) x"
		" WHERE x NOT IN (SELECT name FROM pg_catalog.pg_available_extensions)",
		1, params, n->err);
	if (!r)
		return false;
	for (int i = 0; i < pg_nrows(r); i++) {
		const struct ir_extension *x = ir_extension_find(n->model, pg_value(r, i, 0));
		struct diag *g = diag_error(n->d, x->span,
					    "extension '%s' is not available on the server",
					    x->name);
		diag_hint(n->d, g, "install the package that provides it on the database "
				   "server (contrib extensions come with postgresql on Debian)");
	}
	pg_result_free(r);
	return true;
}

bool pg_normalize(struct pg_conn *c, struct arena *a, struct ir_schema *model,
		  struct normcache *cache, struct diags *d, struct pg_error *err,
		  struct normalize_stats *stats)
{
	struct normalizer n = { 0 };
	struct normalize_stats unused = { 0 };
	n.c = c;
	n.a = a;
	n.model = model;
	n.d = d;
	n.err = err;
	n.stats = stats ? stats : &unused;
	n.cache = cache;
	hmap_init(&n.contexts, a);
	memset(err, 0, sizeof(*err));
	if (!random_hex(n.tag, 4)) {
		err->message = "no random bytes for temporary schema names";
		return false;
	}
	setup_schemas(&n);
	size_t errors_before = d->errors;
	if (!check_extensions(&n))
		return false;
	if (d->errors != errors_before)
		return false;
	struct vec chunk = { 0 };
	for (size_t i = 0; i < model->tables.len; i++) {
		struct ir_table *t = model->tables.items[i];
		if (!needs_server(t) || (cache && recall(&n, t)))
			continue;
		vec_push(a, &chunk, t);
		if (chunk.len == NORMALIZE_CHUNK) {
			if (!normalize_tables(&n, &chunk))
				return false;
			chunk = (struct vec){ 0 };
		}
	}
	if (chunk.len && !normalize_tables(&n, &chunk))
		return false;
	return d->errors == errors_before;
}

/* ---- the database's side, read back through the same path ---- */

struct renormalizer {
	struct arena *a;
	struct hmap model_texts; /* every model expression's canonical text */
	struct vec pairs;        /* struct renorm_pair */
};

/* A database expression and its copy in the throwaway models. */
struct renorm_pair {
	struct ir_expr *db, *copy;
};

static void note_text(struct renormalizer *r, const struct ir_expr *e)
{
	if (e->src)
		hmap_put(&r->model_texts, ir_expr_cmp(e), (void *)e);
}

static void collect_model_texts(struct renormalizer *r, const struct ir_schema *m)
{
	for (size_t i = 0; i < m->tables.len; i++) {
		const struct ir_table *t = m->tables.items[i];
		for (size_t k = 0; k < t->columns.len; k++) {
			const struct ir_column *c = t->columns.items[k];
			note_text(r, &c->def);
			note_text(r, &c->generated);
		}
		for (size_t k = 0; k < t->constraints.len; k++)
			note_text(r, &((const struct ir_constraint *)t->constraints.items[k])->check);
		for (size_t k = 0; k < t->indexes.len; k++) {
			const struct ir_index *ix = t->indexes.items[k];
			for (size_t e = 0; e < ix->nelems; e++)
				note_text(r, &ix->elems[e].expr);
			note_text(r, &ix->where);
		}
	}
}

static bool unmatched(struct renormalizer *r, const struct ir_expr *e)
{
	return e->src && !hmap_get(&r->model_texts, ir_expr_cmp(e));
}

static bool table_unmatched(struct renormalizer *r, const struct ir_table *t)
{
	for (size_t k = 0; k < t->columns.len; k++) {
		const struct ir_column *c = t->columns.items[k];
		if (unmatched(r, &c->def) || unmatched(r, &c->generated))
			return true;
	}
	for (size_t k = 0; k < t->constraints.len; k++)
		if (unmatched(r, &((const struct ir_constraint *)t->constraints.items[k])->check))
			return true;
	for (size_t k = 0; k < t->indexes.len; k++) {
		const struct ir_index *ix = t->indexes.items[k];
		for (size_t e = 0; e < ix->nelems; e++)
			if (unmatched(r, &ix->elems[e].expr))
				return true;
		if (unmatched(r, &ix->where))
			return true;
	}
	return false;
}

/* The copy reads the database's text as if a model had written it. */
static void pair(struct renormalizer *r, struct ir_expr *db, struct ir_expr *copy)
{
	*copy = *db;
	copy->canon = NULL;
	if (!db->src)
		return;
	copy->src = ir_expr_cmp(db);
	struct renorm_pair *p = arena_alloc(r->a, sizeof(*p));
	p->db = db;
	p->copy = copy;
	vec_push(r->a, &r->pairs, p);
}

static void copy_table(struct renormalizer *r, struct ir_schema *s, struct ir_table *t)
{
	struct ir_table *c = ir_table_add(s, t->schema, t->name);
	for (size_t k = 0; k < t->columns.len; k++) {
		struct ir_column *from = t->columns.items[k];
		struct ir_column *to = ir_column_add(s, c, from->name);
		*to = *from;
		pair(r, &from->def, &to->def);
		pair(r, &from->generated, &to->generated);
	}
	for (size_t k = 0; k < t->constraints.len; k++) {
		struct ir_constraint *from = t->constraints.items[k];
		struct ir_constraint *to = ir_constraint_add(s, c, from->kind);
		*to = *from;
		pair(r, &from->check, &to->check);
	}
	for (size_t k = 0; k < t->indexes.len; k++) {
		struct ir_index *from = t->indexes.items[k];
		struct ir_index *to = ir_index_add(s, c);
		*to = *from;
		to->elems = arena_array(r->a, from->nelems + 1, sizeof(*to->elems));
		for (size_t e = 0; e < from->nelems; e++) {
			to->elems[e] = from->elems[e];
			pair(r, &from->elems[e].expr, &to->elems[e].expr);
		}
		pair(r, &from->where, &to->where);
		to->options.canon = NULL;
	}
}

bool pg_renormalize(struct pg_conn *c, struct arena *a, struct ir_schema *db,
		    const struct ir_schema *model, struct normcache *cache,
		    struct pg_error *err)
{
	struct renormalizer r = { 0 };
	r.a = a;
	hmap_init(&r.model_texts, a);
	collect_model_texts(&r, model);
	struct ir_schema *copy = ir_schema_new(a, IR_ORIGIN_MODEL);
	copy->namespaces = db->namespaces;
	for (size_t i = 0; i < db->enums.len; i++) {
		struct ir_enum *e = db->enums.items[i];
		*ir_enum_add(copy, e->schema, e->name) = *e;
	}
	for (size_t i = 0; i < db->sequences.len; i++) {
		struct ir_sequence *q = db->sequences.items[i];
		*ir_sequence_add(copy, q->schema, q->name) = *q;
	}
	for (size_t i = 0; i < db->tables.len; i++) {
		struct ir_table *t = db->tables.items[i];
		if (table_unmatched(&r, t))
			copy_table(&r, copy, t);
	}
	if (!copy->tables.len)
		return true;
	/* A text the server printed and cannot read back is simply not
	 * renormalised: whatever it reports stays here. */
	struct diags quiet;
	diags_init(&quiet, a);
	pg_normalize(c, a, copy, cache, &quiet, err, NULL);
	if (err->message)
		return false;
	for (size_t i = 0; i < r.pairs.len; i++) {
		struct renorm_pair *p = r.pairs.items[i];
		if (p->copy->canon && hmap_get(&r.model_texts, p->copy->canon))
			p->db->canon = p->copy->canon;
	}
	return true;
}
