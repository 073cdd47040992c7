/* c7gen history, heads, branches, show: reading the revision graph. */
#include <string.h>

#include "base/arena.h"
#include "cmd/revisions.h"
#include "pg/conn.h"

static int parse_no_args(struct cmd_ctx *ctx, const struct opt *opts,
			 const char ***pos, int *npos, int max)
{
	int rc = cmd_parse(ctx, opts, pos, npos);
	if (rc >= 0)
		return rc;
	if (*npos > max) {
		cmd_error(ctx, "%s: unexpected argument '%s'", ctx->argv[0], (*pos)[max]);
		return EXIT_USAGE;
	}
	return -1;
}

static void print_rev(const struct revision *r, bool verbose, const bool *applied)
{
	printf("%s", r->id);
	if (!r->children.len)
		printf(" (head)");
	if (applied && applied[r->order])
		printf(" (applied)");
	if (r->nparents > 1) {
		printf(" merge of");
		for (size_t i = 0; i < r->nparents; i++)
			printf(" %s", r->parents[i]);
	} else if (r->nparents == 1) {
		printf(" <- %s", r->parents[0]);
	} else {
		printf(" <- (base)");
	}
	printf("  %s\n", r->message);
	if (verbose) {
		printf("    file:     %s\n", r->path);
		printf("    created:  %s\n", r->created ? r->created : "");
		printf("    sha256:   %s\n", r->checksum);
		if (r->no_transaction)
			printf("    runs outside a transaction\n");
	}
}

/* What the configured database, or the dev database, has applied; NULL
 * (after reporting) when it cannot be read. */
static const struct revs_state *applied_state(struct cmd_ctx *ctx,
					      const struct revision_set *set)
{
	struct db_session db;
	if (db_open_dev(ctx, &db) >= 0)
		return NULL;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state *state = arena_alloc(ctx->arena, sizeof(*state));
	int rc = read_db_state(ctx, &db, set, &vt, state);
	db_close(&db);
	return rc >= 0 ? NULL : &state->st;
}

/* With a configured database, or with -i, mark what is applied; history
 * works without a database.  -i with none configured reads the dev
 * database. */
static bool *applied_marks(struct cmd_ctx *ctx, const struct revision_set *set,
			   bool indicate)
{
	if (!ctx->cfg.url && !indicate)
		return NULL;
	const struct revs_state *st = applied_state(ctx, set);
	return st ? st->applied : NULL;
}

int cmd_history(struct cmd_ctx *ctx)
{
	bool verbose = false, indicate = false;
	const char *range = NULL;
	const struct opt opts[] = {
		{ "verbose", 'v', false, NULL, &verbose },
		{ "indicate-current", 'i', false, NULL, &indicate },
		{ "rev-range", 'r', true, &range, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = parse_no_args(ctx, opts, &pos, &npos, 0);
	if (rc >= 0)
		return rc;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	size_t n = set.revs.len;
	bool *in = arena_array(ctx->arena, n + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		in[i] = true;
	if (range) {
		/* FROM:TO: descendants of FROM that are ancestors of TO. */
		const char *colon = strchr(range, ':');
		const char *from = colon ? arena_strndup(ctx->arena, range, (size_t)(colon - range)) : range;
		const char *to = colon ? colon + 1 : "heads";
		bool *below = arena_array(ctx->arena, n + 1, sizeof(bool));
		if (strcmp(to, "heads") == 0 || strcmp(to, "head") == 0 || !*to) {
			revs_mark_ancestors(&set, (struct revision *const *)set.heads.items,
					    set.heads.len, below);
		} else {
			struct revision *t = revs_resolve(&ctx->diags, &set, to);
			if (!t) {
				cmd_report(ctx);
				return EXIT_USAGE;
			}
			revs_mark_ancestors(&set, &t, 1, below);
		}
		struct revision *f = NULL;
		if (*from && strcmp(from, "base") != 0) {
			f = revs_resolve(&ctx->diags, &set, from);
			if (!f) {
				cmd_report(ctx);
				return EXIT_USAGE;
			}
		}
		for (size_t i = 0; i < n; i++) {
			struct revision *r = set.revs.items[i];
			bool *anc = arena_array(ctx->arena, n + 1, sizeof(bool));
			revs_mark_ancestors(&set, &r, 1, anc);
			in[i] = below[i] && (!f || anc[f->order]);
		}
	}
	bool *applied = applied_marks(ctx, &set, indicate);
	for (size_t k = n; k-- > 0;)
		if (in[k])
			print_rev(set.revs.items[k], verbose, applied);
	return cmd_finish(ctx, EXIT_OK);
}

int cmd_heads(struct cmd_ctx *ctx)
{
	bool verbose = false;
	const struct opt opts[] = {
		{ "verbose", 'v', false, NULL, &verbose },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = parse_no_args(ctx, opts, &pos, &npos, 0);
	if (rc >= 0)
		return rc;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	for (size_t i = 0; i < set.heads.len; i++)
		print_rev(set.heads.items[i], verbose, NULL);
	return cmd_finish(ctx, EXIT_OK);
}

int cmd_branches(struct cmd_ctx *ctx)
{
	const char **pos;
	int npos;
	int rc = parse_no_args(ctx, NULL, &pos, &npos, 0);
	if (rc >= 0)
		return rc;
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	for (size_t i = 0; i < set.revs.len; i++) {
		const struct revision *r = set.revs.items[i];
		if (r->children.len < 2)
			continue;
		printf("%s (branch point)  %s\n", r->id, r->message);
		for (size_t k = 0; k < r->children.len; k++) {
			const struct revision *c = r->children.items[k];
			printf("  -> %s  %s\n", c->id, c->message);
		}
	}
	return cmd_finish(ctx, EXIT_OK);
}

/* `show current`: the one applied head of the configured or dev database. */
static struct revision *current_head(struct cmd_ctx *ctx, const struct revision_set *set)
{
	const struct revs_state *st = applied_state(ctx, set);
	if (!st)
		return NULL;
	struct vec heads = { 0 };
	revs_applied_heads(ctx->arena, st, &heads);
	if (heads.len == 1)
		return heads.items[0];
	if (heads.len)
		cmd_error(ctx, "show current: the database has %zu applied heads; name one",
			  heads.len);
	else
		cmd_error(ctx, "show current: no revisions applied");
	return NULL;
}

int cmd_show(struct cmd_ctx *ctx)
{
	const char **pos;
	int npos;
	int rc = parse_no_args(ctx, NULL, &pos, &npos, 1);
	if (rc >= 0)
		return rc;
	if (npos != 1) {
		cmd_error(ctx, "show: name a revision");
		return EXIT_USAGE;
	}
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct revision *r;
	if (strcmp(pos[0], "current") == 0) {
		if (!(r = current_head(ctx, &set)))
			return EXIT_USAGE;
	} else {
		r = strcmp(pos[0], "head") == 0
			? revs_single_head(ctx->arena, &ctx->diags, &set)
			: revs_resolve(&ctx->diags, &set, pos[0]);
	}
	if (!r) {
		cmd_report(ctx);
		return EXIT_USAGE;
	}
	printf("Revision: %s\nFile:     %s\nSHA-256:  %s\n\n", r->id, r->path, r->checksum);
	fwrite(r->file->text, 1, r->file->len, stdout);
	return cmd_finish(ctx, EXIT_OK);
}
