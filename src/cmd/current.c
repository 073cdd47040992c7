/* c7gen current: the applied heads, and applied files that changed. */
#include "base/arena.h"
#include "cmd/revisions.h"
#include "pg/conn.h"

int cmd_current(struct cmd_ctx *ctx)
{
	bool verbose = false;
	const struct opt opts[] = {
		{ "verbose", 'v', false, NULL, &verbose },
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
	struct db_session db;
	rc = db_open(ctx, &db);
	if (rc >= 0)
		return rc;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	rc = read_db_state(ctx, &db, &set, &vt, &state);
	db_close(&db);
	if (rc >= 0)
		return rc;
	struct vec heads = { 0 };
	revs_applied_heads(ctx->arena, &state.st, &heads);
	if (!heads.len && !state.st.missing.len)
		printf("No revisions applied.\n");
	for (size_t i = 0; i < heads.len; i++) {
		const struct revision *r = heads.items[i];
		bool is_head = !r->children.len;
		printf("%s%s  %s\n", r->id, is_head ? " (head)" : "", r->message);
		if (verbose)
			printf("    file: %s\n", r->path);
	}
	size_t drift = report_drift(ctx, &state, false);
	return cmd_finish(ctx, drift ? EXIT_FINDINGS : EXIT_OK);
}
