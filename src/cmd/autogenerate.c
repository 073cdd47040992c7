/* c7gen autogenerate -m MSG: diff the models against the database at head,
 * prove the revision runs up and down, and write it. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "cmd/verify.h"
#include "diff/diff.h"
#include "emit/emit.h"
#include "ir/ir.h"

/*
 * C7GEN_TEST_BREAK_PLAN breaks the rendered revision on purpose, so the
 * tests can show that verification catches a bad plan and writes nothing:
 *   upgrade    the upgrade ends with a statement the server rejects;
 *   residue    the upgrade's last statement is left out;
 *   downgrade  the downgrade's last statement is left out.
 */
static const char *without_last_statement(struct arena *a, const char *sql)
{
	size_t n = strlen(sql);
	while (n && sql[n - 1] == '\n')
		n--;
	const char *p = sql + n;
	while (p > sql && !(p[-1] == '\n' && p - 1 > sql && p[-2] == '\n'))
		p--;
	return arena_strndup(a, sql, (size_t)(p - sql));
}

static void break_plan(struct cmd_ctx *ctx, struct revision_spec *spec)
{
	const char *how = getenv("C7GEN_TEST_BREAK_PLAN");
	if (!how)
		return;
	if (strcmp(how, "upgrade") == 0)
		spec->upgrade = arena_printf(ctx->arena, "%s\nSELECT 1 / 0;\n", spec->upgrade);
	else if (strcmp(how, "residue") == 0)
		spec->upgrade = without_last_statement(ctx->arena, spec->upgrade);
	else if (strcmp(how, "downgrade") == 0)
		spec->downgrade = without_last_statement(ctx->arena, spec->downgrade);
}

struct plan_result {
	struct change_list *cl;
	const struct ir_schema *head;
};

/* The changes from the database at head to the models; rc -1 on success. */
static int plan(struct cmd_ctx *ctx, struct db_session *db, const struct revision_set *set,
		struct ir_schema *want, struct plan_result *out)
{
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	int rc = read_db_state(ctx, db, set, &vt, &state);
	if (rc < 0 && !at_head(ctx, set, &state)) {
		cmd_error(ctx, "the database is not at the head of %s; run 'c7gen upgrade' "
			       "first so the new revision builds on all the others",
			  ctx->cfg.migrations);
		rc = EXIT_FINDINGS;
	}
	if (rc < 0)
		out->cl = plan_against(ctx, db, want, &out->head, &rc);
	return rc;
}

/* The revision is proven in the scratch cluster: in the very database the
 * plan was made against when that is the scratch one, otherwise in a
 * fresh replay of the migrations, so a configured database is never
 * touched. */
static int prove(struct cmd_ctx *ctx, struct db_session *db, const struct revision_set *set,
		 struct verify_input *in)
{
	if (db->scratch)
		return verify_revision(ctx, db, in);
	in->replayed = true;
	struct db_session copy;
	int rc = db_open_scratch(ctx, &copy, "checking the new revision before writing it");
	if (rc >= 0)
		return rc;
	rc = replay(ctx, &copy, set);
	if (rc < 0)
		rc = verify_revision(ctx, &copy, in);
	db_close(&copy);
	return rc;
}

static size_t count_lines(const char *text, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);
	for (const char *p = text; p; p = strchr(p, '\n')) {
		p += *p == '\n';
		n += strncmp(p, prefix, len) == 0;
	}
	return n;
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "c7gen: upgrade: 7 steps, 2 concurrent index builds, 2 validations, no
 * LOCK hazard, 1 warning": what a reviewer looks at first.  On stderr
 * with c7gen's other remarks; stdout keeps the one "Wrote" line. */
static void print_summary(const struct emit_summary *s, const char *up)
{
	size_t warnings = count_lines(up, "-- WARNING:");
	struct strbuf sb = STRBUF_INIT;
	if (s->steps)
		strbuf_addf(&sb, "%zu %s, ", s->steps, plural(s->steps, "step", "steps"));
	else
		strbuf_addstr(&sb, "one transaction, ");
	strbuf_addf(&sb, "%zu concurrent index %s, %zu %s, ", s->concurrent,
		    plural(s->concurrent, "build", "builds"), s->validates,
		    plural(s->validates, "validation", "validations"));
	if (s->locks)
		strbuf_addf(&sb, "%zu LOCK %s, ", s->locks, plural(s->locks, "hazard", "hazards"));
	else
		strbuf_addstr(&sb, "no LOCK hazard, ");
	if (warnings)
		strbuf_addf(&sb, "%zu %s", warnings, plural(warnings, "warning", "warnings"));
	else
		strbuf_addstr(&sb, "no warning");
	fflush(stdout);
	fprintf(stderr, "c7gen: upgrade: %s\n", strbuf_str(&sb));
	strbuf_release(&sb);
}

int autogenerate(struct cmd_ctx *ctx, const char *message, bool verify, bool atomic)
{
	int online = atomic ? 0 : config_online(ctx);
	if (online < 0)
		return EXIT_USAGE;
	struct ir_schema *want = load_models(ctx);
	if (!want)
		return EXIT_USAGE;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct revision_spec spec = { 0 };
	spec.message = message;
	if (!parent_of_new(ctx, &set, &spec))
		return EXIT_USAGE;

	struct db_session db;
	int rc = db_open_at_head(ctx, &db, &set);
	if (rc >= 0)
		return rc;
	struct plan_result p = { 0 };
	rc = plan(ctx, &db, &set, want, &p);
	if (rc >= 0 || !p.cl->changes.len) {
		db_close(&db);
		if (rc >= 0)
			return rc;
		printf("No changes detected.\n");
		return cmd_finish(ctx, EXIT_OK);
	}
	struct strbuf up = STRBUF_INIT, down = STRBUF_INIT;
	struct emit_summary sum;
	emit_plan(&up, p.cl, EMIT_UP, online, &sum);
	emit_plan(&down, p.cl, EMIT_DOWN, online, NULL);
	spec.upgrade = strbuf_to_arena(&up, ctx->arena);
	spec.downgrade = strbuf_to_arena(&down, ctx->arena);
	strbuf_release(&up);
	strbuf_release(&down);
	break_plan(ctx, &spec);

	struct revision_draft d;
	int err = revs_draft(ctx->arena, ctx->cfg.migrations, &spec, &d);
	if (err) {
		db_close(&db);
		cmd_error(ctx, "cannot compose a revision: %s", strerror(err));
		return EXIT_USAGE;
	}
	if (verify) {
		struct verify_input in = { &d, want, p.head, p.cl, false };
		bool scratch = db.scratch != NULL;
		if (!scratch)
			db_close(&db); /* done with the configured database */
		rc = prove(ctx, &db, &set, &in);
		if (scratch)
			db_close(&db);
		if (rc >= 0)
			return rc;
	} else {
		db_close(&db);
	}
	rc = write_draft(ctx, &d);
	if (rc == EXIT_OK)
		print_summary(&sum, spec.upgrade);
	return rc;
}

int cmd_autogenerate(struct cmd_ctx *ctx)
{
	const char *message = NULL;
	bool no_verify = false, atomic = false;
	const struct opt opts[] = {
		{ "message", 'm', true, &message, NULL },
		{ "no-verify", 0, false, NULL, &no_verify },
		{ "atomic", 0, false, NULL, &atomic },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!message || npos) {
		cmd_error(ctx, "usage: c7gen autogenerate -m MESSAGE [--atomic] [--no-verify]");
		return EXIT_USAGE;
	}
	return autogenerate(ctx, message, !no_verify, atomic);
}
