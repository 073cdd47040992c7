/*
 * Normalising the model through the server.  PostgreSQL is the authority on
 * how a default, check, generated column or index expression is stored, so
 * the model's expressions are built on the server — in throwaway schemas,
 * inside transactions that are always rolled back, a bounded number of
 * tables at a time so a stock lock table suffices — and read back with the
 * introspector.  Each expression then carries the server's text in
 * `canon`, which is what the differ compares.
 */
#ifndef C7_PG_NORMALIZE_H
#define C7_PG_NORMALIZE_H

#include <stdbool.h>

struct arena;
struct diags;
struct pg_conn;
struct pg_error;
struct ir_schema;

/* Tables built per transaction: well below what the default
 * max_locks_per_transaction (64 x max_connections slots) holds. */
#define NORMALIZE_CHUNK 200

struct normcache;

struct normalize_stats {
	unsigned tables;       /* tables built */
	unsigned cached;       /* tables settled from the cache */
	unsigned transactions; /* chunks */
};

/* Fills the canonical text of every expression in `model`.  Expressions
 * the server rejects are reported against the model file (diags) and make
 * the result false with err->message NULL; a database failure makes it
 * false with `err` filled. */
/* With a cache, tables whose every expression is cached are not built,
 * and what is built is added to it. */
bool pg_normalize(struct pg_conn *c, struct arena *a, struct ir_schema *model,
		  struct normcache *cache, struct diags *d, struct pg_error *err,
		  struct normalize_stats *stats);

/* The database's side read through the same path.  The server's text of
 * an expression does not always print back the same once parsed again
 * ((ARRAY['a'::varchar])::text[] comes back as ARRAY[('a'::varchar)::text]),
 * so models written from a database (inspect) would differ from it.  Each
 * expression of `db` whose text no expression of the normalised `model`
 * has is built again like a model's; when the server's reading of it is a
 * text some model expression has, that becomes its comparison text.
 * Everything else keeps its text, so real differences stay visible. */
bool pg_renormalize(struct pg_conn *c, struct arena *a, struct ir_schema *db,
		    const struct ir_schema *model, struct normcache *cache,
		    struct pg_error *err);

#endif
