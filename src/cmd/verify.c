/*
 * autogenerate's proof that a revision runs, before the file is written.
 * In a copy of the schema at head in the scratch cluster (never in a
 * configured database) the revision's upgrade must succeed and leave
 * exactly the models — a second diff finds nothing — and its downgrade
 * must succeed and restore exactly the schema at head.  When that fails
 * the revision is c7gen's bug, reported as such, and nothing is written: a
 * broken revision never reaches the repository.
 *
 * The copy is the migrations replayed in the scratch cluster: with nothing
 * configured, the very database the plan was made against; for a
 * configured database, a fresh replay.  Only the tables the plan can
 * affect (diff_touched_tables) are read back and compared, so the proof
 * costs what the edit touches, not what the schema holds.
 *
 * A configured database may differ from what its migrations build (made
 * by hand, or never adopted): a revision made against it may then not
 * apply to a replay — nor to a new developer's or CI's database.  Such a
 * failure is reported as that difference, not as c7gen's bug.
 */
#include "cmd/verify.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "diff/diff.h"
#include "emit/describe.h"
#include "ir/ir.h"
#include "pg/conn.h"
#include "revs/plan.h"
#include "revs/runner.h"

#define MAX_LISTED 8

static const char bug[] = "c7gen generated a revision PostgreSQL rejects; this is a bug in c7gen";

struct verifier {
	struct cmd_ctx *ctx;
	struct db_session *copy;
	const struct verify_input *in;
	struct hmap keys;      /* ir_key -> "schema.name" of the tables compared */
	const char *const *names; /* the same names, for the catalog queries */
	size_t nnames;
	const struct ir_schema *models; /* the models, those tables only */
	const struct ir_schema *head;   /* the copy before the revision */
	const struct ir_schema *db;     /* the configured database, those tables */
};

/* Where the models involved are declared: the tables and enums the
 * revision changes, as notes pointing into the model files. */
static void note_models(struct cmd_ctx *ctx, struct diag *g, const struct change_list *cl)
{
	struct hmap seen;
	hmap_init(&seen, ctx->arena);
	size_t listed = 0, more = 0;
	for (size_t i = 0; i < cl->changes.len; i++) {
		const struct change *c = cl->changes.items[i];
		const struct ir_table *t = c->tafter ? c->tafter : c->tbefore;
		const char *kind = "table", *name = t ? t->name : NULL, *key = t ? t->key : NULL;
		struct span sp = t ? t->span : SPAN_NONE;
		if (!t && (c->kind == CHANGE_ENUM || c->kind == CHANGE_ENUM_LABELS)) {
			const struct ir_enum *e = c->after ? c->after : c->before;
			kind = "enum";
			name = e->name;
			key = e->key;
			sp = e->span;
		}
		if (!key || !sp.file || hmap_get(&seen, key))
			continue;
		hmap_put(&seen, key, (void *)key);
		if (listed++ < MAX_LISTED)
			diag_note(&ctx->diags, g, sp, "%s '%s' is declared here", kind, name);
		else
			more++;
	}
	if (more)
		diag_note(&ctx->diags, g, SPAN_NONE, "and %zu more", more);
}

/* One note per difference: "users.email: nullable in models, NOT NULL in
 * database". */
static void note_changes(struct cmd_ctx *ctx, struct diag *g, const struct change_list *cl)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < cl->changes.len && i < MAX_LISTED; i++) {
		strbuf_reset(&sb);
		describe_object(&sb, cl->changes.items[i]);
		strbuf_addstr(&sb, ": ");
		describe_difference(&sb, cl->changes.items[i]);
		diag_note(&ctx->diags, g, SPAN_NONE, "%s", strbuf_str(&sb));
	}
	if (cl->changes.len > MAX_LISTED)
		diag_note(&ctx->diags, g, SPAN_NONE, "and %zu more", cl->changes.len - MAX_LISTED);
	strbuf_release(&sb);
}

/* How the configured database differs from the replay of its migrations
 * in the tables compared ('models': the database); NULL when it does not,
 * or when the copy is the database the plan was made against. */
static const struct change_list *drift(struct verifier *v)
{
	if (!v->db)
		return NULL;
	struct change_list *cl = diff_schemas(v->ctx->arena, v->head, v->db);
	return cl->changes.len ? cl : NULL;
}

/* The headline and first note of a failed proof; the caller adds the
 * specifics, then calls fail(). */
static struct diag *failure(struct verifier *v, const char *what)
{
	const char *headline = drift(v)
		? "c7gen could not prove the new revision: the database differs from "
		  "the schema its migrations build"
		: bug;
	struct diag *g = diag_error(&v->ctx->diags, SPAN_NONE, "%s", headline);
	diag_note(&v->ctx->diags, g, SPAN_NONE, "%s", what);
	return g;
}

static int fail(struct verifier *v, struct diag *g)
{
	struct cmd_ctx *ctx = v->ctx;
	const struct change_list *d = drift(v);
	diag_note(&ctx->diags, g, SPAN_NONE, "no revision was written (it would have been %s)",
		  v->in->draft->path);
	if (d) {
		diag_note(&ctx->diags, g, SPAN_NONE, "where the database differs from its "
			  "migrations ('models': the database; 'database': the migrations):");
		note_changes(ctx, g, d);
		diag_hint(&ctx->diags, g, "a revision made against this database would not apply "
			  "to one built from the migrations; bring the two together first (for a "
			  "database never built by c7gen, see docs/adopting.md), or pass "
			  "'--no-verify' to write the revision unproven");
		cmd_report(ctx);
		return EXIT_FINDINGS;
	}
	note_models(ctx, g, v->in->cl);
	diag_hint(&ctx->diags, g, "please report it with the models involved; "
		  "'--no-verify' writes the revision anyway");
	cmd_report(ctx);
	return EXIT_USAGE;
}

static const struct ir_schema *read_copy(struct verifier *v, int *status)
{
	return read_tables(v->ctx, v->copy, v->in->models, v->names, v->nnames, status);
}

/* -1 when the section ran; otherwise the exit status, after reporting. */
static int run_section(struct verifier *v, struct revision *rev, bool up)
{
	struct cmd_ctx *ctx = v->ctx;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	FILE *quiet = fopen("/dev/null", "w");
	/* No lock timeout: nothing else uses the scratch database. */
	struct runner r = { .a = ctx->arena, .d = &ctx->diags, .c = v->copy->conn, .vt = &vt,
			    .out = quiet ? quiet : stderr };
	struct step step = { .rev = rev, .up = up };
	struct vec steps = { 0 };
	vec_push(ctx->arena, &steps, &step);
	struct pg_error err;
	enum run_result res = runner_run(&r, &steps, &err);
	if (quiet)
		fclose(quiet);
	if (res == RUN_OK)
		return -1;
	if (res == RUN_DB_FAILED) {
		report_db_error(ctx, "cannot run the revision in the scratch database", &err);
		return EXIT_DATABASE;
	}
	return fail(v, failure(v, up ? "its upgrade fails in a copy of the schema at head; "
					 "the statement and the server's message follow"
				     : "its downgrade fails in a copy of the schema at head; "
				       "the statement and the server's message follow"));
}

/* Lines of `a` missing from `b`, as notes: "- ..." / "+ ...". */
static void note_lines(struct cmd_ctx *ctx, struct diag *g, const char *a, const char *b,
		       char mark, size_t *listed)
{
	for (const char *p = a; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *line = arena_strndup(ctx->arena, p, n);
		const char *at = strstr(b, line);
		bool found = false;
		while (at && !found) {
			found = (at == b || at[-1] == '\n') && (at[n] == '\n' || !at[n]);
			at = found ? at : strstr(at + 1, line);
		}
		if (!found && (*listed)++ < MAX_LISTED)
			diag_note(&ctx->diags, g, SPAN_NONE, "%c %s", mark, line);
		p += n + (nl ? 1 : 0);
	}
}

static int check_reaches_models(struct verifier *v)
{
	int status = -1;
	const struct ir_schema *now = read_copy(v, &status);
	if (!now)
		return status;
	struct change_list *left = diff_schemas(v->ctx->arena, now, v->models);
	if (!left->changes.len)
		return -1;
	struct diag *g = failure(v, "after its upgrade, the database still differs from "
				    "the models:");
	note_changes(v->ctx, g, left);
	return fail(v, g);
}

static int check_restores_head(struct verifier *v)
{
	struct cmd_ctx *ctx = v->ctx;
	int status = -1;
	const struct ir_schema *now = read_copy(v, &status);
	if (!now)
		return status;
	struct change_list *left = diff_schemas(ctx->arena, now, v->head);
	struct strbuf was = STRBUF_INIT, is = STRBUF_INIT;
	ir_schema_dump(&was, v->head);
	ir_schema_dump(&is, now);
	bool same = !left->changes.len && strcmp(strbuf_str(&was), strbuf_str(&is)) == 0;
	int rc = -1;
	if (!same) {
		struct diag *g = failure(v, "its downgrade does not restore the schema at head "
					    "('models': at head; 'database': after the downgrade):");
		size_t listed = 0;
		if (left->changes.len) {
			note_changes(ctx, g, left);
		} else {
			note_lines(ctx, g, strbuf_str(&was), strbuf_str(&is), '-', &listed);
			note_lines(ctx, g, strbuf_str(&is), strbuf_str(&was), '+', &listed);
		}
		rc = fail(v, g);
	}
	strbuf_release(&was);
	strbuf_release(&is);
	return rc;
}

static void choose_tables(struct verifier *v)
{
	struct cmd_ctx *ctx = v->ctx;
	hmap_init(&v->keys, ctx->arena);
	diff_touched_tables(ctx->arena, v->in->cl, v->in->current, v->in->models, &v->keys);
	struct vec names = { 0 };
	for (size_t i = 0; i < v->in->current->tables.len; i++) {
		const struct ir_table *t = v->in->current->tables.items[i];
		const char *n = hmap_get(&v->keys, t->key);
		if (n)
			vec_push(ctx->arena, &names, (void *)n);
	}
	for (size_t i = 0; i < v->in->models->tables.len; i++) {
		const struct ir_table *t = v->in->models->tables.items[i];
		const char *n = hmap_get(&v->keys, t->key);
		if (n && !ir_table_find(v->in->current, t->schema, t->name))
			vec_push(ctx->arena, &names, (void *)n);
	}
	v->names = (const char *const *)names.items;
	v->nnames = names.len;
	/* An empty list would read every table. */
	if (!v->nnames) {
		static const char *const none[] = { "" };
		v->names = none;
		v->nnames = 1;
	}
	v->models = ir_schema_subset(ctx->arena, v->in->models, &v->keys);
}

int verify_revision(struct cmd_ctx *ctx, struct db_session *copy,
		    const struct verify_input *in)
{
	struct verifier v = { 0 };
	v.ctx = ctx;
	v.copy = copy;
	v.in = in;
	choose_tables(&v);
	int rc = -1;
	if (in->replayed) {
		v.db = ir_schema_subset(ctx->arena, in->current, &v.keys);
		if (!(v.head = read_copy(&v, &rc)))
			return rc;
	} else {
		v.head = ir_schema_subset(ctx->arena, in->current, &v.keys);
	}
	const struct revision_draft *d = in->draft;
	struct srcfile *f = srcfile_new(ctx->arena, d->path, d->text, d->len);
	struct revision *rev = revs_parse(ctx->arena, &ctx->diags, f);
	if (!rev)
		return fail(&v, failure(&v, "the revision it composed does not parse"));
	rc = run_section(&v, rev, true);
	if (rc < 0)
		rc = check_reaches_models(&v);
	if (rc < 0)
		rc = run_section(&v, rev, false);
	if (rc < 0)
		rc = check_restores_head(&v);
	timing_mark(ctx, "verify");
	return rc;
}
