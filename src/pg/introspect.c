#include "pg/introspect.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "ir/pgnames.h"

/*
 * The tables in scope: ordinary tables of the managed schemas that are not
 * partitions, inheritance children, extension members or c7gen's own.
 * Every query starts from it, so they all agree on the set.
 */
#define TABLES_CTE                                                             \
	"WITH tbl AS ("                                                        \
	" SELECT c.oid, n.nspname, c.relname"                                  \
	" FROM pg_catalog.pg_class c"                                          \
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"            \
	" WHERE c.relkind = 'r' AND n.nspname = ANY ($1::pg_catalog.text[])"   \
	"   AND NOT c.relispartition"                                          \
	"   AND NOT (n.nspname || '.' || c.relname = ANY ($2::pg_catalog.text[]))" \
	"   AND ($3::pg_catalog.text[] IS NULL"                                 \
	"        OR n.nspname || '.' || c.relname = ANY ($3::pg_catalog.text[]))" \
	"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i"            \
	"                   WHERE i.inhrelid = c.oid)"                         \
	"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e"              \
	"                   WHERE e.classid = 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"                     AND e.objid = c.oid AND e.deptype = 'e')"        \
	") "

/* With each schema, whether it holds anything c7gen leaves alone.  An
 * extension's own members go with the extension. */
#define NOT_EXTENSION_MEMBER(oid) \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d" \
	"   WHERE d.objid = " oid " AND d.deptype = 'e')"
static const char q_schemas[] =
	"SELECT n.nspname,"
	" EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid"
	"         AND (c.relkind IN ('v', 'm', 'p', 'f', 'c') OR c.relispartition)"
	NOT_EXTENSION_MEMBER("c.oid") ")"
	" OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid"
	NOT_EXTENSION_MEMBER("p.oid") ")"
	" OR EXISTS (SELECT 1 FROM pg_catalog.pg_type t WHERE t.typnamespace = n.oid"
	"            AND t.typtype IN ('d', 'r', 'm', 'b') AND t.typcategory <> 'A'"
	NOT_EXTENSION_MEMBER("t.oid") ") AS occupied"
	" FROM pg_catalog.pg_namespace n"
	" WHERE n.nspname = ANY ($1::pg_catalog.text[]) ORDER BY n.nspname";

/* Every extension but the built-in procedural language; which of them
 * are c7gen's to drop is the differ's call (those in managed schemas). */
static const char q_extensions[] =
	"SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e"
	" JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace"
	" WHERE e.extname <> 'plpgsql' ORDER BY e.extname";

static const char q_enums[] =
	"SELECT n.nspname, t.typname,"
	" ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e"
	"   WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)::pg_catalog.text AS labels"
	" FROM pg_catalog.pg_type t"
	" JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
	" WHERE t.typtype = 'e' AND n.nspname = ANY ($1::pg_catalog.text[])"
	"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e"
	"     WHERE e.classid = 'pg_catalog.pg_type'::pg_catalog.regclass"
	"       AND e.objid = t.oid AND e.deptype = 'e')"
	" ORDER BY n.nspname, t.typname";

/* Sequences of their own: not owned by a column (those are serial or
 * identity, carried by the column), not an extension's. */
static const char q_sequences[] =
	"SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL) AS type,"
	" s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle"
	" FROM pg_catalog.pg_sequence s"
	" JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid"
	" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" WHERE n.nspname = ANY ($1::pg_catalog.text[])"
	"   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
	"     WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid"
	"       AND (d.deptype = 'e' OR (d.deptype IN ('a', 'i') AND d.refobjsubid > 0)))"
	" ORDER BY n.nspname, c.relname";

static const char q_tables[] = TABLES_CTE
	"SELECT tbl.oid, tbl.nspname, tbl.relname, d.description"
	" FROM tbl LEFT JOIN pg_catalog.pg_description d"
	"   ON d.objoid = tbl.oid AND d.objsubid = 0"
	"  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	" ORDER BY tbl.nspname, tbl.relname";

/* A column's owned sequence ('a': serial, 'i': identity) is probed through
 * pg_depend's reference index per column; joining a set of sequences
 * instead misleads the planner into a nested loop over every pair. */
static const char q_columns[] = TABLES_CTE
	"SELECT a.attrelid, a.attname,"
	" pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,"
	" a.attnotnull, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS def,"
	" a.attidentity, a.attgenerated,"
	" CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,"
	" d.description,"
	" CASE WHEN et.oid IS NOT NULL AND etn.nspname <> 'pg_catalog' THEN etn.nspname END AS user_schema,"
	" et.typname AS user_name, t.typcategory = 'A' AS is_array,"
	" seq.relname AS seq_name, seq.nspname AS seq_schema, seq.deptype AS seq_kind,"
	" seq.seqtype AS seq_type, seq.seqstart, seq.seqincrement, seq.seqmin,"
	" seq.seqmax, seq.seqcache, seq.seqcycle"
	" FROM tbl"
	" JOIN pg_catalog.pg_attribute a ON a.attrelid = tbl.oid"
	" JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_catalog.pg_type et"
	"   ON et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END"
	" LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace"
	" LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation"
	" LEFT JOIN pg_catalog.pg_attrdef ad"
	"   ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
	" LEFT JOIN pg_catalog.pg_description d"
	"   ON d.objoid = a.attrelid AND d.objsubid = a.attnum"
	"  AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	" LEFT JOIN LATERAL ("
	"   SELECT s.relname, sn.nspname, dep.deptype,"
	"    pg_catalog.format_type(sq.seqtypid, NULL) AS seqtype, sq.seqstart,"
	"    sq.seqincrement, sq.seqmin, sq.seqmax, sq.seqcache, sq.seqcycle"
	"   FROM pg_catalog.pg_depend dep"
	"   JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'"
	"   JOIN pg_catalog.pg_sequence sq ON sq.seqrelid = s.oid"
	"   JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace"
	"   WHERE dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"     AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum"
	"     AND dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
	"     AND dep.deptype IN ('a', 'i')"
	"   ORDER BY s.relname LIMIT 1) seq ON true"
	" WHERE a.attnum > 0 AND NOT a.attisdropped"
	" ORDER BY a.attrelid, a.attnum";

static const char q_constraints[] = TABLES_CTE
	"SELECT k.conrelid, k.conname, k.contype,"
	" ARRAY(SELECT a.attname FROM pg_catalog.unnest(k.conkey)"
	"   WITH ORDINALITY u(n, i) JOIN pg_catalog.pg_attribute a"
	"   ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i)::pg_catalog.text AS cols,"
	" rn.nspname AS ref_schema, r.relname AS ref_table,"
	" CASE WHEN k.contype = 'f' THEN ki.relname END AS ref_index,"
	" ARRAY(SELECT a.attname FROM pg_catalog.unnest(k.confkey)"
	"   WITH ORDINALITY u(n, i) JOIN pg_catalog.pg_attribute a"
	"   ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i)::pg_catalog.text AS ref_cols,"
	" k.confdeltype, k.confupdtype, k.confmatchtype,"
	" k.condeferrable, k.condeferred, NOT k.convalidated AS not_valid, k.connoinherit,"
	" CASE k.contype WHEN 'c' THEN pg_catalog.pg_get_expr(k.conbin, k.conrelid)"
	"   WHEN 'x' THEN pg_catalog.pg_get_constraintdef(k.oid) END AS check_expr,"
	" ARRAY(SELECT a.attname FROM pg_catalog.generate_series(i.indnkeyatts, i.indnatts - 1) p"
	"   JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[p]"
	"   ORDER BY p)::pg_catalog.text AS include,"
	" COALESCE(%s, false) AS nulls_not_distinct"
	" FROM tbl JOIN pg_catalog.pg_constraint k ON k.conrelid = tbl.oid"
	" LEFT JOIN pg_catalog.pg_class r ON r.oid = k.confrelid"
	" LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace"
	" LEFT JOIN pg_catalog.pg_class ki ON ki.oid = k.conindid"
	" LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')"
	" WHERE k.contype IN ('p', 'u', 'f', 'c', 'x')"
	" ORDER BY k.conrelid, k.conname";

/* Indexes that back a constraint are described by the constraint. */
static const char q_indexes[] = TABLES_CTE
	"SELECT i.indrelid, ic.relname, i.indisunique, am.amname,"
	" i.indnkeyatts, i.indkey::pg_catalog.text AS indkey,"
	" i.indoption::pg_catalog.text AS indoption,"
	" ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)"
	"   FROM pg_catalog.generate_series(1, i.indnkeyatts) k ORDER BY k)::pg_catalog.text AS keys,"
	" ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k, true)"
	"   FROM pg_catalog.generate_series(i.indnkeyatts + 1, i.indnatts) k ORDER BY k)::pg_catalog.text AS include,"
	" ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' WHEN ocn.nspname = 'pg_catalog' THEN oc.opcname"
	"   ELSE ocn.nspname || '.' || oc.opcname END"
	"   FROM pg_catalog.generate_series(0, i.indnkeyatts - 1) k"
	"   JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[k]"
	"   JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace ORDER BY k)::pg_catalog.text AS opclasses,"
	" pg_catalog.array_to_string(ic.reloptions, ', ') AS options,"
	" COALESCE(%s, false) AS nulls_not_distinct,"
	" pg_catalog.pg_get_expr(i.indpred, i.indrelid) AS predicate"
	" FROM tbl JOIN pg_catalog.pg_index i ON i.indrelid = tbl.oid"
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
	" JOIN pg_catalog.pg_am am ON am.oid = ic.relam"
	" WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k"
	"   WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid"
	"     AND k.contype IN ('p', 'u', 'x'))"
	" ORDER BY i.indrelid, ic.relname";

struct intro {
	struct pg_conn *c;
	struct arena *a;
	struct ir_schema *ir;
	const char *params[3];
	struct hmap by_oid; /* table oid text -> struct ir_table */
	struct hmap interned;
	struct pg_error *err;
	/* Where the constraints and indexes queries were sent, when they run
	 * beside the others; NULL: they run on `c` in turn. */
	struct pg_conn *helper[2];
};

enum { HELPER_CONSTRAINTS, HELPER_INDEXES };

/* Type names and the like repeat on every row: keep one copy of each. */
static const char *intern(struct intro *in, const char *s)
{
	if (!s)
		return NULL;
	const char *have = hmap_get(&in->interned, s);
	if (have)
		return have;
	const char *copy = arena_strdup(in->a, s);
	hmap_put(&in->interned, copy, (void *)copy);
	return copy;
}

static struct pg_result *run(struct intro *in, const char *sql, int nparams)
{
	return pg_query(in->c, sql, nparams, in->params, in->err);
}

static const char *dup(struct intro *in, const char *s)
{
	return s ? arena_strdup(in->a, s) : NULL;
}

static bool read_schemas(struct intro *in)
{
	struct pg_result *r = run(in, q_schemas, 1);
	if (!r)
		return false;
	for (int i = 0; i < pg_nrows(r); i++) {
		const char *name = dup(in, pg_value(r, i, 0));
		ir_namespace_add(in->ir, name);
		if (pg_bool(r, i, 1))
			hmap_put(&in->ir->occupied, name, (void *)name);
	}
	pg_result_free(r);
	return true;
}

static bool read_extensions(struct intro *in)
{
	struct pg_result *r = run(in, q_extensions, 0);
	if (!r)
		return false;
	for (int i = 0; i < pg_nrows(r); i++)
		ir_extension_add(in->ir, dup(in, pg_value(r, i, 0)), dup(in, pg_value(r, i, 1)));
	pg_result_free(r);
	return true;
}

static bool read_enums(struct intro *in)
{
	struct pg_result *r = run(in, q_enums, 1);
	if (!r)
		return false;
	int c_schema = pg_col(r, "nspname"), c_name = pg_col(r, "typname"),
	    c_labels = pg_col(r, "labels");
	for (int i = 0; i < pg_nrows(r); i++) {
		struct ir_enum *e = ir_enum_add(in->ir, dup(in, pg_value(r, i, c_schema)),
						dup(in, pg_value(r, i, c_name)));
		int n = pg_parse_array(in->a, pg_value(r, i, c_labels), &e->labels.items);
		e->labels.len = n > 0 ? (size_t)n : 0;
	}
	pg_result_free(r);
	return true;
}

static bool read_sequences(struct intro *in)
{
	struct pg_result *r = run(in, q_sequences, 1);
	if (!r)
		return false;
	for (int i = 0; i < pg_nrows(r); i++) {
		struct ir_sequence *q = ir_sequence_add(in->ir, dup(in, pg_value(r, i, 0)),
							dup(in, pg_value(r, i, 1)));
		q->type = intern(in, pg_value(r, i, 2));
		q->start = atoll(pg_value(r, i, 3));
		q->increment = atoll(pg_value(r, i, 4));
		q->min = atoll(pg_value(r, i, 5));
		q->max = atoll(pg_value(r, i, 6));
		q->cache = atoll(pg_value(r, i, 7));
		q->cycle = pg_bool(r, i, 8);
	}
	pg_result_free(r);
	return true;
}

static bool read_tables(struct intro *in)
{
	struct pg_result *r = run(in, q_tables, 3);
	if (!r)
		return false;
	int c_oid = pg_col(r, "oid"), c_schema = pg_col(r, "nspname"),
	    c_name = pg_col(r, "relname"), c_desc = pg_col(r, "description");
	for (int i = 0; i < pg_nrows(r); i++) {
		struct ir_table *t = ir_table_add(in->ir, dup(in, pg_value(r, i, c_schema)),
						  dup(in, pg_value(r, i, c_name)));
		t->comment = dup(in, pg_value(r, i, c_desc));
		hmap_put(&in->by_oid, dup(in, pg_value(r, i, c_oid)), t);
	}
	pg_result_free(r);
	return true;
}

static struct ir_table *table_of(struct intro *in, const struct pg_result *r,
				 int row, int col)
{
	struct ir_table *t = hmap_get(&in->by_oid, pg_value(r, row, col));
	if (!t)
		BUG("catalog row for a table outside the snapshot");
	return t;
}

static char serial_kind(const char *canon)
{
	if (strcmp(canon, "integer") == 0)
		return 'i';
	if (strcmp(canon, "bigint") == 0)
		return 'b';
	if (strcmp(canon, "smallint") == 0)
		return 's';
	return 0;
}

static int width_rank(char kind)
{
	return kind == 's' ? 1 : kind == 'i' ? 2 : 3;
}

static bool narrower(char a, char b)
{
	return width_rank(a) < width_rank(b);
}

/* A column owning a sequence whose nextval() is its default is what
 * `serial` creates; it is carried as serial, without the default. */
static void recognise_serial(struct intro *in, struct ir_column *col,
			     const char *seq_schema, const char *seq_name,
			     const char *seq_type)
{
	struct strbuf want = STRBUF_INIT, qualified = STRBUF_INIT;
	sql_add_full_qname(&qualified, seq_schema, seq_name);
	strbuf_addstr(&want, "nextval(");
	sql_add_literal(&want, strbuf_str(&qualified));
	strbuf_addstr(&want, "::regclass)");
	char kind = serial_kind(col->type.canon);
	if (kind && col->def.src && strcmp(col->def.src, strbuf_str(&want)) == 0) {
		col->type.serial = kind;
		col->def.src = col->def.canon = NULL;
		/* Only a sequence narrower than its column limits it; a wider
		 * one (CREATE SEQUENCE's bigint under an integer column, as old
		 * dumps have it) is what `serial` means. */
		char width = seq_type ? serial_kind(seq_type) : kind;
		col->seq_width = width && narrower(width, kind) ? width : 0;
	}
	strbuf_release(&want);
	strbuf_release(&qualified);
	(void)in;
}

/* The columns query returns a row per column of every table, the largest
 * result c7gen reads: it is taken a row at a time, never held whole. */
struct column_reader {
	struct intro *in;
	bool ready;
	int c_rel, c_name, c_type, c_nn, c_def, c_ident, c_gen, c_coll, c_desc,
	    c_us, c_un, c_arr, c_seq, c_seqs, c_seqk, c_seqt, c_sstart, c_sinc,
	    c_smin, c_smax, c_scache, c_scycle;
};

/* An identity's own sequence, when its options are not just its type's. */
static const struct ir_sequence *identity_sequence(struct column_reader *cr,
						   const struct pg_result *r)
{
	struct ir_sequence *q = arena_alloc(cr->in->a, sizeof(*q));
	q->type = intern(cr->in, pg_value(r, 0, cr->c_seqt));
	q->start = strtoll(pg_value(r, 0, cr->c_sstart), NULL, 10);
	q->increment = strtoll(pg_value(r, 0, cr->c_sinc), NULL, 10);
	q->min = strtoll(pg_value(r, 0, cr->c_smin), NULL, 10);
	q->max = strtoll(pg_value(r, 0, cr->c_smax), NULL, 10);
	q->cache = strtoll(pg_value(r, 0, cr->c_scache), NULL, 10);
	q->cycle = pg_bool(r, 0, cr->c_scycle);
	return ir_sequence_is_default(q) ? NULL : q;
}

static void column_row(void *arg, const struct pg_result *r)
{
	struct column_reader *cr = arg;
	struct intro *in = cr->in;
	if (!cr->ready) {
		cr->c_rel = pg_col(r, "attrelid");
		cr->c_name = pg_col(r, "attname");
		cr->c_type = pg_col(r, "type");
		cr->c_nn = pg_col(r, "attnotnull");
		cr->c_def = pg_col(r, "def");
		cr->c_ident = pg_col(r, "attidentity");
		cr->c_gen = pg_col(r, "attgenerated");
		cr->c_coll = pg_col(r, "collation");
		cr->c_desc = pg_col(r, "description");
		cr->c_us = pg_col(r, "user_schema");
		cr->c_un = pg_col(r, "user_name");
		cr->c_arr = pg_col(r, "is_array");
		cr->c_seq = pg_col(r, "seq_name");
		cr->c_seqs = pg_col(r, "seq_schema");
		cr->c_seqk = pg_col(r, "seq_kind");
		cr->c_seqt = pg_col(r, "seq_type");
		cr->c_sstart = pg_col(r, "seqstart");
		cr->c_sinc = pg_col(r, "seqincrement");
		cr->c_smin = pg_col(r, "seqmin");
		cr->c_smax = pg_col(r, "seqmax");
		cr->c_scache = pg_col(r, "seqcache");
		cr->c_scycle = pg_col(r, "seqcycle");
		cr->ready = true;
	}
	struct ir_table *t = table_of(in, r, 0, cr->c_rel);
	struct ir_column *col = ir_column_add(in->ir, t, dup(in, pg_value(r, 0, cr->c_name)));
	col->type.canon = intern(in, pg_value(r, 0, cr->c_type));
	col->type.is_array = pg_bool(r, 0, cr->c_arr);
	if (pg_value(r, 0, cr->c_us)) {
		col->type.user_schema = intern(in, pg_value(r, 0, cr->c_us));
		col->type.user_name = intern(in, pg_value(r, 0, cr->c_un));
	}
	col->not_null = pg_bool(r, 0, cr->c_nn);
	const char *ident = pg_value(r, 0, cr->c_ident);
	col->identity = ident && *ident ? ident[0] : 0;
	const char *def = pg_value(r, 0, cr->c_def);
	const char *gen = pg_value(r, 0, cr->c_gen);
	if (gen && gen[0] == 's')
		col->generated.src = col->generated.canon = dup(in, def);
	else
		col->def.src = col->def.canon = dup(in, def);
	col->collation = intern(in, pg_value(r, 0, cr->c_coll));
	col->comment = dup(in, pg_value(r, 0, cr->c_desc));
	const char *seq = pg_value(r, 0, cr->c_seq);
	if (seq) {
		col->seq_name = dup(in, seq);
		const char *kind = pg_value(r, 0, cr->c_seqk);
		if (kind && kind[0] == 'a')
			recognise_serial(in, col, pg_value(r, 0, cr->c_seqs), seq,
					 pg_value(r, 0, cr->c_seqt));
		else if (kind && kind[0] == 'i')
			col->identity_seq = identity_sequence(cr, r);
	}
}

static bool read_columns(struct intro *in)
{
	struct column_reader cr = { .in = in };
	return pg_query_rows(in->c, q_columns, 3, in->params, column_row, &cr, in->err);
}

static struct ir_names names_of(struct intro *in, const char *array)
{
	struct ir_names n = { NULL, 0 };
	if (!array)
		return n;
	int k = pg_parse_array(in->a, array, &n.items);
	n.len = k > 0 ? (size_t)k : 0;
	return n;
}

/* NULLS NOT DISTINCT came with PostgreSQL 15. */
static const char *with_nnd(struct intro *in, const char *query)
{
	return arena_printf(in->a, query, pg_server_version(in->c) >= 150000
				   ? "i.indnullsnotdistinct" : "NULL::boolean");
}

/* pg_get_constraintdef() of an exclusion constraint less what the IR
 * holds apart: "EXCLUDE " in front, the deferral options at the end. */
static const char *exclusion_text(struct intro *in, const char *def,
				  const struct ir_constraint *k)
{
	static const char head[] = "EXCLUDE ";
	if (strncmp(def, head, sizeof(head) - 1) == 0)
		def += sizeof(head) - 1;
	size_t len = strlen(def);
	const char *tails[] = { " INITIALLY DEFERRED", " DEFERRABLE" };
	for (size_t i = 0; i < 2; i++) {
		size_t n = strlen(tails[i]);
		bool applies = i == 0 ? k->deferred : k->deferrable;
		if (applies && len >= n && strncmp(def + len - n, tails[i], n) == 0)
			len -= n;
	}
	return arena_strndup(in->a, def, len);
}

/* A query's result: from its helper connection if it was sent there. */
static struct pg_result *fetch(struct intro *in, int helper, const char *sql)
{
	if (in->helper[helper])
		return pg_receive(in->helper[helper], in->err);
	return run(in, sql, 3);
}

static bool read_constraints(struct intro *in)
{
	struct pg_result *r = fetch(in, HELPER_CONSTRAINTS, with_nnd(in, q_constraints));
	if (!r)
		return false;
	int c_rel = pg_col(r, "conrelid"), c_name = pg_col(r, "conname"),
	    c_type = pg_col(r, "contype"), c_cols = pg_col(r, "cols"),
	    c_rs = pg_col(r, "ref_schema"), c_rt = pg_col(r, "ref_table"),
	    c_rc = pg_col(r, "ref_cols"), c_ri = pg_col(r, "ref_index"),
	    c_del = pg_col(r, "confdeltype"), c_upd = pg_col(r, "confupdtype"), c_check = pg_col(r, "check_expr"),
	    c_match = pg_col(r, "confmatchtype"), c_defer = pg_col(r, "condeferrable"),
	    c_deferred = pg_col(r, "condeferred"), c_nv = pg_col(r, "not_valid"),
	    c_ni = pg_col(r, "connoinherit"),
	    c_inc = pg_col(r, "include"), c_nnd = pg_col(r, "nulls_not_distinct");
	for (int i = 0; i < pg_nrows(r); i++) {
		struct ir_table *t = table_of(in, r, i, c_rel);
		struct ir_constraint *k =
			ir_constraint_add(in->ir, t, pg_value(r, i, c_type)[0]);
		k->name = dup(in, pg_value(r, i, c_name));
		k->cols = names_of(in, pg_value(r, i, c_cols));
		if (k->kind == IR_CON_FOREIGN) {
			k->ref_schema = dup(in, pg_value(r, i, c_rs));
			k->ref_table = dup(in, pg_value(r, i, c_rt));
			k->ref_cols = names_of(in, pg_value(r, i, c_rc));
			k->ref_index = dup(in, pg_value(r, i, c_ri));
			k->on_delete = pg_value(r, i, c_del)[0];
			k->on_update = pg_value(r, i, c_upd)[0];
			k->match = pg_value(r, i, c_match)[0];
		}
		k->deferrable = pg_bool(r, i, c_defer);
		k->deferred = pg_bool(r, i, c_deferred);
		k->not_valid = pg_bool(r, i, c_nv);
		/* The server marks keys "no inherit" too; only a check chooses. */
		k->no_inherit = k->kind == IR_CON_CHECK && pg_bool(r, i, c_ni);
		k->include = names_of(in, pg_value(r, i, c_inc));
		k->nulls_not_distinct = pg_bool(r, i, c_nnd);
		struct ir_names mentioned = { NULL, 0 };
		if (k->kind == IR_CON_EXCLUDE) {
			k->check.src = k->check.canon =
				exclusion_text(in, pg_value(r, i, c_check), k);
			k->cols.items = NULL;
			k->cols.len = 0;
			k->naming = pgname_is_default_constraint(in->a, t, k, NULL)
					    ? IR_NAME_DEFAULT : IR_NAME_GIVEN;
			continue;
		}
		if (k->kind == IR_CON_CHECK) {
			k->check.src = k->check.canon = dup(in, pg_value(r, i, c_check));
			/* conkey of a check lists the columns it mentions, which
			 * only its default name depends on. */
			mentioned = k->cols;
			k->cols.items = NULL;
			k->cols.len = 0;
		}
		k->naming = pgname_is_default_constraint(in->a, t, k, &mentioned)
				    ? IR_NAME_DEFAULT : IR_NAME_GIVEN;
	}
	pg_result_free(r);
	return true;
}

/* int2vector text ("1 0 3") as numbers. */
static int int_vector(const char *text, int *out, int max)
{
	int n = 0;
	char *end;
	while (text && *text && n < max) {
		long v = strtol(text, &end, 10);
		if (end == text)
			break;
		out[n++] = (int)v;
		text = end;
	}
	return n;
}

/* pg_get_indexdef prints a plain key column as quote_ident() would. */
static const char *unquote_ident(struct intro *in, const char *s)
{
	if (s[0] != '"')
		return dup(in, s);
	struct strbuf sb = STRBUF_INIT;
	for (const char *p = s + 1; *p; p++) {
		if (*p == '"') {
			if (p[1] != '"')
				break;
			p++;
		}
		strbuf_addch(&sb, *p);
	}
	const char *out = strbuf_to_arena(&sb, in->a);
	strbuf_release(&sb);
	return out;
}

#define INDOPTION_DESC 1
#define INDOPTION_NULLS_FIRST 2
#define MAX_INDEX_KEYS 32

static bool read_indexes(struct intro *in)
{
	struct pg_result *r = fetch(in, HELPER_INDEXES, with_nnd(in, q_indexes));
	if (!r)
		return false;
	int c_rel = pg_col(r, "indrelid"), c_name = pg_col(r, "relname"),
	    c_uniq = pg_col(r, "indisunique"), c_am = pg_col(r, "amname"),
	    c_nkey = pg_col(r, "indnkeyatts"), c_key = pg_col(r, "indkey"),
	    c_opt = pg_col(r, "indoption"), c_keys = pg_col(r, "keys"),
	    c_pred = pg_col(r, "predicate"), c_inc = pg_col(r, "include"),
	    c_opc = pg_col(r, "opclasses"), c_rel_opts = pg_col(r, "options"),
	    c_nnd = pg_col(r, "nulls_not_distinct");
	for (int i = 0; i < pg_nrows(r); i++) {
		struct ir_table *t = table_of(in, r, i, c_rel);
		struct ir_index *ix = ir_index_add(in->ir, t);
		ix->name = dup(in, pg_value(r, i, c_name));
		ix->unique = pg_bool(r, i, c_uniq);
		ix->method = dup(in, pg_value(r, i, c_am));
		int nkey = atoi(pg_value(r, i, c_nkey));
		int attnums[MAX_INDEX_KEYS], options[MAX_INDEX_KEYS];
		int na = int_vector(pg_value(r, i, c_key), attnums, MAX_INDEX_KEYS);
		int no = int_vector(pg_value(r, i, c_opt), options, MAX_INDEX_KEYS);
		const char **keys, **opclasses;
		int nk = pg_parse_array(in->a, pg_value(r, i, c_keys), &keys);
		int nc = pg_parse_array(in->a, pg_value(r, i, c_opc), &opclasses);
		if (nkey > MAX_INDEX_KEYS || na < nkey || no < nkey || nk != nkey || nc != nkey)
			BUG("index key arrays disagree");
		struct ir_names include = names_of(in, pg_value(r, i, c_inc));
		for (size_t k = 0; k < include.len; k++)
			include.items[k] = unquote_ident(in, include.items[k]);
		ix->include = include;
		ix->nulls_not_distinct = pg_bool(r, i, c_nnd);
		const char *storage = pg_value(r, i, c_rel_opts);
		if (storage && *storage)
			ix->options.src = ix->options.canon = dup(in, storage);
		ix->nelems = (size_t)nkey;
		ix->elems = arena_array(in->a, ix->nelems, sizeof(*ix->elems));
		for (int k = 0; k < nkey; k++) {
			struct ir_index_elem *e = &ix->elems[k];
			if (attnums[k] != 0)
				e->column = unquote_ident(in, keys[k]);
			else
				e->expr.src = e->expr.canon = keys[k];
			e->desc = options[k] & INDOPTION_DESC;
			e->nulls_first = options[k] & INDOPTION_NULLS_FIRST;
			e->opclass = *opclasses[k] ? opclasses[k] : NULL;
		}
		const char *pred = pg_value(r, i, c_pred);
		ix->where.src = ix->where.canon = dup(in, pred);
		ix->naming = pgname_is_default_index(in->a, t, ix) ? IR_NAME_DEFAULT
								   : IR_NAME_GIVEN;
	}
	pg_result_free(r);
	return true;
}

/* Opens a helper connection in the main one's snapshot and sends it
 * `sql`; NULL (and the query runs on the main connection later) if the
 * server takes no more connections or anything else goes wrong. */
static struct pg_conn *send_beside(struct intro *in, const char *snapshot, const char *sql)
{
	struct pg_error err;
	struct pg_conn *h = pg_connect_like(in->c, &err);
	if (!h)
		return NULL;
	/* Only the catalog queries go to the query log, as on the main
	 * connection: a replay of the log by psql could not import the
	 * snapshot. */
	pg_set_query_log(h, NULL);
	const char *setup = arena_printf(in->a,
		"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
		" SET TRANSACTION SNAPSHOT '%s';"
		" SET LOCAL search_path = ''; SET LOCAL work_mem = '64MB'", snapshot);
	bool ok = pg_exec(h, setup, &err);
	pg_set_query_log(h, pg_query_log(in->c));
	if (!ok || !pg_send(h, sql, 3, in->params, &err)) {
		pg_close(h);
		return NULL;
	}
	return h;
}

/* pg_dump's -j technique: the slowest queries run on connections of their
 * own that import the main transaction's snapshot (pg_export_snapshot()),
 * so they see exactly what it sees, while the main connection reads the
 * rest. */
static void start_helpers(struct intro *in, int jobs)
{
	if (jobs < 2)
		return;
	struct pg_error err;
	struct pg_result *r = pg_query(in->c, "SELECT pg_catalog.pg_export_snapshot()", 0,
				       NULL, &err);
	if (!r)
		return;
	const char *snapshot = arena_strdup(in->a, pg_value(r, 0, 0));
	pg_result_free(r);
	/* Snapshot ids are hex digits and dashes; anything else is not one. */
	if (snapshot[strspn(snapshot, "0123456789ABCDEFabcdef-")])
		return;
	in->helper[HELPER_INDEXES] = send_beside(in, snapshot, with_nnd(in, q_indexes));
	if (jobs >= 3)
		in->helper[HELPER_CONSTRAINTS] =
			send_beside(in, snapshot, with_nnd(in, q_constraints));
}

static void stop_helpers(struct intro *in)
{
	for (int i = 0; i < 2; i++) {
		pg_close(in->helper[i]);
		in->helper[i] = NULL;
	}
}

struct ir_schema *pg_introspect(struct pg_conn *c, struct arena *a,
				const struct introspect_opts *opts,
				struct pg_error *err)
{
	struct intro in = { 0 };
	in.c = c;
	in.a = a;
	in.err = err;
	in.ir = ir_schema_new(a, IR_ORIGIN_DB);
	hmap_init(&in.by_oid, a);
	hmap_init(&in.interned, a);
	in.params[0] = pg_array_literal(a, opts->schemas, opts->nschemas);
	in.params[1] = pg_array_literal(a, opts->exclude, opts->nexclude);
	in.params[2] = opts->only ? pg_array_literal(a, opts->only, opts->nonly) : NULL;

	/* work_mem keeps the sorts of a few thousand tables' rows in memory. */
	if (!opts->in_transaction &&
	    !pg_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
			" SET LOCAL search_path = ''; SET LOCAL work_mem = '64MB'", err))
		return NULL;
	if (opts->in_transaction && !pg_exec(c, "SET LOCAL search_path = ''", err))
		return NULL;
	if (!opts->in_transaction)
		start_helpers(&in, opts->jobs);
	bool ok = read_schemas(&in) && read_extensions(&in) && read_enums(&in) &&
		  read_sequences(&in) &&
		  read_tables(&in) &&
		  read_columns(&in) && read_constraints(&in) && read_indexes(&in);
	stop_helpers(&in);
	if (!opts->in_transaction) {
		struct pg_error ignored;
		if (!pg_exec(c, ok ? "COMMIT" : "ROLLBACK", ok ? err : &ignored))
			ok = false;
	}
	if (!ok)
		return NULL;
	ir_schema_sort(in.ir);
	return in.ir;
}

bool pg_user_schemas(struct pg_conn *c, struct arena *a, const char ***out,
		     size_t *n, struct pg_error *err)
{
	struct pg_result *r = pg_query(c,
		"SELECT nspname FROM pg_catalog.pg_namespace"
		" WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"
		" ORDER BY nspname", 0, NULL, err);
	if (!r)
		return false;
	*n = (size_t)pg_nrows(r);
	*out = arena_array(a, *n + 1, sizeof(char *));
	for (size_t i = 0; i < *n; i++)
		(*out)[i] = arena_strdup(a, pg_value(r, (int)i, 0));
	pg_result_free(r);
	return true;
}

/* Kinds outside the model language, in the managed schemas; extension
 * members are not counted (they are the extension's). */
static const char q_ignored[] =
	"WITH ns AS (SELECT oid FROM pg_catalog.pg_namespace"
	"            WHERE nspname = ANY ($1::pg_catalog.text[])),"
	" own AS (SELECT objid FROM pg_catalog.pg_depend WHERE deptype = 'e') "
	"SELECT"
	" (SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'v' AND relnamespace IN (SELECT oid FROM ns) AND oid NOT IN (SELECT objid FROM own)) AS views,"
	" (SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'm' AND relnamespace IN (SELECT oid FROM ns) AND oid NOT IN (SELECT objid FROM own)) AS matviews,"
	" (SELECT count(*) FROM pg_catalog.pg_proc WHERE prokind IN ('f', 'a', 'w') AND pronamespace IN (SELECT oid FROM ns) AND oid NOT IN (SELECT objid FROM own)) AS functions,"
	" (SELECT count(*) FROM pg_catalog.pg_proc WHERE prokind = 'p' AND pronamespace IN (SELECT oid FROM ns) AND oid NOT IN (SELECT objid FROM own)) AS procedures,"
	" (SELECT count(*) FROM pg_catalog.pg_trigger g JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid WHERE NOT g.tgisinternal AND c.relnamespace IN (SELECT oid FROM ns)) AS triggers,"
	" (SELECT count(*) FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid WHERE c.relnamespace IN (SELECT oid FROM ns)) AS policies,"
	" (SELECT count(*) FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class WHERE r.rulename <> '_RETURN' AND c.relnamespace IN (SELECT oid FROM ns)) AS rules,"
	" (SELECT count(*) FROM pg_catalog.pg_class WHERE relkind = 'p' AND relnamespace IN (SELECT oid FROM ns)) AS partitioned,"
	" (SELECT count(*) FROM pg_catalog.pg_class WHERE relispartition AND relkind = 'r' AND relnamespace IN (SELECT oid FROM ns)) AS partitions,"
	" (SELECT count(*) FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid WHERE NOT c.relispartition AND c.relnamespace IN (SELECT oid FROM ns)) AS children,"
	" (SELECT count(*) FROM pg_catalog.pg_type WHERE typtype IN ('d') AND typnamespace IN (SELECT oid FROM ns) AND oid NOT IN (SELECT objid FROM own)) AS domains,"
	" (SELECT count(*) FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid WHERE t.typtype = 'c' AND c.relkind = 'c' AND t.typnamespace IN (SELECT oid FROM ns)) AS composites";

bool pg_count_ignored(struct pg_conn *c, const char *const *schemas, size_t n,
		      struct arena *a, struct ignored_kind out[IGNORED_KINDS],
		      struct pg_error *err)
{
	static const char *const names[IGNORED_KINDS][2] = {
		{ "view", "views" }, { "materialized view", "materialized views" },
		{ "function", "functions" }, { "procedure", "procedures" },
		{ "trigger", "triggers" }, { "policy", "policies" }, { "rule", "rules" },
		{ "partitioned table", "partitioned tables" },
		{ "partition", "partitions" },
		{ "inheritance child", "inheritance children" },
		{ "domain", "domains" }, { "composite type", "composite types" },
	};
	const char *params[1] = { pg_array_literal(a, schemas, n) };
	struct pg_result *r = pg_query(c, q_ignored, 1, params, err);
	if (!r)
		return false;
	for (int i = 0; i < IGNORED_KINDS; i++) {
		out[i].one = names[i][0];
		out[i].what = names[i][1];
		out[i].count = atol(pg_value(r, 0, i));
	}
	pg_result_free(r);
	return true;
}
