/* What upgrade, downgrade and stamp share: plan over the graph, lock, run. */
#ifndef C7_CMD_MIGRATE_H
#define C7_CMD_MIGRATE_H

#include <stdbool.h>

#include "cmd/cmd.h"
#include "cmd/revisions.h"

enum migrate_mode { MIGRATE_UPGRADE, MIGRATE_DOWNGRADE, MIGRATE_STAMP };

struct migrate_opts {
	enum migrate_mode mode;
	const char *target;
	const char *sql_range;  /* --sql [FROM:]TO, offline */
	bool single_transaction;
	bool allow_edited;
	bool purge;             /* stamp --purge */
	long lock_timeout_ms;   /* the wait for c7gen's own advisory lock */
	long ddl_lock_timeout_ms; /* lock_timeout of the revisions' statements, 0 off */
	int ddl_retries;
	bool one_session;       /* fleets: no lock-watching second session */
};

#define DEFAULT_LOCK_TIMEOUT_MS 60000L
#define DEFAULT_DDL_LOCK_TIMEOUT "2s"
#define DEFAULT_DDL_RETRIES "10"
#define MAX_DDL_RETRIES 1000

int migrate(struct cmd_ctx *ctx, const struct migrate_opts *o);

/* What a run on one database did, for a fleet report. */
struct migrate_outcome {
	struct db_state before, after;
	bool want_after;              /* set by the caller: read `after` */
	bool read_before, read_after; /* whether before/after were read */
	size_t steps;                 /* revisions planned */
};

/* migrate() on a session already open, with the revisions loaded: takes
 * the migration lock, creates the version tables, plans and runs.
 * Returns an exit status; `out` (zeroed by the caller, who may set
 * want_after) tells where the database was and is. */
int migrate_session(struct cmd_ctx *ctx, const struct migrate_opts *o,
		    struct db_session *db, const struct revision_set *set,
		    const struct version_tables *vt, struct migrate_outcome *out);

/* Parses --lock-timeout seconds; false after reporting. */
bool parse_lock_timeout(struct cmd_ctx *ctx, const char *text, long *ms);

/* Settles ddl_lock_timeout and ddl_retries: the flags (NULL if not given),
 * else c7gen.ini, else the defaults.  False after reporting bad values. */
bool parse_ddl_settings(struct cmd_ctx *ctx, const char *timeout_flag,
			const char *retries_flag, struct migrate_opts *o);

struct fleet_flags;

/* migrate() on every target the flags select (cmd/fleet.h). */
int migrate_fleet(struct cmd_ctx *ctx, const struct migrate_opts *o,
		  const struct fleet_flags *f);

#endif
