/* c7gen dev start|stop|url|psql|reset|status: the persistent dev database
 * in the project's own cluster, for the application and for upgrade,
 * downgrade, stamp and current when no database is configured. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "cmd/revisions.h"
#include "pg/cluster.h"
#include "pg/conn.h"

/* The URI applications use: TCP when dev_port is set, else the socket. */
static const char *dev_uri(struct cmd_ctx *ctx, const struct db_session *db)
{
	int port;
	dev_port(ctx, &port);
	return scratch_uri(db->scratch, DEV_DATABASE, port > 0);
}

/* Keeps the server running for the application. */
static bool serve(struct cmd_ctx *ctx, struct db_session *db)
{
	int port;
	dev_port(ctx, &port);
	struct pg_error err;
	if (!scratch_serve(db->scratch, port > 0, &err)) {
		report_db_error(ctx, "cannot keep the dev server running", &err);
		return false;
	}
	cli_guard_server(0);
	return true;
}

static int dev_start(struct cmd_ctx *ctx, struct db_session *db)
{
	if (scratch_serving(db->scratch)) {
		printf("The dev server is already running: %s\n", dev_uri(ctx, db));
		return EXIT_OK;
	}
	if (!serve(ctx, db))
		return EXIT_DATABASE;
	int rc = open_dev_database(ctx, db);
	if (rc >= 0)
		return rc;
	printf("The dev server is running: %s\n", dev_uri(ctx, db));
	return EXIT_OK;
}

static int dev_stop(struct cmd_ctx *ctx, struct db_session *db)
{
	if (!scratch_serving(db->scratch)) {
		printf("The dev server is not running.\n");
		return EXIT_OK;
	}
	if (!scratch_shutdown(db->scratch)) {
		cmd_error(ctx, "the dev server did not stop; see %s/server.log",
			  scratch_dir(db->scratch));
		return EXIT_DATABASE;
	}
	printf("The dev server is stopped.\n");
	return EXIT_OK;
}

static int dev_url(struct cmd_ctx *ctx, struct db_session *db)
{
	int rc = open_dev_database(ctx, db);
	if (rc >= 0)
		return rc;
	printf("%s\n", dev_uri(ctx, db));
	if (!scratch_serving(db->scratch))
		fprintf(stderr, "c7gen: the dev server is not running; start it with "
				"'c7gen dev start'\n");
	return EXIT_OK;
}

/* psql needs a server that outlives this process, which it replaces. */
static int dev_psql(struct cmd_ctx *ctx, struct db_session *db, char **args, int nargs)
{
	bool was_serving = scratch_serving(db->scratch);
	if (!serve(ctx, db))
		return EXIT_DATABASE;
	int rc = open_dev_database(ctx, db);
	if (rc >= 0)
		return rc;
	if (!was_serving)
		fprintf(stderr, "c7gen: the dev server keeps running; stop it with "
				"'c7gen dev stop'\n");
	const char *psql = scratch_program(db->scratch, "psql");
	const char *uri = scratch_uri(db->scratch, DEV_DATABASE, false);
	const char **argv = arena_array(ctx->arena, (size_t)nargs + 3, sizeof(char *));
	argv[0] = psql;
	argv[1] = uri;
	for (int i = 0; i < nargs; i++)
		argv[2 + i] = args[i];
	db_close(db); /* releases the cluster's lock; the server stays */
	fflush(NULL);
	execv(psql, (char *const *)argv);
	cmd_error(ctx, "cannot run %s", psql);
	return EXIT_USAGE;
}

static int dev_reset(struct cmd_ctx *ctx, struct db_session *db)
{
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct pg_error err;
	struct pg_conn *admin = pg_connect(ctx->arena,
					   scratch_conninfo(db->scratch, "postgres"), &err);
	bool ok = admin && pg_exec(admin, "DROP DATABASE IF EXISTS " DEV_DATABASE " WITH (FORCE)",
				   &err);
	pg_close(admin);
	if (!ok) {
		report_db_error(ctx, "cannot drop the dev database", &err);
		return EXIT_DATABASE;
	}
	int rc = open_dev_database(ctx, db);
	if (rc < 0)
		rc = replay(ctx, db, &set);
	if (rc >= 0)
		return rc;
	printf("The dev database is re-created at the head of the migrations "
	       "(%zu revision%s).\n", set.revs.len, set.revs.len == 1 ? "" : "s");
	return EXIT_OK;
}

static int dev_status(struct cmd_ctx *ctx, struct db_session *db)
{
	bool serving = scratch_serving(db->scratch);
	int rc = open_dev_database(ctx, db);
	if (rc >= 0)
		return rc;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	rc = read_db_state(ctx, db, &set, &vt, &state);
	if (rc >= 0)
		return rc;
	printf("server:    %s\n", serving ? "running (c7gen dev stop stops it)"
					  : "stopped (c7gen dev start starts it)");
	printf("directory: %s\n", scratch_dir(db->scratch));
	printf("url:       %s\n", dev_uri(ctx, db));
	struct vec heads = { 0 };
	revs_applied_heads(ctx->arena, &state.st, &heads);
	if (!heads.len)
		printf("applied:   nothing\n");
	for (size_t i = 0; i < heads.len; i++) {
		const struct revision *r = heads.items[i];
		printf("applied:   %s%s  %s\n", r->id, r->children.len ? "" : " (head)",
		       r->message);
	}
	return EXIT_OK;
}

static const char *const actions[] = { "start", "stop", "url", "psql", "reset", "status" };

int cmd_dev(struct cmd_ctx *ctx)
{
	/* Everything after `psql` is psql's. */
	bool is_psql = ctx->argc >= 2 && strcmp(ctx->argv[1], "psql") == 0;
	int argc = ctx->argc;
	if (is_psql)
		ctx->argc = 2;
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, NULL, &pos, &npos);
	ctx->argc = argc;
	if (rc >= 0)
		return rc;
	size_t which = sizeof(actions) / sizeof(*actions);
	for (size_t i = 0; npos == 1 && i < sizeof(actions) / sizeof(*actions); i++)
		if (strcmp(pos[0], actions[i]) == 0)
			which = i;
	if (which == sizeof(actions) / sizeof(*actions)) {
		cmd_error(ctx, "usage: c7gen dev start|stop|url|psql [ARGS]|reset|status");
		return EXIT_USAGE;
	}
	if (ctx->cfg.url) {
		cmd_error(ctx, "dev: a database is configured (%s); the dev database "
			       "is for projects without one", ctx->cfg.url_source);
		return EXIT_USAGE;
	}
	struct db_session db;
	rc = start_cluster(ctx, &db);
	if (rc >= 0)
		return rc;
	switch (which) {
	case 0: rc = dev_start(ctx, &db); break;
	case 1: rc = dev_stop(ctx, &db); break;
	case 2: rc = dev_url(ctx, &db); break;
	case 3: rc = dev_psql(ctx, &db, ctx->argv + 2, ctx->argc - 2); break;
	case 4: rc = dev_reset(ctx, &db); break;
	default: rc = dev_status(ctx, &db); break;
	}
	db_close(&db);
	return cmd_finish(ctx, rc);
}
