#include "cmd/workflow.h"

#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "diff/diff.h"
#include "ir/ir.h"
#include "ir/sqlname.h"
#include "lang/lang.h"
#include "pg/conn.h"
#include "pg/introspect.h"
#include "pg/normalize.h"
#include "pg/normcache.h"
#include "base/fs.h"
#include "pg/cluster.h"
#include "pg/versions.h"
#include "revs/plan.h"
#include "revs/runner.h"
#include "cmd/revisions.h"
#include "cmd/replaycache.h"
#include "base/strbuf.h"
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void report_db_error(struct cmd_ctx *ctx, const char *what,
		     const struct pg_error *err)
{
	struct diag *g = diag_error(&ctx->diags, SPAN_NONE, "%s%s%s", what ? what : "",
				    what ? ": " : "", err->message ? err->message : "unknown error");
	if (err->detail)
		diag_note(&ctx->diags, g, SPAN_NONE, "%s", err->detail);
	if (err->hint)
		diag_hint(&ctx->diags, g, "%s", err->hint);
	cmd_report(ctx);
}

static void say_waiting_scratch(void *arg)
{
	struct cmd_ctx *ctx = arg;
	(void)ctx;
	fprintf(stderr, "c7gen: waiting for another c7gen using the scratch database...\n");
}

/* Scratch databases left by a c7gen that was killed. */
static bool drop_stale(struct cmd_ctx *ctx, struct pg_conn *admin,
		       struct pg_error *err)
{
	struct pg_result *r = pg_query(admin,
		"SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE 'c7gen\\_scratch\\_%'",
		0, NULL, err);
	if (!r)
		return false;
	bool ok = true;
	for (int i = 0; i < pg_nrows(r) && ok; i++) {
		struct strbuf sql = STRBUF_INIT;
		strbuf_addstr(&sql, "DROP DATABASE IF EXISTS ");
		sql_add_ident(&sql, pg_value(r, i, 0));
		strbuf_addstr(&sql, " WITH (FORCE)");
		ok = pg_exec(admin, strbuf_str(&sql), err);
		strbuf_release(&sql);
	}
	pg_result_free(r);
	(void)ctx;
	return ok;
}

bool dev_port(struct cmd_ctx *ctx, int *port)
{
	*port = 0;
	const char *text = ctx->cfg.dev_port;
	if (!text)
		return true;
	char *end;
	long n = strtol(text, &end, 10);
	if (*end || n < 1 || n > 65535) {
		cmd_error(ctx, "dev_port takes a TCP port (1 to 65535), not '%s'", text);
		return false;
	}
	*port = (int)n;
	return true;
}

int start_cluster(struct cmd_ctx *ctx, struct db_session *db)
{
	memset(db, 0, sizeof(*db));
	db->arena = ctx->arena;
	int port;
	if (!dev_port(ctx, &port))
		return EXIT_USAGE;
	struct pg_error err;
	db->scratch = scratch_start(ctx->arena, ctx->cfg.root, port, say_waiting_scratch,
				    ctx, &err);
	if (!db->scratch) {
		report_db_error(ctx, "cannot run the scratch database", &err);
		return EXIT_DATABASE;
	}
	cli_guard_server(scratch_postmaster(db->scratch));
	return -1;
}

/* Starts the cluster and creates this command's database: a copy of
 * the longest cached replay of `keys` when given (*cached: its length),
 * else empty. */
static int open_scratch_from(struct cmd_ctx *ctx, struct db_session *db, const char *why,
			     const struct replay_keys *keys, size_t *cached)
{
	int rc = start_cluster(ctx, db);
	if (rc >= 0)
		return rc;
	struct pg_error err;
	struct pg_conn *admin = pg_connect(ctx->arena,
					   scratch_conninfo(db->scratch, "postgres"), &err);
	db->dbname = arena_printf(ctx->arena, "c7gen_scratch_%d", (int)getpid());
	bool ok = admin && drop_stale(ctx, admin, &err);
	const char *template = "template0";
	if (ok && keys) {
		long k = replay_cache_find(admin, keys, &err);
		ok = k >= 0;
		*cached = k > 0 ? (size_t)k : 0;
		if (k > 0)
			template = keys->names[k];
	}
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "CREATE DATABASE ");
	sql_add_ident(&sql, db->dbname);
	strbuf_addstr(&sql, " TEMPLATE ");
	sql_add_ident(&sql, template);
	strbuf_addstr(&sql, " ENCODING 'UTF8'");
	ok = ok && pg_exec(admin, strbuf_str(&sql), &err);
	strbuf_release(&sql);
	pg_close(admin);
	if (ok)
		db->conn = pg_connect(ctx->arena, scratch_conninfo(db->scratch, db->dbname), &err);
	if (!ok || !db->conn) {
		report_db_error(ctx, "cannot open the scratch database", &err);
		db_close(db);
		return EXIT_DATABASE;
	}
	fprintf(stderr, "c7gen: %s; using the scratch database in %s\n", why,
		scratch_dir(db->scratch));
	timing_mark(ctx, "scratch");
	return -1;
}

static int open_scratch(struct cmd_ctx *ctx, struct db_session *db, const char *why)
{
	return open_scratch_from(ctx, db, why, NULL, NULL);
}

int open_dev_database(struct cmd_ctx *ctx, struct db_session *db)
{
	struct pg_error err;
	struct pg_conn *admin = pg_connect(ctx->arena,
					   scratch_conninfo(db->scratch, "postgres"), &err);
	const char *param[] = { DEV_DATABASE };
	struct pg_result *r = admin ? pg_query(admin,
		"SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", 1, param, &err) : NULL;
	bool ok = r != NULL;
	/* Concurrent commands wait for the cluster's lock, so nobody else
	 * creates it between the look and the CREATE. */
	if (ok && pg_nrows(r) == 0)
		ok = pg_exec(admin, "CREATE DATABASE " DEV_DATABASE
				    " TEMPLATE template0 ENCODING 'UTF8'", &err);
	pg_result_free(r);
	pg_close(admin);
	if (ok)
		db->conn = pg_connect(ctx->arena, scratch_conninfo(db->scratch, DEV_DATABASE), &err);
	if (!ok || !db->conn) {
		report_db_error(ctx, "cannot open the dev database", &err);
		db_close(db);
		return EXIT_DATABASE;
	}
	return -1;
}

int db_open_dev(struct cmd_ctx *ctx, struct db_session *db)
{
	if (ctx->cfg.url)
		return db_open(ctx, db);
	int rc = start_cluster(ctx, db);
	if (rc < 0)
		rc = open_dev_database(ctx, db);
	if (rc >= 0)
		return rc;
	fprintf(stderr, "c7gen: no database configured; using the dev database in %s\n",
		scratch_dir(db->scratch));
	timing_mark(ctx, "scratch");
	return -1;
}

int db_open(struct cmd_ctx *ctx, struct db_session *db)
{
	memset(db, 0, sizeof(*db));
	db->arena = ctx->arena;
	if (!ctx->cfg.url)
		return open_scratch(ctx, db, "no database configured");
	struct pg_error err;
	db->conn = pg_connect(ctx->arena, ctx->cfg.url, &err);
	if (!db->conn) {
		report_db_error(ctx, NULL, &err);
		return EXIT_DATABASE;
	}
	fprintf(stderr, "c7gen: using %s (from %s)\n", pg_describe(db->conn),
		ctx->cfg.url_source);
	timing_mark(ctx, "connect");
	return -1;
}

int db_open_scratch(struct cmd_ctx *ctx, struct db_session *db, const char *why)
{
	return open_scratch(ctx, db, why);
}

void db_close(struct db_session *db)
{
	pg_close(db->conn);
	db->conn = NULL;
	if (!db->scratch)
		return;
	struct pg_error err;
	struct pg_conn *admin = db->dbname ? pg_connect(db->arena,
		scratch_conninfo(db->scratch, "postgres"), &err) : NULL;
	if (admin) {
		struct strbuf sql = STRBUF_INIT;
		strbuf_addstr(&sql, "DROP DATABASE IF EXISTS ");
		sql_add_ident(&sql, db->dbname);
		strbuf_addstr(&sql, " WITH (FORCE)");
		pg_exec(admin, strbuf_str(&sql), &err);
		strbuf_release(&sql);
	}
	pg_close(admin);
	scratch_stop(db->scratch);
	cli_guard_server(0);
	db->scratch = NULL;
}

/* Runs `steps` from `from` on, quietly; -1 or an exit status after
 * reporting. */
static int run_quietly(struct cmd_ctx *ctx, struct db_session *db,
		       const struct version_tables *vt, const struct vec *steps,
		       size_t from)
{
	struct pg_error err;
	if (!pg_versions_create(db->conn, vt, &err)) {
		report_db_error(ctx, "cannot create the version table", &err);
		return EXIT_DATABASE;
	}
	struct vec rest = { .items = steps->items + from, .len = steps->len - from };
	FILE *quiet = fopen("/dev/null", "w");
	struct runner r = { .a = ctx->arena, .d = &ctx->diags, .c = db->conn, .vt = vt,
			    .out = quiet ? quiet : stderr };
	enum run_result res = runner_run(&r, &rest, &err);
	if (quiet)
		fclose(quiet);
	if (res == RUN_SQL_FAILED) {
		cmd_report(ctx);
		fprintf(stderr, "c7gen: the migrations do not apply to an empty database\n");
		return EXIT_DATABASE;
	}
	if (res == RUN_DB_FAILED) {
		report_db_error(ctx, "cannot replay the migrations", &err);
		return EXIT_DATABASE;
	}
	return -1;
}

static void say_replayed(size_t ran, size_t cached)
{
	if (ran)
		fprintf(stderr, "c7gen: replayed %zu revision%s into the scratch database", ran,
			ran == 1 ? "" : "s");
	else if (cached)
		fprintf(stderr, "c7gen: the scratch database is a copy of the replay cache");
	if (ran && cached)
		fprintf(stderr, ", after %zu from the replay cache", cached);
	if (ran || cached)
		fprintf(stderr, "\n");
}

/* Every revision from empty to `target`, with the cache's keys. */
static bool plan_replay(struct cmd_ctx *ctx, const struct revision_set *set,
			const char *target, struct vec *steps, struct replay_keys *keys)
{
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct revs_state st;
	revs_state_init(ctx->arena, &st, set, NULL, 0);
	if (!revs_plan_upgrade(ctx->arena, &ctx->diags, &st, target, steps)) {
		cmd_report(ctx);
		return false;
	}
	replay_keys_of(ctx, &vt, steps, keys);
	return true;
}

/* Runs the steps after the `cached` ones the database already holds, and
 * caches the result when that was not all of them. */
static int replay_rest(struct cmd_ctx *ctx, struct db_session *db, const struct vec *steps,
		       const struct replay_keys *keys, size_t cached)
{
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	int rc = run_quietly(ctx, db, &vt, steps, cached);
	/* Only a per-command scratch database is a replay to keep. */
	if (rc < 0 && db->scratch && db->dbname && cached < steps->len)
		rc = replay_cache_save(ctx, db, keys);
	if (rc >= 0)
		return rc;
	say_replayed(steps->len - cached, cached);
	timing_mark(ctx, "replay");
	return -1;
}

int replay(struct cmd_ctx *ctx, struct db_session *db,
	   const struct revision_set *set)
{
	return replay_to(ctx, db, set, "heads");
}

int replay_to(struct cmd_ctx *ctx, struct db_session *db,
	      const struct revision_set *set, const char *target)
{
	struct vec steps = { 0 };
	struct replay_keys keys;
	if (!plan_replay(ctx, set, target, &steps, &keys))
		return EXIT_USAGE;
	long cached = 0;
	if (db->scratch && db->dbname && (cached = replay_cache_clone(ctx, db, &keys)) < 0)
		return EXIT_DATABASE;
	return replay_rest(ctx, db, &steps, &keys, (size_t)cached);
}

int db_open_at_head(struct cmd_ctx *ctx, struct db_session *db,
		    const struct revision_set *set)
{
	if (ctx->cfg.url)
		return db_open(ctx, db);
	struct vec steps = { 0 };
	struct replay_keys keys;
	if (!plan_replay(ctx, set, "heads", &steps, &keys))
		return EXIT_USAGE;
	size_t cached = 0;
	int rc = open_scratch_from(ctx, db, "no database configured", &keys, &cached);
	if (rc < 0)
		rc = replay_rest(ctx, db, &steps, &keys, cached);
	if (rc >= 0)
		db_close(db);
	return rc;
}

static void add_unique(struct cmd_ctx *ctx, struct vec *v, const char *name)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], name) == 0)
			return;
	vec_push(ctx->arena, v, (void *)name);
}

void split_names(struct cmd_ctx *ctx, const char *list, struct vec *out)
{
	while (list && *list) {
		size_t len = strcspn(list, ",");
		const char *s = list, *e = list + len;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s)
			add_unique(ctx, out, arena_strndup(ctx->arena, s, (size_t)(e - s)));
		list += len + (list[len] == ',');
	}
}

void managed_schemas(struct cmd_ctx *ctx, const struct ir_schema *models,
		     const char ***out, size_t *n)
{
	struct vec v = { 0 };
	add_unique(ctx, &v, SQL_DEFAULT_SCHEMA);
	for (size_t i = 0; models && i < models->namespaces.len; i++)
		add_unique(ctx, &v, models->namespaces.items[i]);
	split_names(ctx, ctx->cfg.schemas, &v);
	*out = (const char **)v.items;
	*n = v.len;
}

void own_tables(struct cmd_ctx *ctx, const char ***out, size_t *n)
{
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	const char *tables[] = { vt.revisions, vt.history, vt.progress };
	size_t count = sizeof(tables) / sizeof(tables[0]);
	const char **names = arena_array(ctx->arena, count, sizeof(char *));
	for (size_t i = 0; i < count; i++)
		names[i] = arena_printf(ctx->arena, "%s.%s", vt.schema, tables[i]);
	*out = names;
	*n = count;
}

struct ir_schema *load_models(struct cmd_ctx *ctx)
{
	struct ir_schema *want = lang_load_models(ctx->arena, &ctx->diags,
						  ctx->cfg.models);
	cmd_report(ctx);
	timing_mark(ctx, "models");
	return want;
}

struct ir_schema *read_schema(struct cmd_ctx *ctx, struct db_session *db,
			      const struct ir_schema *models, int *status)
{
	return read_tables(ctx, db, models, NULL, 0, status);
}

struct ir_schema *read_tables(struct cmd_ctx *ctx, struct db_session *db,
			      const struct ir_schema *models, const char *const *only,
			      size_t nonly, int *status)
{
	struct introspect_opts opts = { 0 };
	managed_schemas(ctx, models, (const char ***)&opts.schemas, &opts.nschemas);
	own_tables(ctx, (const char ***)&opts.exclude, &opts.nexclude);
	opts.only = only;
	opts.nonly = nonly;
	opts.jobs = ctx->cfg.jobs;
	struct pg_error err;
	struct ir_schema *s = pg_introspect(db->conn, ctx->arena, &opts, &err);
	if (!s) {
		report_db_error(ctx, "cannot read the database schema", &err);
		*status = EXIT_DATABASE;
	}
	return s;
}

struct change_list *plan_against(struct cmd_ctx *ctx, struct db_session *db,
				 struct ir_schema *models,
				 const struct ir_schema **current_out, int *status)
{
	struct pg_error err;
	size_t trips = pg_round_trips(db->conn);
	/* Only the catalog queries go to the log: they are the floor a
	 * benchmark compares introspection with. */
	pg_set_query_log(db->conn, ctx->query_log);
	struct ir_schema *current = read_schema(ctx, db, models, status);
	pg_set_query_log(db->conn, NULL);
	timing_mark(ctx, "introspect");
	if (!current)
		return NULL;
	if (current_out)
		*current_out = current;
	/* Normalised expressions are cached per server version in .c7gen/, so
	 * a diff only builds on the server what changed since the last one. */
	struct normcache cache;
	const char *dir = fs_join(ctx->arena, ctx->cfg.root, ".c7gen");
	const char *path = arena_printf(ctx->arena, "%s/normalize-%d.cache", dir,
					pg_server_version(db->conn));
	normcache_load(&cache, ctx->arena, path, pg_server_version(db->conn));
	struct normalize_stats stats = { 0 };
	bool normalized = pg_normalize(db->conn, ctx->arena, models, &cache,
				       &ctx->diags, &err, &stats) &&
			  pg_renormalize(db->conn, ctx->arena, current, models, &cache, &err);
	if (normalized && cache.dirty && fs_mkdir_p(dir, 0755) == 0)
		normcache_save(&cache, path); /* only a cache: failure is harmless */
	normcache_release(&cache);
	ctx->timings.tables_built = stats.tables;
	ctx->timings.tables_cached = stats.cached;
	timing_mark(ctx, "normalize");
	ctx->timings.round_trips += pg_round_trips(db->conn) - trips;
	if (!normalized) {
		if (err.message) {
			report_db_error(ctx, "cannot check the models on the server", &err);
			*status = EXIT_DATABASE;
		} else {
			cmd_report(ctx);
			*status = EXIT_USAGE;
		}
		return NULL;
	}
	struct change_list *cl = diff_schemas(ctx->arena, current, models);
	timing_mark(ctx, "diff");
	return cl;
}
