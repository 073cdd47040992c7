#include "pg/locks.h"

#include <stdio.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "pg/conn.h"

struct watch {
	struct arena *a;
	const char *seen;
};

/* The lock the watched session waits for and the first session holding
 * it, described in one line.  Names are qualified by hand: the observer's
 * search_path is the user's. */
static const char watch_sql[] =
	"SELECT w.mode, w.locktype,"
	" coalesce(pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), ''),"
	" coalesce(c.relkind::text, ''),"
	" coalesce(b.pid::text, ''), coalesce(b.state, ''),"
	" coalesce(pg_catalog.round(EXTRACT(epoch FROM pg_catalog.clock_timestamp()"
	"   - coalesce(b.xact_start, b.query_start)), 1)::text, ''),"
	" coalesce(pg_catalog.left(pg_catalog.regexp_replace(b.query, '\\s+', ' ', 'g'), 80), '')"
	" FROM pg_catalog.pg_locks w"
	" LEFT JOIN pg_catalog.pg_class c ON c.oid = w.relation"
	" LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_catalog.pg_stat_activity b"
	"   ON b.pid = (pg_catalog.pg_blocking_pids($1::integer))[1]"
	" WHERE w.pid = $1::integer AND NOT w.granted LIMIT 1";

static const char *relkind_word(const char *k)
{
	switch (k[0]) {
	case 'i':
	case 'I':
		return "index";
	case 'S':
		return "sequence";
	case 'v':
		return "view";
	case 'm':
		return "materialized view";
	default:
		return "table";
	}
}

static void probe(struct pg_conn *observer, int pid, void *arg)
{
	struct watch *w = arg;
	char pidtext[16];
	snprintf(pidtext, sizeof(pidtext), "%d", pid);
	const char *params[1] = { pidtext };
	struct pg_error err;
	struct pg_result *r = pg_query(observer, watch_sql, 1, params, &err);
	if (!r)
		return;
	if (pg_nrows(r) == 1) {
		struct strbuf sb = STRBUF_INIT;
		const char *rel = pg_value(r, 0, 2);
		if (*rel)
			strbuf_addf(&sb, "%s on %s %s", pg_value(r, 0, 0),
				    relkind_word(pg_value(r, 0, 3)), rel);
		else
			strbuf_addf(&sb, "%s on a %s (the end of another transaction)",
				    pg_value(r, 0, 0), pg_value(r, 0, 1));
		if (*pg_value(r, 0, 4)) {
			strbuf_addf(&sb, ", held by pid %s (%s", pg_value(r, 0, 4), pg_value(r, 0, 5));
			if (*pg_value(r, 0, 6))
				strbuf_addf(&sb, " for %s s", pg_value(r, 0, 6));
			if (*pg_value(r, 0, 7))
				strbuf_addf(&sb, ", last query: %s", pg_value(r, 0, 7));
			strbuf_addch(&sb, ')');
		}
		w->seen = strbuf_to_arena(&sb, w->a);
		strbuf_release(&sb);
	}
	pg_result_free(r);
}

bool pg_exec_watching_locks(struct pg_conn *c, struct arena *a, const char *sql,
			    long probe_ms, const char **waited_for,
			    struct pg_error *err)
{
	struct watch w = { a, NULL };
	bool ok = pg_exec_probed(c, sql, probe_ms, probe, &w, err);
	*waited_for = w.seen;
	return ok;
}

bool pg_drop_invalid_index(struct pg_conn *c, struct arena *a, const char *table,
			   const char *index, const char **dropped,
			   struct pg_error *err)
{
	*dropped = NULL;
	const char *params[2] = { table, index };
	struct pg_result *r = pg_query(c,
		"SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname)"
		" FROM pg_catalog.pg_index i"
		" JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid"
		" JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
		" WHERE NOT i.indisvalid AND c.relname = $2"
		" AND i.indrelid = pg_catalog.to_regclass($1)", 2, params, err);
	if (!r)
		return false;
	const char *name = pg_nrows(r) == 1 ? arena_strdup(a, pg_value(r, 0, 0)) : NULL;
	pg_result_free(r);
	if (!name)
		return true;
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "DROP INDEX CONCURRENTLY IF EXISTS %s", name);
	bool ok = pg_exec(c, strbuf_str(&sql), err);
	strbuf_release(&sql);
	if (ok)
		*dropped = name;
	return ok;
}
