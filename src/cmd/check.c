/*
 * c7gen check: the CI gate.  Every finding is named and reported; the exit
 * status is 1 if there is any.
 *
 * With no database configured the migrations are replayed into a fresh
 * scratch database (with --roundtrip: upgrade, downgrade, upgrade for each
 * revision, comparing catalogs) and the result compared with the models.
 * The dev database, when there is one, must match what its applied
 * revisions build, and a squash revision what the revisions it replaces
 * build.  Against a configured database nothing is changed: it must be at head,
 * no applied file may be edited or missing, and it must match the models.
 */
#include <string.h>

#include "base/arena.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "cmd/lint.h"
#include "cmd/fleet.h"
#include "cmd/revisions.h"
#include "diff/diff.h"
#include "emit/describe.h"
#include "emit/emit.h"
#include "ir/ir.h"
#include "lint/lint.h"
#include "ir/sqlname.h"
#include "pg/cluster.h"
#include "pg/conn.h"
#include "pg/introspect.h"
#include "revs/runner.h"

struct finding {
	const char *object;
	const char *message;
};

struct checker {
	struct cmd_ctx *ctx;
	struct vec findings;
	const char *sql; /* what autogenerate would write */
	bool json;
};

static void add(struct checker *ck, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(struct checker *ck, const char *object, const char *fmt, ...)
{
	struct finding *f = arena_alloc(ck->ctx->arena, sizeof(*f));
	f->object = object;
	va_list ap;
	va_start(ap, fmt);
	f->message = arena_vprintf(ck->ctx->arena, fmt, ap);
	va_end(ap);
	vec_push(ck->ctx->arena, &ck->findings, f);
}

/* Diagnostics (revision and model errors) become findings too. */
static void take_diagnostics(struct checker *ck)
{
	struct diags *d = &ck->ctx->diags;
	for (size_t i = 0; i < d->list.len; i++) {
		struct diag *g = d->list.items[i];
		if (g->severity != DIAG_ERROR)
			continue;
		const char *where = "migrations";
		if (g->span.file) {
			size_t line, col;
			srcfile_linecol(g->span.file, g->span.start, &line, &col);
			where = arena_printf(ck->ctx->arena, "%s:%zu", g->span.file->path, line);
		}
		add(ck, where, "%s", g->msg);
	}
}

/* Lint's errors on the revisions check looks at are findings of check:
 * those a deploy would run (all of them without a configured database).
 * Warnings are left to c7gen lint.  Returns -1 or an exit status. */
static int lint_findings(struct checker *ck, const struct revision_set *set)
{
	struct cmd_ctx *ctx = ck->ctx;
	struct vec revs = { 0 }, findings = { 0 };
	int rc = lint_default_revisions(ctx, set, &revs);
	if (rc >= 0)
		return rc;
	if ((rc = lint_revisions(ctx, &revs, &findings)) >= 0)
		return rc;
	for (size_t i = 0; i < findings.len; i++) {
		const struct lint_finding *f = findings.items[i];
		if (f->level != LINT_ERROR)
			continue;
		size_t line, col;
		srcfile_linecol(f->span.file, f->span.start, &line, &col);
		add(ck, arena_printf(ctx->arena, "%s:%zu", f->span.file->path, line), "%s [%s]",
		    f->message, f->rule);
	}
	return -1;
}

static bool is_part_of_table_change(const struct change *c)
{
	return c->kind != CHANGE_TABLE && (c->tbefore || c->tafter) &&
	       (!c->tbefore != !c->tafter);
}

static void differences(struct checker *ck, const struct change_list *cl)
{
	struct strbuf obj = STRBUF_INIT, msg = STRBUF_INIT;
	for (size_t i = 0; i < cl->changes.len; i++) {
		const struct change *c = cl->changes.items[i];
		/* What the upgrade does not run is no difference of its own. */
		if (is_part_of_table_change(c) || c->implied_up)
			continue;
		describe_object(&obj, c);
		describe_difference(&msg, c);
		add(ck, strbuf_to_arena(&obj, ck->ctx->arena), "%s", strbuf_str(&msg));
		strbuf_reset(&msg);
	}
	strbuf_release(&obj);
	strbuf_release(&msg);
	if (cl->changes.len) {
		struct strbuf sql = STRBUF_INIT;
		emit_sql(&sql, cl, EMIT_UP);
		ck->sql = strbuf_to_arena(&sql, ck->ctx->arena);
		strbuf_release(&sql);
	}
}

static const char *dump_db(struct checker *ck, struct db_session *db)
{
	struct introspect_opts opts = { 0 };
	struct pg_error err;
	if (!pg_user_schemas(db->conn, ck->ctx->arena, (const char ***)&opts.schemas,
			     &opts.nschemas, &err))
		return NULL;
	own_tables(ck->ctx, (const char ***)&opts.exclude, &opts.nexclude);
	struct ir_schema *s = pg_introspect(db->conn, ck->ctx->arena, &opts, &err);
	if (!s)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	ir_schema_dump(&sb, s);
	const char *out = strbuf_to_arena(&sb, ck->ctx->arena);
	strbuf_release(&sb);
	return out;
}

/* The first line where two dumps differ, for the finding's text. */
static const char *first_difference(struct arena *a, const char *want,
				    const char *got)
{
	while (*want && *got) {
		size_t lw = strcspn(want, "\n"), lg = strcspn(got, "\n");
		if (lw != lg || memcmp(want, got, lw) != 0)
			return arena_printf(a, "expected '%.*s', found '%.*s'", (int)lw, want,
					    (int)lg, got);
		want += lw + (want[lw] == '\n');
		got += lg + (got[lg] == '\n');
	}
	if (*want)
		return arena_printf(a, "missing '%.*s'", (int)strcspn(want, "\n"), want);
	return arena_printf(a, "unexpected '%.*s'", (int)strcspn(got, "\n"), got);
}

static bool run_one(struct checker *ck, struct db_session *db,
		    const struct version_tables *vt, struct revision *rev, bool up,
		    FILE *quiet)
{
	struct step s = { .rev = rev, .up = up };
	struct vec steps = { 0 };
	vec_push(ck->ctx->arena, &steps, &s);
	struct runner r = { .a = ck->ctx->arena, .d = &ck->ctx->diags, .c = db->conn,
			    .vt = vt, .out = quiet };
	struct pg_error err;
	enum run_result res = runner_run(&r, &steps, &err);
	if (res == RUN_OK)
		return true;
	if (res == RUN_DB_FAILED)
		add(ck, rev->path, "%s fails: %s", up ? "upgrade" : "downgrade", err.message);
	else
		add(ck, rev->path, "%s fails (see the error above)", up ? "upgrade" : "downgrade");
	cmd_report(ck->ctx);
	return false;
}

/* Upgrade, downgrade, upgrade each revision; every downgrade must give
 * back the catalog before it, every re-upgrade the one after it. */
static bool roundtrip(struct checker *ck, struct db_session *db,
		      const struct revision_set *set)
{
	struct version_tables vt;
	version_tables_of(ck->ctx, &vt);
	struct pg_error err;
	if (!pg_versions_create(db->conn, &vt, &err))
		return false;
	FILE *quiet = fopen("/dev/null", "w");
	bool ok = true;
	for (size_t i = 0; i < set->revs.len && ok; i++) {
		struct revision *rev = set->revs.items[i];
		const char *before = dump_db(ck, db);
		ok = before && run_one(ck, db, &vt, rev, true, quiet);
		const char *after = ok ? dump_db(ck, db) : NULL;
		ok = ok && after && run_one(ck, db, &vt, rev, false, quiet);
		const char *back = ok ? dump_db(ck, db) : NULL;
		if (ok && back && strcmp(before, back) != 0) {
			add(ck, rev->path, "downgrade does not restore the schema before it: %s",
			    first_difference(ck->ctx->arena, before, back));
			ok = false;
		}
		ok = ok && run_one(ck, db, &vt, rev, true, quiet);
		const char *again = ok ? dump_db(ck, db) : NULL;
		if (ok && again && strcmp(after, again) != 0) {
			add(ck, rev->path, "upgrading again after the downgrade gives another schema: %s",
			    first_difference(ck->ctx->arena, after, again));
			ok = false;
		}
	}
	if (quiet)
		fclose(quiet);
	return ok;
}

/* Applies `revs` (struct revision, parents first) to the empty database
 * `c`. */
static bool apply_revisions(struct checker *ck, struct pg_conn *c, const struct vec *revs)
{
	struct version_tables vt;
	version_tables_of(ck->ctx, &vt);
	struct pg_error err;
	if (!pg_versions_create(c, &vt, &err))
		return false;
	struct vec steps = { 0 };
	for (size_t k = 0; k < revs->len; k++) {
		struct step *s = arena_alloc(ck->ctx->arena, sizeof(*s));
		s->rev = revs->items[k];
		s->up = true;
		vec_push(ck->ctx->arena, &steps, s);
	}
	FILE *quiet = fopen("/dev/null", "w");
	struct runner r = { .a = ck->ctx->arena, .d = &ck->ctx->diags, .c = c, .vt = &vt,
			    .out = quiet ? quiet : stderr };
	enum run_result res = runner_run(&r, &steps, &err);
	if (quiet)
		fclose(quiet);
	return res == RUN_OK;
}

/* The schema `revs` build, in a second scratch database made for the
 * purpose; NULL if they fail (reported). */
static const char *dump_after(struct checker *ck, struct db_session *db, const char *suffix,
			      const struct vec *revs)
{
	const char *name = arena_printf(ck->ctx->arena, "%s_%s", db->dbname, suffix);
	struct pg_error err;
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "CREATE DATABASE ");
	sql_add_ident(&sql, name);
	strbuf_addstr(&sql, " TEMPLATE template0 ENCODING 'UTF8'");
	bool made = pg_exec(db->conn, strbuf_str(&sql), &err);
	const char *dump = NULL;
	struct db_session ref = { .arena = ck->ctx->arena };
	ref.conn = made ? pg_connect(ck->ctx->arena, scratch_conninfo(db->scratch, name), &err)
			: NULL;
	if (ref.conn && apply_revisions(ck, ref.conn, revs))
		dump = dump_db(ck, &ref);
	cmd_report(ck->ctx);
	pg_close(ref.conn);
	strbuf_reset(&sql);
	strbuf_addstr(&sql, "DROP DATABASE IF EXISTS ");
	sql_add_ident(&sql, name);
	strbuf_addstr(&sql, " WITH (FORCE)");
	if (made)
		pg_exec(db->conn, strbuf_str(&sql), &err);
	strbuf_release(&sql);
	return dump;
}

/* The schema the dev database's applied revisions build: the scratch
 * database's own when they are all of them, else a second scratch
 * database's, built for the purpose. */
static const char *expected_dev_schema(struct checker *ck, struct db_session *db,
				       const struct revision_set *set,
				       const struct db_state *dev)
{
	if (at_head(ck->ctx, set, dev))
		return dump_db(ck, db);
	struct vec revs = { 0 };
	for (size_t k = 0; k < set->revs.len; k++)
		if (dev->st.applied[k])
			vec_push(ck->ctx->arena, &revs, set->revs.items[k]);
	return dump_after(ck, db, "dev", &revs);
}

/* A squash revision whose replaced files are still there must build
 * exactly the schema they build, before they can be deleted. */
static void prove_squashes(struct checker *ck, struct db_session *db,
			   const struct revision_set *set)
{
	for (size_t i = 0; i < set->dormant.len; i++) {
		struct revision *sq = set->dormant.items[i];
		struct revision *to = revs_find(set, sq->replaces[sq->nreplaces - 1]);
		bool *in = arena_array(ck->ctx->arena, set->revs.len + 1, sizeof(bool));
		revs_mark_ancestors(set, &to, 1, in);
		struct vec chain = { 0 }, alone = { 0 };
		for (size_t k = 0; k < set->revs.len; k++)
			if (in[k])
				vec_push(ck->ctx->arena, &chain, set->revs.items[k]);
		vec_push(ck->ctx->arena, &alone, sq);
		const char *want = dump_after(ck, db, "chain", &chain);
		const char *got = want ? dump_after(ck, db, "squash", &alone) : NULL;
		if (!got)
			add(ck, sq->path, "the squash or the chain it replaces does not apply to "
					  "an empty database");
		else if (strcmp(want, got) != 0)
			add(ck, sq->path, "the squash does not build the schema of the %zu revisions "
					  "it replaces: %s", sq->nreplaces,
			    first_difference(ck->ctx->arena, want, got));
	}
}

/* With no database configured, the dev database (when there is one) must
 * hold exactly what its applied revisions build: a change made by hand,
 * or an applied revision edited since, is drift. */
static void dev_drift(struct checker *ck, struct db_session *db,
		      const struct revision_set *set)
{
	struct pg_error err;
	const char *param[] = { DEV_DATABASE };
	struct pg_result *r = pg_query(db->conn,
		"SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", 1, param, &err);
	bool exists = r && pg_nrows(r) == 1;
	pg_result_free(r);
	if (!exists)
		return;
	struct db_session dev = { .arena = ck->ctx->arena };
	dev.conn = pg_connect(ck->ctx->arena, scratch_conninfo(db->scratch, DEV_DATABASE), &err);
	struct version_tables vt;
	version_tables_of(ck->ctx, &vt);
	struct db_state state;
	if (!dev.conn || read_db_state(ck->ctx, &dev, set, &vt, &state) >= 0) {
		pg_close(dev.conn);
		return;
	}
	const char *fix = "'c7gen dev reset' re-creates it";
	for (size_t i = 0; i < state.edited.len; i++) {
		const struct revision *e = state.edited.items[i];
		add(ck, "dev database", "revision %s was edited after it was applied; %s",
		    e->id, fix);
	}
	const char *got = dump_db(ck, &dev);
	pg_close(dev.conn);
	if (state.edited.len || state.st.missing.len || !got)
		return;
	const char *want = expected_dev_schema(ck, db, set, &state);
	if (want && strcmp(want, got) != 0)
		add(ck, "dev database", "drifted from its applied revisions: %s; %s",
		    first_difference(ck->ctx->arena, want, got), fix);
}

static void scratch_checks(struct checker *ck, struct db_session *db,
			   const struct revision_set *set, bool round,
			   struct ir_schema *models, int *status)
{
	if (round) {
		if (!roundtrip(ck, db, set))
			return;
	} else if (replay(ck->ctx, db, set) >= 0) {
		add(ck, ck->ctx->cfg.migrations, "the migrations do not apply to an empty database");
		return;
	}
	struct change_list *cl = plan_against(ck->ctx, db, models, NULL, status);
	if (cl)
		differences(ck, cl);
	dev_drift(ck, db, set);
	prove_squashes(ck, db, set);
}

/* `state` gets the database's applied revisions (NULL: not wanted);
 * with `models` NULL the schema is not compared. */
static void live_checks(struct checker *ck, struct db_session *db,
			const struct revision_set *set, const struct version_tables *vt,
			struct ir_schema *models, struct db_state *state_out, int *status)
{
	struct db_state state;
	int rc = read_db_state(ck->ctx, db, set, vt, &state);
	if (rc >= 0) {
		*status = rc;
		return;
	}
	if (state_out)
		*state_out = state;
	for (size_t i = 0; i < state.edited.len; i++) {
		const struct revision *r = state.edited.items[i];
		add(ck, r->path, "revision %s was edited after it was applied (checksum differs)",
		    r->id);
	}
	for (size_t i = 0; i < state.st.missing.len; i++)
		add(ck, (const char *)state.st.missing.items[i],
		    "applied to the database, but no revision file has this id");
	for (size_t i = 0; i < set->revs.len; i++) {
		const struct revision *r = set->revs.items[i];
		if (state.st.partial[i])
			add(ck, r->path, "revision %s is applied part way: %s", r->id,
			    describe_partial(ck->ctx, r, state.st.partial[i]));
	}
	if (!at_head(ck->ctx, set, &state))
		add(ck, "database", "not at the head of %s; run 'c7gen upgrade'",
		    ck->ctx->cfg.migrations);
	if (!models)
		return;
	struct change_list *cl = plan_against(ck->ctx, db, models, NULL, status);
	if (cl)
		differences(ck, cl);
}

/* {"ok": ..., "findings": [{"object": ..., "message": ...}], "sql": ...},
 * keys in this order. */
static void print_json(const struct checker *ck)
{
	json_t *root = json_obj_new();
	json_obj_put(root, "ok", json_boolean(ck->findings.len == 0));
	json_t *list = json_arr_new();
	for (size_t i = 0; i < ck->findings.len; i++) {
		const struct finding *f = ck->findings.items[i];
		json_t *o = json_obj_new();
		json_obj_put(o, "object", json_str_new(f->object));
		json_obj_put(o, "message", json_str_new(f->message));
		json_arr_put(list, o);
	}
	json_obj_put(root, "findings", list);
	json_obj_put(root, "sql", json_str_new(ck->sql));
	struct strbuf sb = STRBUF_INIT;
	json_to_strbuf(&sb, root, JSON_INDENT(2));
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	json_decref(root);
}

static void print_findings(struct checker *ck, const struct revision_set *set)
{
	if (ck->json) {
		print_json(ck);
		return;
	}
	for (size_t i = 0; i < ck->findings.len; i++) {
		const struct finding *f = ck->findings.items[i];
		printf("%s: %s\n", f->object, f->message);
	}
	if (ck->sql)
		printf("\nautogenerate would write:\n\n%s", ck->sql);
	if (!ck->findings.len)
		printf("check passed: %zu revision%s, one head, models and database agree\n",
		       set ? set->revs.len : 0, set && set->revs.len == 1 ? "" : "s");
	else
		printf("check failed: %zu finding%s\n", ck->findings.len,
		       ck->findings.len == 1 ? "" : "s");
}

struct fleet_check {
	const struct revision_set *set;
	struct ir_schema *models;
	bool json;
};

/* One target of `check --targets`: the single-target report in its
 * output, and its standing in the fleet: unreachable, diverged, part way,
 * behind by N, drifted (the schema differs from the models), at head. */
static void check_target(struct cmd_ctx *ctx, struct db_session *db,
			 const struct version_tables *vt, void *arg,
			 struct fleet_outcome *out)
{
	const struct fleet_check *fc = arg;
	struct checker ck = { .ctx = ctx, .json = fc->json };
	/* The models name no tenant schema: comparing them with one is not
	 * done yet (docs/fleet.md). */
	struct version_tables own;
	version_tables_of(ctx, &own);
	bool tenant = strcmp(own.schema, vt->schema) != 0;
	struct db_state state;
	int status = EXIT_OK;
	live_checks(&ck, db, fc->set, vt, tenant ? NULL : fc->models, &state, &status);
	if (status != EXIT_OK) {
		cmd_report(ctx);
		return;
	}
	if (tenant)
		printf("note: schema %s is not compared with the models\n", vt->schema);
	print_findings(&ck, fc->set);
	out->from = out->to = fleet_heads(ctx, &state);
	bool good;
	out->result = fleet_standing(ctx, &state, &good);
	if (good && ck.findings.len) {
		good = false;
		out->result = "drifted";
	}
	out->cls = good ? FLEET_GOOD : FLEET_FAILED;
}

static int check_fleet(struct cmd_ctx *ctx, const struct fleet_flags *ff, bool json)
{
	struct ir_schema *models = load_models(ctx);
	if (!models)
		return EXIT_USAGE;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	if (set.heads.len > 1) {
		revs_single_head(ctx->arena, &ctx->diags, &set);
		cmd_report(ctx);
		return EXIT_FINDINGS;
	}
	struct fleet_check fc = { &set, models, json };
	struct fleet_job job = { "check", NULL, check_target, &fc };
	return fleet_run(ctx, ff, &job);
}

int cmd_check(struct cmd_ctx *ctx)
{
	bool round = false;
	struct fleet_flags ff = { 0 };
	const struct opt opts[] = {
		{ "roundtrip", 0, false, NULL, &round },
		FLEET_OPTS(ff),
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	const char *format = ff.format;
	if (npos || (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cmd_error(ctx, "usage: c7gen check [--roundtrip] [--format text|json] [--targets ...]");
		return EXIT_USAGE;
	}
	if (fleet_wanted(&ff)) {
		if (round) {
			cmd_error(ctx, "check --roundtrip runs in the scratch database only; "
				       "it does not take --targets");
			return EXIT_USAGE;
		}
		return check_fleet(ctx, &ff, false);
	}
	if (round && ctx->cfg.url) {
		cmd_error(ctx, "check --roundtrip runs in the scratch database only; "
			       "it would change a configured one");
		return EXIT_USAGE;
	}
	struct checker ck = { 0 };
	ck.ctx = ctx;
	ck.json = format && strcmp(format, "json") == 0;

	struct ir_schema *models = load_models(ctx);
	if (!models)
		return EXIT_USAGE;
	struct revision_set set;
	bool revs_ok = revs_load(ctx->arena, &ctx->diags, ctx->cfg.migrations, &set);
	take_diagnostics(&ck);
	cmd_report(ctx);
	if (revs_ok && set.heads.len > 1) {
		revs_single_head(ctx->arena, &ctx->diags, &set);
		take_diagnostics(&ck);
		cmd_report(ctx);
	}
	int status = EXIT_OK;
	if (revs_ok && (rc = lint_findings(&ck, &set)) >= 0)
		return rc;
	if (revs_ok && set.heads.len <= 1) {
		struct version_tables vt;
		version_tables_of(ctx, &vt);
		struct db_session db;
		rc = db_open(ctx, &db);
		if (rc >= 0)
			return rc;
		if (db.scratch)
			scratch_checks(&ck, &db, &set, round, models, &status);
		else
			live_checks(&ck, &db, &set, &vt, models, NULL, &status);
		db_close(&db);
	}
	if (status != EXIT_OK)
		return status;
	print_findings(&ck, revs_ok ? &set : NULL);
	return cmd_finish(ctx, ck.findings.len ? EXIT_FINDINGS : EXIT_OK);
}
