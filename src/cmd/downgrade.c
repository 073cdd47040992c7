/* c7gen downgrade TARGET: revert revisions. */
#include "cmd/fleet.h"
#include "cmd/migrate.h"

int cmd_downgrade(struct cmd_ctx *ctx)
{
	bool sql = false, single = false, allow_edited = false;
	const char *timeout = NULL, *ddl_timeout = NULL, *ddl_retries = NULL;
	struct fleet_flags ff = { 0 };
	const struct opt opts[] = {
		FLEET_OPTS(ff),
		{ "sql", 0, false, NULL, &sql },
		{ "single-transaction", 0, false, NULL, &single },
		{ "allow-edited", 0, false, NULL, &allow_edited },
		{ "lock-timeout", 0, true, &timeout, NULL },
		{ "ddl-lock-timeout", 0, true, &ddl_timeout, NULL },
		{ "ddl-retries", 0, true, &ddl_retries, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos != 1) {
		cmd_error(ctx, "downgrade: name a target: -N, a revision, or base");
		return EXIT_USAGE;
	}
	struct migrate_opts o = { 0 };
	o.mode = MIGRATE_DOWNGRADE;
	o.target = pos[0];
	o.single_transaction = single;
	o.allow_edited = allow_edited;
	o.lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
	if (timeout && !parse_lock_timeout(ctx, timeout, &o.lock_timeout_ms))
		return EXIT_USAGE;
	if (!parse_ddl_settings(ctx, ddl_timeout, ddl_retries, &o))
		return EXIT_USAGE;
	if (sql)
		o.sql_range = o.target;
	if (fleet_wanted(&ff) || ff.format)
		return migrate_fleet(ctx, &o, &ff);
	return migrate(ctx, &o);
}
