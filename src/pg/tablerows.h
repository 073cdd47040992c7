/*
 * How big the tables are, for c7gen lint: a table with few rows needs no
 * CONCURRENTLY or batching.  The planner's estimate (pg_class.reltuples,
 * kept by VACUUM and ANALYZE) is read, never count(*), which would scan
 * the very tables lint worries about.
 */
#ifndef C7_PG_TABLEROWS_H
#define C7_PG_TABLEROWS_H

#include <stdbool.h>

struct arena;
struct hmap;
struct pg_conn;
struct pg_error;

/* Fills `out` with every ordinary and partitioned table outside the
 * system schemas, keyed "schema.name", or "name" in public (as lint names
 * tables), each value a long long * of its estimated rows, < 0 when never
 * vacuumed or analysed.  One query.  Everything lives in `a`. */
bool pg_table_rows(struct pg_conn *c, struct arena *a, struct hmap *out,
		   struct pg_error *err);

#endif
