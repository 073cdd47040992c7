#include "cmd/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "revs/runner.h"

bool parse_lock_timeout(struct cmd_ctx *ctx, const char *text, long *ms)
{
	char *end;
	double s = strtod(text, &end);
	if (*end || s < 0 || s > 86400) {
		cmd_error(ctx, "--lock-timeout takes seconds (0 to 86400), not '%s'", text);
		return false;
	}
	*ms = (long)(s * 1000);
	return true;
}

static bool plan(struct cmd_ctx *ctx, const struct migrate_opts *o,
		 const struct revs_state *st, const char *target, struct vec *steps)
{
	bool ok;
	if (o->mode == MIGRATE_DOWNGRADE)
		ok = revs_plan_downgrade(ctx->arena, &ctx->diags, st, target, steps);
	else
		ok = revs_plan_upgrade(ctx->arena, &ctx->diags, st, target, steps);
	cmd_report(ctx);
	return ok;
}

/* stamp REV: the applied set becomes exactly REV and its ancestors. */
static bool plan_stamp(struct cmd_ctx *ctx, const struct revs_state *st,
		       const char *target, struct vec *steps)
{
	const struct revision_set *set = st->set;
	size_t n = set->revs.len;
	bool *want = arena_array(ctx->arena, n + 1, sizeof(bool));
	if (strcmp(target, "base") != 0) {
		struct vec targets = { 0 };
		if (strcmp(target, "heads") == 0) {
			targets = set->heads;
		} else {
			struct revision *r = strcmp(target, "head") == 0
				? revs_single_head(ctx->arena, &ctx->diags, set)
				: revs_resolve(&ctx->diags, set, target);
			if (!r) {
				cmd_report(ctx);
				return false;
			}
			vec_push(ctx->arena, &targets, r);
		}
		revs_mark_ancestors(set, (struct revision *const *)targets.items,
				    targets.len, want);
	}
	for (size_t k = n; k-- > 0;) {
		if (st->applied[k] && !want[k]) {
			struct step *s = arena_alloc(ctx->arena, sizeof(*s));
			s->rev = set->revs.items[k];
			vec_push(ctx->arena, steps, s);
		}
	}
	for (size_t k = 0; k < n; k++) {
		if (!st->applied[k] && want[k]) {
			struct step *s = arena_alloc(ctx->arena, sizeof(*s));
			s->rev = set->revs.items[k];
			s->up = true;
			vec_push(ctx->arena, steps, s);
		}
	}
	return true;
}

/* ---- offline: --sql [FROM:]TO ---- */

static void offline_record(struct strbuf *sb, const struct version_tables *vt,
			   const struct step *s)
{
	const struct revision *r = s->rev;
	if (s->up) {
		strbuf_addstr(sb, "INSERT INTO ");
		sql_add_full_qname(sb, vt->schema, vt->revisions);
		strbuf_addstr(sb, " (revision, parents, checksum) VALUES (");
		sql_add_literal(sb, r->id);
		strbuf_addstr(sb, ", ");
		struct strbuf parents = STRBUF_INIT;
		for (size_t i = 0; i < r->nparents; i++)
			strbuf_addf(&parents, "%s%s", i ? " " : "", r->parents[i]);
		sql_add_literal(sb, strbuf_str(&parents));
		strbuf_release(&parents);
		strbuf_addstr(sb, ", ");
		sql_add_literal(sb, r->checksum);
		strbuf_addstr(sb, ");\n");
	} else {
		strbuf_addstr(sb, "DELETE FROM ");
		sql_add_full_qname(sb, vt->schema, vt->revisions);
		strbuf_addstr(sb, " WHERE revision = ");
		sql_add_literal(sb, r->id);
		strbuf_addstr(sb, ";\n");
	}
	strbuf_addstr(sb, "INSERT INTO ");
	sql_add_full_qname(sb, vt->schema, vt->history);
	strbuf_addstr(sb, " (direction, revision, started_at, success) VALUES (");
	sql_add_literal(sb, s->up ? "upgrade" : "downgrade");
	strbuf_addstr(sb, ", ");
	sql_add_literal(sb, r->id);
	strbuf_addstr(sb, ", clock_timestamp(), true);\n");
}

static void offline_step(struct strbuf *sb, const struct version_tables *vt,
			 const struct step *s)
{
	const struct revision *r = s->rev;
	strbuf_addf(sb, "\n-- %s %s: %s (%s)\n", s->up ? "Upgrade" : "Downgrade", r->id,
		    r->message, r->path);
	const struct section *sec = s->up ? &r->up : &r->down;
	if (r->no_transaction) {
		strbuf_addstr(sb, "-- runs outside a transaction\n");
		strbuf_addstr(sb, sec->sql);
		strbuf_addstr(sb, "\n;\nBEGIN;\n");
	} else {
		strbuf_addstr(sb, "BEGIN;\n");
		strbuf_addstr(sb, sec->sql);
		/* A last statement without its ';' still ends here. */
		strbuf_addstr(sb, "\n;\n");
	}
	offline_record(sb, vt, s);
	strbuf_addstr(sb, "COMMIT;\n");
}

static int offline(struct cmd_ctx *ctx, const struct migrate_opts *o,
		   const struct revision_set *set, const struct version_tables *vt)
{
	const char *range = o->sql_range;
	const char *colon = strchr(range, ':');
	const char *from = colon ? arena_strndup(ctx->arena, range, (size_t)(colon - range))
				 : (o->mode == MIGRATE_DOWNGRADE ? "heads" : "base");
	const char *to = colon ? colon + 1 : range;
	struct revs_state st;
	revs_state_init(ctx->arena, &st, set, NULL, 0);
	if (strcmp(from, "base") != 0) {
		/* The script starts from FROM: it and its ancestors applied. */
		struct vec start = { 0 };
		if (!plan(ctx, &(struct migrate_opts){ .mode = MIGRATE_UPGRADE }, &st, from, &start))
			return EXIT_USAGE;
		for (size_t i = 0; i < start.len; i++)
			st.applied[((struct step *)start.items[i])->rev->order] = true;
	}
	struct vec steps = { 0 };
	if (!plan(ctx, o, &st, to, &steps))
		return EXIT_USAGE;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "-- c7gen %s --sql %s:%s (offline; nothing was checked against a database)\n",
		    o->mode == MIGRATE_DOWNGRADE ? "downgrade" : "upgrade", from, to);
	strbuf_addstr(&sb, "\\set ON_ERROR_STOP on\n\nBEGIN;\n");
	if (strcmp(vt->schema, SQL_DEFAULT_SCHEMA) != 0) {
		strbuf_addstr(&sb, "CREATE SCHEMA IF NOT EXISTS ");
		sql_add_ident(&sb, vt->schema);
		strbuf_addstr(&sb, ";\n");
	}
	pg_versions_ddl(&sb, vt);
	strbuf_addstr(&sb, "COMMIT;\n");
	for (size_t i = 0; i < steps.len; i++)
		offline_step(&sb, vt, steps.items[i]);
	fwrite(strbuf_str(&sb), 1, sb.len, stdout);
	strbuf_release(&sb);
	return cmd_finish(ctx, EXIT_OK);
}

/* ---- online ---- */

static void say_waiting(void *arg)
{
	struct cmd_ctx *ctx = arg;
	(void)ctx;
	fprintf(stderr, "c7gen: waiting for the migration lock held by another session...\n");
}

static int run_locked(struct cmd_ctx *ctx, const struct migrate_opts *o,
		      struct db_session *db, const struct revision_set *set,
		      const struct version_tables *vt)
{
	struct db_state state;
	int rc = read_db_state(ctx, db, set, vt, &state);
	if (rc >= 0)
		return rc;
	struct pg_error err;
	if (o->mode == MIGRATE_STAMP && o->purge) {
		if (!pg_versions_purge(db->conn, vt, &err)) {
			report_db_error(ctx, "cannot purge the version table", &err);
			return EXIT_DATABASE;
		}
		revs_state_init(ctx->arena, &state.st, set, NULL, 0);
		state.edited.len = 0;
	} else if (o->mode != MIGRATE_STAMP &&
		   report_drift(ctx, &state, !o->allow_edited) && !o->allow_edited) {
		fprintf(stderr, "c7gen: refusing to %s; restore the files, or pass "
				"--allow-edited if the change is deliberate\n",
			o->mode == MIGRATE_UPGRADE ? "upgrade" : "downgrade");
		return EXIT_USAGE;
	}
	struct vec steps = { 0 };
	bool ok = o->mode == MIGRATE_STAMP
		? plan_stamp(ctx, &state.st, o->target, &steps)
		: plan(ctx, o, &state.st, o->target, &steps);
	if (!ok)
		return EXIT_USAGE;
	if (!steps.len) {
		printf("Nothing to do: the database is already at %s.\n", o->target);
		return EXIT_OK;
	}
	for (size_t i = 0; o->single_transaction && i < steps.len; i++) {
		const struct revision *r = ((struct step *)steps.items[i])->rev;
		if (r->no_transaction) {
			cmd_error(ctx, "--single-transaction cannot include %s (%s): it is "
				       "marked 'transaction: none'", r->id, r->path);
			return EXIT_USAGE;
		}
	}
	struct runner r = { ctx->arena, &ctx->diags, db->conn, vt, stdout,
			    o->single_transaction, o->mode == MIGRATE_STAMP };
	enum run_result res = runner_run(&r, &steps, &err);
	if (res == RUN_SQL_FAILED) {
		cmd_report(ctx);
		return EXIT_DATABASE;
	}
	if (res == RUN_DB_FAILED) {
		report_db_error(ctx, "cannot record the revision", &err);
		return EXIT_DATABASE;
	}
	return EXIT_OK;
}

int migrate(struct cmd_ctx *ctx, const struct migrate_opts *o)
{
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	if (o->sql_range)
		return offline(ctx, o, &set, &vt);

	struct db_session db;
	int rc = db_open(ctx, &db);
	if (rc >= 0)
		return rc;
	struct pg_error err;
	switch (pg_lock(db.conn, &vt, o->lock_timeout_ms, say_waiting, ctx, &err)) {
	case LOCK_TAKEN:
		break;
	case LOCK_TIMEOUT:
		cmd_error(ctx, "timed out after %.0f s waiting for the migration lock "
			       "(another upgrade or downgrade is running)",
			  o->lock_timeout_ms / 1000.0);
		db_close(&db);
		return EXIT_LOCK;
	case LOCK_ERROR:
		report_db_error(ctx, "cannot take the migration lock", &err);
		db_close(&db);
		return EXIT_DATABASE;
	}
	if (!pg_versions_create(db.conn, &vt, &err)) {
		report_db_error(ctx, "cannot create the version table", &err);
		db_close(&db);
		return EXIT_DATABASE;
	}
	rc = run_locked(ctx, o, &db, &set, &vt);
	pg_unlock(db.conn, &vt);
	db_close(&db);
	return cmd_finish(ctx, rc);
}
