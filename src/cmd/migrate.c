#include "cmd/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "cmd/fleet.h"
#include "cmd/revisions.h"
#include "ir/sqlname.h"
#include "pg/conn.h"
#include "revs/runner.h"
#include "revs/stmtinfo.h"
#include "sql/sql.h"

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

bool parse_ddl_settings(struct cmd_ctx *ctx, const char *timeout_flag,
			const char *retries_flag, struct migrate_opts *o)
{
	const char *timeout = timeout_flag ? timeout_flag : ctx->cfg.ddl_lock_timeout;
	const char *from = timeout_flag ? "--ddl-lock-timeout" : "ddl_lock_timeout";
	if (!timeout)
		timeout = DEFAULT_DDL_LOCK_TIMEOUT;
	if (!revs_parse_duration(timeout, &o->ddl_lock_timeout_ms)) {
		cmd_error(ctx, "%s takes 'off' or a duration in PostgreSQL's units "
			       "(200ms, 2s, 1min), not '%s'", from, timeout);
		return false;
	}
	const char *retries = retries_flag ? retries_flag : ctx->cfg.ddl_retries;
	from = retries_flag ? "--ddl-retries" : "ddl_retries";
	if (!retries)
		retries = DEFAULT_DDL_RETRIES;
	char *end;
	long n = strtol(retries, &end, 10);
	if (!*retries || *end || n < 0 || n > MAX_DDL_RETRIES) {
		cmd_error(ctx, "%s takes a number from 0 to %d, not '%s'", from,
			  MAX_DDL_RETRIES, retries);
		return false;
	}
	o->ddl_retries = (int)n;
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
	/* A revision applied part way is stamped either way, which forgets
	 * its progress. */
	for (size_t k = n; k-- > 0;) {
		if ((st->applied[k] || st->partial[k]) && !want[k]) {
			struct step *s = arena_alloc(ctx->arena, sizeof(*s));
			s->rev = set->revs.items[k];
			vec_push(ctx->arena, steps, s);
		}
	}
	for (size_t k = 0; k < n; k++) {
		if ((!st->applied[k] || st->partial[k]) && want[k]) {
			struct step *s = arena_alloc(ctx->arena, sizeof(*s));
			s->rev = set->revs.items[k];
			s->up = true;
			vec_push(ctx->arena, steps, s);
		}
	}
	return true;
}

/* ---- offline: --sql [FROM:]TO ---- */

static void offline_progress(struct strbuf *sb, const struct version_tables *vt,
			     const struct step *s, size_t done)
{
	const struct revision *r = s->rev;
	const struct section *sec = s->up ? &r->up : &r->down;
	strbuf_addstr(sb, "INSERT INTO ");
	sql_add_full_qname(sb, vt->schema, vt->progress);
	strbuf_addstr(sb, " (revision, direction, steps_done, steps, checksum) VALUES (");
	sql_add_literal(sb, r->id);
	strbuf_addstr(sb, ", ");
	sql_add_literal(sb, s->up ? "upgrade" : "downgrade");
	strbuf_addf(sb, ", %zu, %zu, ", done, sec->nsteps);
	sql_add_literal(sb, r->checksum);
	strbuf_addstr(sb, ")\n    ON CONFLICT (revision) DO UPDATE SET direction = EXCLUDED.direction,"
		      " steps_done = EXCLUDED.steps_done, steps = EXCLUDED.steps,"
		      " statements_done = 0, checksum = EXCLUDED.checksum,"
		      " updated_at = clock_timestamp();\n");
}

static void offline_record(struct strbuf *sb, const struct version_tables *vt,
			   const struct step *s)
{
	const struct revision *r = s->rev;
	const struct section *sec = s->up ? &r->up : &r->down;
	if (sec->nsteps > 1) {
		strbuf_addstr(sb, "DELETE FROM ");
		sql_add_full_qname(sb, vt->schema, vt->progress);
		strbuf_addstr(sb, " WHERE revision = ");
		sql_add_literal(sb, r->id);
		strbuf_addstr(sb, ";\n");
	}
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

/* A step's statements; revs_parse has already checked that they parse. */
static void split_step(struct cmd_ctx *ctx, const char *sql, size_t len, struct vec *stmts)
{
	struct sql_error err;
	if (!sql_split(ctx->arena, sql, len, stmts, &err))
		BUG("a step the parser rejects was loaded (revs_parse checks them)");
}

/* The SQL as written, its last statement ended with a ';' if it lacks
 * one (on a line of its own: the text may end in a comment). */
static void add_terminated(struct cmd_ctx *ctx, struct strbuf *sb, const char *sql)
{
	size_t len = strlen(sql), n = len;
	while (n && strchr(" \t\r\n", sql[n - 1]))
		n--;
	strbuf_add(sb, sql, n);
	if (n)
		strbuf_addch(sb, '\n');
	struct vec stmts = { 0 };
	split_step(ctx, sql, len, &stmts);
	const struct sql_stmt *last = stmts.len ? stmts.items[stmts.len - 1] : NULL;
	if (last && last->offset + last->len == len)
		strbuf_addstr(sb, ";\n");
}

/* The script's lock_timeout, set only when it changes, as the runner does;
 * *current is -1 before the first statement. */
static void offline_timeout(struct strbuf *sb, long want, long *current)
{
	if (want == *current)
		return;
	if (want)
		strbuf_addf(sb, "SET lock_timeout = '%ldms';\n", want);
	else if (*current > 0)
		strbuf_addstr(sb, "RESET lock_timeout;\n");
	*current = want;
}

/* A step outside a transaction: its statements bare, each with the lock
 * timeout the runner would give it. */
static void offline_none_step(struct cmd_ctx *ctx, struct strbuf *sb,
			      const struct rev_step *st, long timeout, long *current)
{
	struct vec stmts = { 0 };
	split_step(ctx, st->sql, strlen(st->sql), &stmts);
	for (size_t k = 0; k < stmts.len; k++) {
		const struct sql_stmt *one = stmts.items[k];
		offline_timeout(sb, stmt_is_concurrent(ctx->arena, one->text, one->len) ? 0 : timeout, current);
		strbuf_add(sb, one->text, one->len);
		strbuf_addstr(sb, ";\n");
	}
}

static void offline_step(struct cmd_ctx *ctx, struct strbuf *sb,
			 const struct version_tables *vt, const struct step *s,
			 long run_timeout, long *current)
{
	const struct revision *r = s->rev;
	const struct section *sec = s->up ? &r->up : &r->down;
	long timeout = r->has_ddl_lock_timeout ? r->ddl_lock_timeout_ms : run_timeout;
	strbuf_addf(sb, "\n-- %s %s: %s (%s)\n", s->up ? "Upgrade" : "Downgrade", r->id,
		    r->message, r->path);
	for (size_t i = 0; i < sec->nsteps; i++) {
		const struct rev_step *st = &sec->steps[i];
		bool last = i + 1 == sec->nsteps;
		if (sec->marked)
			strbuf_addf(sb, "-- step %zu of %zu%s\n", i + 1, sec->nsteps,
				    st->no_transaction ? " (outside a transaction)" : "");
		else if (st->no_transaction)
			strbuf_addstr(sb, "-- runs outside a transaction\n");
		if (st->no_transaction) {
			offline_none_step(ctx, sb, st, timeout, current);
			strbuf_addstr(sb, "BEGIN;\n");
		} else {
			offline_timeout(sb, timeout, current);
			strbuf_addstr(sb, "BEGIN;\n");
			add_terminated(ctx, sb, st->sql);
		}
		if (last)
			offline_record(sb, vt, s);
		else
			offline_progress(sb, vt, s, i + 1);
		strbuf_addstr(sb, "COMMIT;\n");
	}
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
	if (o->ddl_lock_timeout_ms)
		strbuf_addf(&sb, "-- Statements wait at most %ld ms for a lock (ddl_lock_timeout);"
			    " psql does not retry:\n-- after a lock timeout, run the script's"
			    " remaining revisions with 'c7gen upgrade'.\n", o->ddl_lock_timeout_ms);
	long current = -1;
	for (size_t i = 0; i < steps.len; i++)
		offline_step(ctx, &sb, vt, steps.items[i], o->ddl_lock_timeout_ms, &current);
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
		      const struct version_tables *vt, struct migrate_outcome *out)
{
	struct db_state state;
	int rc = read_db_state(ctx, db, set, vt, &state);
	if (rc >= 0)
		return rc;
	out->before = state;
	out->read_before = true;
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
	out->steps = steps.len;
	if (!steps.len) {
		printf("Nothing to do: the database is already at %s.\n", o->target);
		return EXIT_OK;
	}
	for (size_t i = 0; o->single_transaction && i < steps.len; i++) {
		const struct step *s = steps.items[i];
		const struct section *sec = s->up ? &s->rev->up : &s->rev->down;
		for (size_t k = 0; k < sec->nsteps; k++) {
			if (!sec->steps[k].no_transaction)
				continue;
			cmd_error(ctx, "--single-transaction cannot include %s (%s): %s "
				       "'transaction: none'", s->rev->id, s->rev->path,
				  sec->marked ? "it has a step marked" : "it is marked");
			return EXIT_USAGE;
		}
	}
	struct runner r = { .a = ctx->arena, .d = &ctx->diags, .c = db->conn, .vt = vt,
			    .out = stdout, .single_transaction = o->single_transaction,
			    .stamp = o->mode == MIGRATE_STAMP,
			    .ddl_lock_timeout_ms = o->ddl_lock_timeout_ms,
			    .ddl_retries = o->ddl_retries, .one_session = o->one_session };
	enum run_result res = runner_run(&r, &steps, &err);
	/* Where the run left the database, whatever happened: a fleet report
	 * names it.  A failure to read it is reported by the caller's
	 * status already. */
	if (out->want_after)
		out->read_after = read_db_state(ctx, db, set, vt, &out->after) < 0;
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

int migrate_session(struct cmd_ctx *ctx, const struct migrate_opts *o,
		    struct db_session *db, const struct revision_set *set,
		    const struct version_tables *vt, struct migrate_outcome *out)
{
	struct pg_error err;
	switch (pg_lock(db->conn, vt, o->lock_timeout_ms, say_waiting, ctx, &err)) {
	case LOCK_TAKEN:
		break;
	case LOCK_TIMEOUT:
		cmd_error(ctx, "timed out after %.0f s waiting for the migration lock "
			       "(another upgrade or downgrade is running)",
			  o->lock_timeout_ms / 1000.0);
		return EXIT_LOCK;
	case LOCK_ERROR:
		report_db_error(ctx, "cannot take the migration lock", &err);
		return EXIT_DATABASE;
	}
	int rc;
	if (!pg_versions_create(db->conn, vt, &err)) {
		report_db_error(ctx, "cannot create the version table", &err);
		rc = EXIT_DATABASE;
	} else {
		rc = run_locked(ctx, o, db, set, vt, out);
	}
	pg_unlock(db->conn, vt);
	return rc;
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
	int rc = db_open_dev(ctx, &db);
	if (rc >= 0)
		return rc;
	struct migrate_outcome out = { 0 };
	rc = migrate_session(ctx, o, &db, &set, &vt, &out);
	db_close(&db);
	return cmd_finish(ctx, rc);
}

/* ---- fleets ---- */

struct fleet_migrate {
	const struct migrate_opts *o;
	const struct revision_set *set;
};

static const char *done_word(enum migrate_mode mode)
{
	return mode == MIGRATE_UPGRADE ? "upgraded"
	       : mode == MIGRATE_DOWNGRADE ? "downgraded" : "stamped";
}

static void migrate_target(struct cmd_ctx *ctx, struct db_session *db,
			   const struct version_tables *vt, void *arg,
			   struct fleet_outcome *out)
{
	const struct fleet_migrate *fm = arg;
	struct migrate_outcome mo = { .want_after = true };
	int rc = migrate_session(ctx, fm->o, db, fm->set, vt, &mo);
	if (mo.read_before)
		out->from = fleet_heads(ctx, &mo.before);
	out->to = mo.read_after ? fleet_heads(ctx, &mo.after) : out->from;
	if (rc != EXIT_OK) {
		out->cls = FLEET_FAILED;
		out->result = rc == EXIT_LOCK ? "lock timeout" : "failed";
		return;
	}
	out->cls = FLEET_GOOD;
	out->result = mo.steps ? done_word(fm->o->mode) : "unchanged";
}

int migrate_fleet(struct cmd_ctx *ctx, const struct migrate_opts *o,
		  const struct fleet_flags *f)
{
	if (o->sql_range) {
		cmd_error(ctx, "%s: --sql prints one script and touches no database; "
			       "it does not take --targets", ctx->argv[0]);
		return EXIT_USAGE;
	}
	/* Loaded once: every target's process inherits them. */
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct migrate_opts one = *o;
	one.one_session = true;
	struct fleet_migrate fm = { &one, &set };
	struct fleet_job job = { ctx->argv[0], o->target, migrate_target, &fm };
	return fleet_run(ctx, f, &job);
}
