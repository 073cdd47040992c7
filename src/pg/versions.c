#include "pg/versions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "ir/sqlname.h"
#include "pg/conn.h"

static void table(struct strbuf *sb, const struct version_tables *vt,
		  const char *name)
{
	sql_add_full_qname(sb, vt->schema, name);
}

static void read_progress(struct arena *a, struct pg_result *r,
			  struct progress **rows, size_t *n)
{
	*n = (size_t)pg_nrows(r);
	*rows = arena_array(a, *n ? *n : 1, sizeof(**rows));
	for (size_t i = 0; i < *n; i++) {
		struct progress *p = &(*rows)[i];
		int row = (int)i;
		p->revision = arena_strdup(a, pg_value(r, row, 0));
		p->direction = arena_strdup(a, pg_value(r, row, 1));
		p->steps_done = atoi(pg_value(r, row, 2));
		p->steps = atoi(pg_value(r, row, 3));
		p->statements_done = atoi(pg_value(r, row, 4));
		p->checksum = arena_strdup(a, pg_value(r, row, 5));
		p->updated_at = arena_strdup(a, pg_value(r, row, 6));
	}
}

static struct pg_result *select_all(struct pg_conn *c, const struct version_tables *vt,
				    const char *table, const char *columns,
				    const char *order, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "SELECT %s FROM ", columns);
	sql_add_full_qname(&sql, vt->schema, table);
	strbuf_addf(&sql, " ORDER BY %s", order);
	struct pg_result *r = pg_query(c, strbuf_str(&sql), 0, NULL, err);
	strbuf_release(&sql);
	return r;
}

bool pg_versions_read(struct pg_conn *c, struct arena *a,
		      const struct version_tables *vt, struct applied **rows,
		      size_t *n, struct progress **partial, size_t *npartial,
		      bool *exists, struct pg_error *err)
{
	*rows = NULL;
	*n = 0;
	*partial = NULL;
	*npartial = 0;
	struct strbuf qn = STRBUF_INIT, qp = STRBUF_INIT;
	table(&qn, vt, vt->revisions);
	table(&qp, vt, vt->progress);
	const char *params[2] = { strbuf_str(&qn), strbuf_str(&qp) };
	/* The progress table came later: a database c7gen wrote before may
	 * lack it. */
	struct pg_result *r = pg_query(c, "SELECT pg_catalog.to_regclass($1) IS NOT NULL,"
				       " pg_catalog.to_regclass($2) IS NOT NULL", 2, params, err);
	strbuf_release(&qn);
	strbuf_release(&qp);
	if (!r)
		return false;
	*exists = pg_bool(r, 0, 0);
	bool has_progress = pg_bool(r, 0, 1);
	pg_result_free(r);
	if (!*exists)
		return true;
	r = select_all(c, vt, vt->revisions, "revision, parents, checksum, applied_at::text,"
		       " applied_by, duration_ms", "applied_at, revision", err);
	if (!r)
		return false;
	*n = (size_t)pg_nrows(r);
	*rows = arena_array(a, *n ? *n : 1, sizeof(**rows));
	for (size_t i = 0; i < *n; i++) {
		struct applied *row = &(*rows)[i];
		row->revision = arena_strdup(a, pg_value(r, (int)i, 0));
		row->parents = arena_strdup(a, pg_value(r, (int)i, 1));
		row->checksum = arena_strdup(a, pg_value(r, (int)i, 2));
		row->applied_at = arena_strdup(a, pg_value(r, (int)i, 3));
		row->applied_by = arena_strdup(a, pg_value(r, (int)i, 4));
		row->duration_ms = atoi(pg_value(r, (int)i, 5));
	}
	pg_result_free(r);
	if (!has_progress)
		return true;
	r = select_all(c, vt, vt->progress, "revision, direction, steps_done, steps,"
		       " statements_done, checksum, updated_at::text", "revision", err);
	if (!r)
		return false;
	read_progress(a, r, partial, npartial);
	pg_result_free(r);
	return true;
}

void pg_versions_ddl(struct strbuf *sb, const struct version_tables *vt)
{
	strbuf_addstr(sb, "CREATE TABLE IF NOT EXISTS ");
	table(sb, vt, vt->revisions);
	strbuf_addstr(sb, " (\n"
		      "    revision    text PRIMARY KEY,\n"
		      "    parents     text NOT NULL DEFAULT '',\n"
		      "    checksum    text NOT NULL,\n"
		      "    applied_at  timestamptz NOT NULL DEFAULT now(),\n"
		      "    applied_by  text NOT NULL DEFAULT current_user,\n"
		      "    duration_ms integer NOT NULL DEFAULT 0\n"
		      ");\n");
	strbuf_addstr(sb, "CREATE TABLE IF NOT EXISTS ");
	table(sb, vt, vt->history);
	strbuf_addstr(sb, " (\n"
		      "    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		      "    direction   text NOT NULL,\n"
		      "    revision    text NOT NULL,\n"
		      "    started_at  timestamptz NOT NULL,\n"
		      "    finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
		      "    success     boolean NOT NULL,\n"
		      "    sqlstate    text,\n"
		      "    error       text,\n"
		      "    applied_by  text NOT NULL DEFAULT current_user\n"
		      ");\n");
	strbuf_addstr(sb, "CREATE TABLE IF NOT EXISTS ");
	table(sb, vt, vt->progress);
	strbuf_addstr(sb, " (\n"
		      "    revision        text PRIMARY KEY,\n"
		      "    direction       text NOT NULL,\n"
		      "    steps_done      integer NOT NULL,\n"
		      "    steps           integer NOT NULL,\n"
		      "    statements_done integer NOT NULL DEFAULT 0,\n"
		      "    checksum        text NOT NULL,\n"
		      "    started_at      timestamptz NOT NULL DEFAULT clock_timestamp(),\n"
		      "    updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()\n"
		      ");\n");
}

bool pg_versions_create(struct pg_conn *c, const struct version_tables *vt,
			struct pg_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	if (strcmp(vt->schema, SQL_DEFAULT_SCHEMA) != 0) {
		strbuf_addstr(&sb, "CREATE SCHEMA IF NOT EXISTS ");
		sql_add_ident(&sb, vt->schema);
		strbuf_addstr(&sb, ";\n");
	}
	pg_versions_ddl(&sb, vt);
	bool ok = pg_exec(c, strbuf_str(&sb), err);
	strbuf_release(&sb);
	return ok;
}

static bool run_params(struct pg_conn *c, struct strbuf *sql, int n,
		       const char *const *params, struct pg_error *err)
{
	struct pg_result *r = pg_query(c, strbuf_str(sql), n, params, err);
	strbuf_release(sql);
	if (!r)
		return false;
	pg_result_free(r);
	return true;
}

bool pg_versions_purge(struct pg_conn *c, const struct version_tables *vt,
		       struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "WITH p AS (DELETE FROM ");
	table(&sql, vt, vt->progress);
	strbuf_addstr(&sql, " RETURNING 1) DELETE FROM ");
	table(&sql, vt, vt->revisions);
	strbuf_addstr(&sql, " RETURNING 1");
	return run_params(c, &sql, 0, NULL, err);
}

bool pg_progress_save(struct pg_conn *c, const struct version_tables *vt,
		      const struct progress *p, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "INSERT INTO ");
	table(&sql, vt, vt->progress);
	strbuf_addstr(&sql, " (revision, direction, steps_done, steps, statements_done, checksum)"
			    " VALUES ($1, $2, $3::integer, $4::integer, $5::integer, $6)"
			    " ON CONFLICT (revision) DO UPDATE SET direction = EXCLUDED.direction,"
			    " steps_done = EXCLUDED.steps_done, steps = EXCLUDED.steps,"
			    " statements_done = EXCLUDED.statements_done,"
			    " checksum = EXCLUDED.checksum, updated_at = clock_timestamp()"
			    " RETURNING 1");
	char done[16], steps[16], stmts[16];
	snprintf(done, sizeof(done), "%d", p->steps_done);
	snprintf(steps, sizeof(steps), "%d", p->steps);
	snprintf(stmts, sizeof(stmts), "%d", p->statements_done);
	const char *params[6] = { p->revision, p->direction, done, steps, stmts, p->checksum };
	return run_params(c, &sql, 6, params, err);
}

bool pg_history_append(struct pg_conn *c, const struct version_tables *vt,
		       const struct history_entry *h, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "INSERT INTO ");
	table(&sql, vt, vt->history);
	strbuf_addstr(&sql, " (direction, revision, started_at, success, sqlstate, error)"
			    " VALUES ($1, $2, $3::timestamptz, $4::boolean, $5, $6) RETURNING 1");
	const char *params[6] = { h->direction, h->revision, h->started_at,
				  h->success ? "true" : "false", h->sqlstate, h->error };
	return run_params(c, &sql, 6, params, err);
}

bool pg_versions_record(struct pg_conn *c, const struct version_tables *vt,
			bool up, bool stamp, const struct applied *row,
			const struct history_entry *h, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	char ms[16];
	snprintf(ms, sizeof(ms), "%d", row->duration_ms);
	/* $1 revision, $2 direction, $3 started_at; upgrades add the row's
	 * $4 parents, $5 checksum, $6 duration; downgrades $4 the replaced
	 * revisions, whose rows stand for a squash revision. */
	strbuf_addstr(&sql, "WITH p AS (DELETE FROM ");
	table(&sql, vt, vt->progress);
	strbuf_addstr(&sql, " WHERE revision = $1 RETURNING 1), v AS (");
	if (up) {
		strbuf_addstr(&sql, "INSERT INTO ");
		table(&sql, vt, vt->revisions);
		strbuf_addstr(&sql, " (revision, parents, checksum, duration_ms)"
				    " VALUES ($1, $4, $5, $6::integer)");
		/* Stamping a revision whose downgrade stopped part way keeps
		 * its row and only forgets the progress. */
		if (stamp)
			strbuf_addstr(&sql, " ON CONFLICT (revision) DO NOTHING");
		strbuf_addstr(&sql, " RETURNING 1");
	} else {
		strbuf_addstr(&sql, "DELETE FROM ");
		table(&sql, vt, vt->revisions);
		strbuf_addstr(&sql, " WHERE revision = $1 OR revision = ANY($4::text[]) RETURNING 1");
	}
	strbuf_addstr(&sql, ") INSERT INTO ");
	table(&sql, vt, vt->history);
	/* Reading v makes the row change happen in the same statement. */
	strbuf_addstr(&sql, " (direction, revision, started_at, success)"
			    " SELECT $2, $1, $3::timestamptz, true"
			    " FROM (SELECT count(*) FROM v) AS done RETURNING 1");
	const char *params[6] = { row->revision, h->direction, h->started_at,
				  up ? row->parents : (row->replaces ? row->replaces : "{}"),
				  row->checksum, ms };
	return run_params(c, &sql, up ? 6 : 4, params, err);
}

const char *pg_now(struct pg_conn *c, struct arena *a, struct pg_error *err)
{
	struct pg_result *r = pg_query(c, "SELECT pg_catalog.clock_timestamp()::text",
				       0, NULL, err);
	if (!r)
		return NULL;
	const char *v = arena_strdup(a, pg_value(r, 0, 0));
	pg_result_free(r);
	return v;
}

/* One lock per version table: projects sharing a database with different
 * version tables do not block each other. */
static const char *lock_key(const struct version_tables *vt, char buf[32])
{
	unsigned long long h = 14695981039346656037ULL;
	const char *parts[3] = { "c7gen", vt->schema, vt->revisions };
	for (int i = 0; i < 3; i++) {
		for (const char *p = parts[i]; *p; p++) {
			h ^= (unsigned char)*p;
			h *= 1099511628211ULL;
		}
		h ^= 0xff;
	}
	snprintf(buf, 32, "%lld", (long long)h);
	return buf;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

enum lock_result pg_lock(struct pg_conn *c, const struct version_tables *vt,
			 long timeout_ms, void (*on_wait)(void *), void *arg,
			 struct pg_error *err)
{
	char key[32];
	const char *params[1] = { lock_key(vt, key) };
	long waited = 0;
	bool told = false;
	for (;;) {
		struct pg_result *r = pg_query(c, "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)",
					       1, params, err);
		if (!r)
			return LOCK_ERROR;
		bool got = pg_bool(r, 0, 0);
		pg_result_free(r);
		if (got)
			return LOCK_TAKEN;
		if (waited >= timeout_ms)
			return LOCK_TIMEOUT;
		if (!told && on_wait) {
			on_wait(arg);
			told = true;
		}
		long step = timeout_ms - waited < 100 ? timeout_ms - waited : 100;
		sleep_ms(step);
		waited += step;
	}
}

void pg_unlock(struct pg_conn *c, const struct version_tables *vt)
{
	char key[32];
	const char *params[1] = { lock_key(vt, key) };
	struct pg_error ignored;
	struct pg_result *r = pg_query(c, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)",
				       1, params, &ignored);
	pg_result_free(r);
}
