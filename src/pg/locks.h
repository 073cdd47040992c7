/*
 * Lock waits of the statements c7gen runs from revisions: running one while
 * watching what it waits for (so a lock timeout can say which lock and
 * which session held it), and clearing the INVALID index a failed or
 * killed CREATE INDEX CONCURRENTLY leaves behind.
 */
#ifndef C7_PG_LOCKS_H
#define C7_PG_LOCKS_H

#include <stdbool.h>

struct arena;
struct pg_conn;
struct pg_error;

/* Runs one statement like pg_exec.  If it runs longer than `probe_ms`, a
 * second session looks every `probe_ms` at what it waits for; the last
 * answer is left in *waited_for ("AccessExclusiveLock on table public.t,
 * held by pid 42 (idle in transaction for 3.1 s, last query: LOCK t)"), or
 * NULL if it was never seen waiting.  Strings live in `a`. */
bool pg_exec_watching_locks(struct pg_conn *c, struct arena *a, const char *sql,
			    long probe_ms, const char **waited_for,
			    struct pg_error *err);

/* Drops the index `index` of `table` (as written in a statement, resolved
 * by the session's search_path) if it is INVALID, concurrently, so it must
 * run outside a transaction.  *dropped names the index dropped, or is
 * NULL. */
bool pg_drop_invalid_index(struct pg_conn *c, struct arena *a, const char *table,
			   const char *index, const char **dropped,
			   struct pg_error *err);

#endif
