/* What upgrade, downgrade and stamp share: plan over the graph, lock, run. */
#ifndef C7_CMD_MIGRATE_H
#define C7_CMD_MIGRATE_H

#include <stdbool.h>

#include "cmd/cmd.h"

enum migrate_mode { MIGRATE_UPGRADE, MIGRATE_DOWNGRADE, MIGRATE_STAMP };

struct migrate_opts {
	enum migrate_mode mode;
	const char *target;
	const char *sql_range;  /* --sql [FROM:]TO, offline */
	bool single_transaction;
	bool allow_edited;
	bool purge;             /* stamp --purge */
	long lock_timeout_ms;
};

#define DEFAULT_LOCK_TIMEOUT_MS 60000L

int migrate(struct cmd_ctx *ctx, const struct migrate_opts *o);

/* Parses --lock-timeout seconds; false after reporting. */
bool parse_lock_timeout(struct cmd_ctx *ctx, const char *text, long *ms);

#endif
