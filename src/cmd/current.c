/* c7gen current: the applied heads, revisions applied part way, and
 * applied files that changed. */
#include "base/arena.h"
#include "cmd/fleet.h"
#include "cmd/revisions.h"
#include "pg/conn.h"

/* Prints where the database stands; returns the exit status. */
static int show(struct cmd_ctx *ctx, const struct revision_set *set,
		const struct db_state *state, bool verbose)
{
	struct vec heads = { 0 };
	revs_applied_heads(ctx->arena, &state->st, &heads);
	if (!heads.len && !state->st.missing.len)
		printf("No revisions applied.\n");
	for (size_t i = 0; i < heads.len; i++) {
		const struct revision *r = heads.items[i];
		bool is_head = !r->children.len;
		const struct rev_progress *p = state->st.partial[r->order];
		printf("%s%s  %s%s\n", r->id, is_head ? " (head)" : "", r->message,
		       p ? "  (applied part way)" : "");
		if (p)
			printf("    %s\n", describe_partial(ctx, r, p));
		if (verbose)
			printf("    file: %s\n", r->path);
	}
	/* A revision applied part way below another one: only a hand-edited
	 * version table gets there, but it must not go unseen. */
	size_t partial = 0;
	for (size_t i = 0; i < set->revs.len; i++) {
		const struct revision *r = set->revs.items[i];
		const struct rev_progress *p = state->st.partial[i];
		if (!p)
			continue;
		partial++;
		bool listed = false;
		for (size_t k = 0; k < heads.len; k++)
			listed = listed || heads.items[k] == r;
		if (!listed)
			printf("%s  %s  (applied part way)\n    %s\n", r->id, r->message,
			       describe_partial(ctx, r, p));
	}
	size_t drift = report_drift(ctx, state, false);
	return drift || partial ? EXIT_FINDINGS : EXIT_OK;
}

struct fleet_current {
	const struct revision_set *set;
	bool verbose;
};

/* In a fleet, being behind the head is a finding too: the report is
 * about whether every target is at head. */
static void current_target(struct cmd_ctx *ctx, struct db_session *db,
			   const struct version_tables *vt, void *arg,
			   struct fleet_outcome *out)
{
	const struct fleet_current *fc = arg;
	struct db_state state;
	if (read_db_state(ctx, db, fc->set, vt, &state) >= 0)
		return;
	show(ctx, fc->set, &state, fc->verbose);
	out->from = out->to = fleet_heads(ctx, &state);
	bool good;
	out->result = fleet_standing(ctx, &state, &good);
	out->cls = good ? FLEET_GOOD : FLEET_FAILED;
}

int cmd_current(struct cmd_ctx *ctx)
{
	bool verbose = false;
	struct fleet_flags ff = { 0 };
	const struct opt opts[] = {
		{ "verbose", 'v', false, NULL, &verbose },
		FLEET_OPTS(ff),
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	if (fleet_wanted(&ff) || ff.format) {
		struct fleet_current fc = { &set, verbose };
		struct fleet_job job = { "current", NULL, current_target, &fc };
		return fleet_run(ctx, &ff, &job);
	}
	struct db_session db;
	rc = db_open_dev(ctx, &db);
	if (rc >= 0)
		return rc;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	rc = read_db_state(ctx, &db, &set, &vt, &state);
	db_close(&db);
	if (rc >= 0)
		return rc;
	return cmd_finish(ctx, show(ctx, &set, &state, verbose));
}
