#include "cmd/replaycache.h"

#include <string.h>

#include "base/arena.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "ir/sqlname.h"
#include "pg/cluster.h"
#include "pg/conn.h"
#include "pg/versions.h"
#include "revs/plan.h"
#include "revs/revs.h"

#define TEMPLATE_PREFIX "c7gen_replay_"
/* Templates kept: the chains of a few branches, a few edits back. */
#define TEMPLATES_KEPT 4

void replay_keys_of(struct cmd_ctx *ctx, const struct version_tables *vt,
		    const struct vec *steps, struct replay_keys *keys)
{
	keys->n = steps->len;
	keys->names = arena_array(ctx->arena, steps->len + 1, sizeof(char *));
	/* The version tables' names are part of what a template holds. */
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "c7gen replay 1 %s.%s", vt->schema ? vt->schema : "",
		    vt->revisions);
	char hash[65];
	sha256_hex(sb.buf, sb.len, hash);
	for (size_t k = 0; k < steps->len; k++) {
		const struct step *s = steps->items[k];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s %s %s %s", hash, s->rev->id, s->rev->checksum,
			    s->up ? "up" : "down");
		sha256_hex(sb.buf, sb.len, hash);
		keys->names[k + 1] = arena_printf(ctx->arena, TEMPLATE_PREFIX "%.24s", hash);
	}
	strbuf_release(&sb);
}

static struct pg_conn *admin_conn(struct db_session *db, struct pg_error *err)
{
	return pg_connect(db->arena, scratch_conninfo(db->scratch, "postgres"), err);
}

/* Runs "VERB name [tail]" with `name` quoted. */
static bool exec_named(struct pg_conn *c, const char *verb, const char *name,
		       const char *tail, struct pg_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	strbuf_addf(&sql, "%s ", verb);
	sql_add_ident(&sql, name);
	strbuf_addstr(&sql, tail);
	bool ok = pg_exec(c, strbuf_str(&sql), err);
	strbuf_release(&sql);
	return ok;
}

/* `dbname` re-created as a copy of `template`, and the session reopened. */
static bool recreate_from(struct db_session *db, struct pg_conn *admin,
			  const char *template, struct pg_error *err)
{
	pg_close(db->conn);
	db->conn = NULL;
	struct strbuf tail = STRBUF_INIT;
	strbuf_addstr(&tail, " TEMPLATE ");
	sql_add_ident(&tail, template);
	bool ok = exec_named(admin, "DROP DATABASE IF EXISTS", db->dbname, "", err) &&
		  exec_named(admin, "CREATE DATABASE", db->dbname, strbuf_str(&tail), err);
	strbuf_release(&tail);
	if (ok)
		db->conn = pg_connect(db->arena, scratch_conninfo(db->scratch, db->dbname), err);
	return db->conn != NULL;
}

/* The cached templates, newest first. */
static struct pg_result *templates(struct pg_conn *admin, struct pg_error *err)
{
	return pg_query(admin,
		"SELECT datname FROM pg_catalog.pg_database "
		"WHERE datname LIKE 'c7gen\\_replay\\_%' ORDER BY oid DESC", 0, NULL, err);
}

long replay_cache_find(struct pg_conn *admin, const struct replay_keys *keys,
		       struct pg_error *err)
{
	struct pg_result *r = templates(admin, err);
	if (!r)
		return -1;
	size_t best = 0;
	for (int i = 0; i < pg_nrows(r); i++) {
		const char *name = pg_value(r, i, 0);
		for (size_t k = keys->n; k > best; k--)
			if (strcmp(keys->names[k], name) == 0)
				best = k;
	}
	pg_result_free(r);
	return (long)best;
}

long replay_cache_clone(struct cmd_ctx *ctx, struct db_session *db,
			const struct replay_keys *keys)
{
	struct pg_error err;
	struct pg_conn *admin = admin_conn(db, &err);
	long best = admin ? replay_cache_find(admin, keys, &err) : -1;
	bool ok = best >= 0;
	if (ok && best)
		ok = recreate_from(db, admin, keys->names[best], &err);
	pg_close(admin);
	if (!ok) {
		report_db_error(ctx, "cannot copy the cached replay", &err);
		return -1;
	}
	return (long)best;
}

int replay_cache_save(struct cmd_ctx *ctx, struct db_session *db,
		      const struct replay_keys *keys)
{
	struct pg_error err;
	struct pg_conn *admin = admin_conn(db, &err);
	if (!admin) {
		report_db_error(ctx, "cannot reach the scratch database", &err);
		return EXIT_DATABASE;
	}
	/* A database being copied may have no other session. */
	pg_close(db->conn);
	struct strbuf tail = STRBUF_INIT;
	strbuf_addstr(&tail, " TEMPLATE ");
	sql_add_ident(&tail, db->dbname);
	const char *name = keys->names[keys->n];
	if (exec_named(admin, "CREATE DATABASE", name, strbuf_str(&tail), &err)) {
		struct pg_result *r = templates(admin, &err);
		for (int i = TEMPLATES_KEPT; r && i < pg_nrows(r); i++)
			exec_named(admin, "DROP DATABASE IF EXISTS", pg_value(r, i, 0), "", &err);
		pg_result_free(r);
	}
	strbuf_release(&tail);
	pg_close(admin);
	db->conn = pg_connect(db->arena, scratch_conninfo(db->scratch, db->dbname), &err);
	if (!db->conn) {
		report_db_error(ctx, "cannot reopen the scratch database", &err);
		return EXIT_DATABASE;
	}
	return -1;
}
