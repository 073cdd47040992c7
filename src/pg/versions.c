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

bool pg_versions_read(struct pg_conn *c, struct arena *a,
		      const struct version_tables *vt, struct applied **rows,
		      size_t *n, bool *exists, struct pg_error *err)
{
	*rows = NULL;
	*n = 0;
	struct strbuf qn = STRBUF_INIT;
	table(&qn, vt, vt->revisions);
	const char *params[1] = { strbuf_str(&qn) };
	struct pg_result *r = pg_query(c, "SELECT pg_catalog.to_regclass($1) IS NOT NULL",
				       1, params, err);
	if (!r) {
		strbuf_release(&qn);
		return false;
	}
	*exists = pg_bool(r, 0, 0);
	pg_result_free(r);
	if (!*exists) {
		strbuf_release(&qn);
		return true;
	}
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "SELECT revision, parents, checksum, applied_at::text,"
			  " applied_by, duration_ms FROM %s ORDER BY applied_at, revision",
		    strbuf_str(&qn));
	r = pg_query(c, strbuf_str(&sql), 0, NULL, err);
	strbuf_release(&sql);
	strbuf_release(&qn);
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
	strbuf_addstr(&sql, "DELETE FROM ");
	table(&sql, vt, vt->revisions);
	strbuf_addstr(&sql, " RETURNING 1");
	return run_params(c, &sql, 0, NULL, err);
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
			bool up, const struct applied *row,
			const struct history_entry *h, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	char ms[16];
	snprintf(ms, sizeof(ms), "%d", row->duration_ms);
	/* $1 revision, $2 direction, $3 started_at; upgrades add the row's
	 * $4 parents, $5 checksum, $6 duration. */
	strbuf_addstr(&sql, "WITH v AS (");
	if (up) {
		strbuf_addstr(&sql, "INSERT INTO ");
		table(&sql, vt, vt->revisions);
		strbuf_addstr(&sql, " (revision, parents, checksum, duration_ms)"
				    " VALUES ($1, $4, $5, $6::integer) RETURNING 1");
	} else {
		strbuf_addstr(&sql, "DELETE FROM ");
		table(&sql, vt, vt->revisions);
		strbuf_addstr(&sql, " WHERE revision = $1 RETURNING 1");
	}
	strbuf_addstr(&sql, ") INSERT INTO ");
	table(&sql, vt, vt->history);
	/* Reading v makes the row change happen in the same statement. */
	strbuf_addstr(&sql, " (direction, revision, started_at, success)"
			    " SELECT $2, $1, $3::timestamptz, true"
			    " FROM (SELECT count(*) FROM v) AS done RETURNING 1");
	const char *params[6] = { row->revision, h->direction, h->started_at,
				  row->parents, row->checksum, ms };
	return run_params(c, &sql, up ? 6 : 3, params, err);
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
