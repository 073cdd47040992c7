/* c7gen stamp REV: mark REV and its ancestors applied without running SQL. */
#include "cmd/fleet.h"
#include "cmd/migrate.h"

int cmd_stamp(struct cmd_ctx *ctx)
{
	bool purge = false;
	const char *timeout = NULL;
	struct fleet_flags ff = { 0 };
	const struct opt opts[] = {
		FLEET_OPTS(ff),
		{ "purge", 0, false, NULL, &purge },
		{ "lock-timeout", 0, true, &timeout, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos != 1) {
		cmd_error(ctx, "stamp: name one revision (or head, heads, base)");
		return EXIT_USAGE;
	}
	struct migrate_opts o = { 0 };
	o.mode = MIGRATE_STAMP;
	o.target = pos[0];
	o.purge = purge;
	o.lock_timeout_ms = DEFAULT_LOCK_TIMEOUT_MS;
	if (timeout && !parse_lock_timeout(ctx, timeout, &o.lock_timeout_ms))
		return EXIT_USAGE;
	if (fleet_wanted(&ff) || ff.format)
		return migrate_fleet(ctx, &o, &ff);
	return migrate(ctx, &o);
}
