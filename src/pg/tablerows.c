#include "pg/tablerows.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "pg/conn.h"

bool pg_table_rows(struct pg_conn *c, struct arena *a, struct hmap *out,
		   struct pg_error *err)
{
	/* reltuples is -1 until the first VACUUM or ANALYZE (PostgreSQL 14
	 * and later; 0 before, which reads as "small", as it was). */
	struct pg_result *r = pg_query(c,
		"SELECT n.nspname, c.relname, c.reltuples::bigint AS rows"
		" FROM pg_catalog.pg_class c"
		" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		" WHERE c.relkind IN ('r', 'p')"
		"   AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
		"   AND n.nspname NOT LIKE 'pg\\_%'"
		" ORDER BY 1, 2", 0, NULL, err);
	if (!r)
		return false;
	int nsp = pg_col(r, "nspname"), rel = pg_col(r, "relname"), rows = pg_col(r, "rows");
	for (int i = 0; i < pg_nrows(r); i++) {
		const char *schema = pg_value(r, i, nsp), *name = pg_value(r, i, rel);
		long long *n = arena_alloc(a, sizeof(*n));
		*n = strtoll(pg_value(r, i, rows), NULL, 10);
		const char *key = strcmp(schema, "public") == 0
			? arena_strdup(a, name) : arena_printf(a, "%s.%s", schema, name);
		hmap_put(out, key, n);
	}
	pg_result_free(r);
	return true;
}
