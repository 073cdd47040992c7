/*
 * c7gen's own state in the database: the version table (one row per applied
 * revision, with the SHA-256 of its file), the append-only history of every
 * step, the progress of revisions applied part way (one row per revision
 * whose steps stopped in the middle), and the advisory lock that serialises
 * concurrent deploys.
 */
#ifndef C7_PG_VERSIONS_H
#define C7_PG_VERSIONS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct pg_conn;
struct pg_error;
struct strbuf;

struct version_tables {
	const char *schema;
	const char *revisions; /* table names */
	const char *history;
	const char *progress;
};

struct applied {
	const char *revision;
	const char *parents;
	const char *checksum;
	const char *applied_at;
	const char *applied_by;
	int duration_ms;
	/* a squash revision's replaced ids as a text[] literal ("{a,b}"):
	 * their rows go when it is downgraded; NULL for none */
	const char *replaces;
};

/* A revision stopped part way: `steps_done` steps of its `direction`
 * section are done, and `statements_done` statements of the next one when
 * that runs outside a transaction. */
struct progress {
	const char *revision;
	const char *direction; /* "upgrade", "downgrade" */
	int steps_done;
	int steps;
	int statements_done;
	const char *checksum;  /* of the file when it ran */
	const char *updated_at;
};

/* Reads the applied revisions (ordered by applied_at) and the progress
 * rows (by revision).  A database without the version table has none:
 * *exists tells which.  Never creates. */
bool pg_versions_read(struct pg_conn *c, struct arena *a,
		      const struct version_tables *vt, struct applied **rows,
		      size_t *n, struct progress **partial, size_t *npartial,
		      bool *exists, struct pg_error *err);

/* Records how far a revision got (insert or update). */
bool pg_progress_save(struct pg_conn *c, const struct version_tables *vt,
		      const struct progress *p, struct pg_error *err);

/* Creates the tables if missing (first write). */
bool pg_versions_create(struct pg_conn *c, const struct version_tables *vt,
			struct pg_error *err);
/* The CREATE statements, for offline scripts. */
void pg_versions_ddl(struct strbuf *sb, const struct version_tables *vt);

/* Every row gone, progress included (stamp --purge). */
bool pg_versions_purge(struct pg_conn *c, const struct version_tables *vt,
		       struct pg_error *err);

struct history_entry;

/* Inserts (up) or deletes (down) the version row, forgets the revision's
 * progress row and appends the history entry in one statement: one round
 * trip per revision.  `stamp` tolerates a version row already there. */
bool pg_versions_record(struct pg_conn *c, const struct version_tables *vt,
			bool up, bool stamp, const struct applied *row,
			const struct history_entry *h, struct pg_error *err);

struct history_entry {
	const char *direction; /* "upgrade", "downgrade", "stamp" */
	const char *revision;
	const char *started_at; /* timestamptz text */
	bool success;
	const char *sqlstate;
	const char *error;
};

bool pg_history_append(struct pg_conn *c, const struct version_tables *vt,
		       const struct history_entry *h, struct pg_error *err);

/* The server's clock, as timestamptz text. */
const char *pg_now(struct pg_conn *c, struct arena *a, struct pg_error *err);

enum lock_result { LOCK_TAKEN, LOCK_TIMEOUT, LOCK_ERROR };

/* Takes the session advisory lock for these version tables, waiting up to
 * `timeout_ms`; `on_wait` is called once if it has to wait. */
enum lock_result pg_lock(struct pg_conn *c, const struct version_tables *vt,
			 long timeout_ms, void (*on_wait)(void *), void *arg,
			 struct pg_error *err);
void pg_unlock(struct pg_conn *c, const struct version_tables *vt);

#endif
