/* c7gen revision -m MSG: an empty revision for hand-written SQL. */
#include <errno.h>
#include <string.h>

#include "base/arena.h"
#include "base/fs.h"
#include "cmd/revisions.h"

int write_revision(struct cmd_ctx *ctx, const struct revision_spec *spec)
{
	struct revision_draft d;
	int err = revs_draft(ctx->arena, ctx->cfg.migrations, spec, &d);
	if (err) {
		cmd_error(ctx, "cannot compose a revision: %s", strerror(err));
		return EXIT_USAGE;
	}
	return write_draft(ctx, &d);
}

int write_draft(struct cmd_ctx *ctx, const struct revision_draft *d)
{
	int err = fs_mkdir_p(ctx->cfg.migrations, 0755);
	if (err) {
		cmd_error(ctx, "cannot create '%s': %s", ctx->cfg.migrations, strerror(err));
		return EXIT_USAGE;
	}
	err = revs_write(d);
	if (err) {
		cmd_error(ctx, "cannot write '%s': %s", d->path, strerror(err));
		return EXIT_USAGE;
	}
	printf("Wrote %s\n", d->path);
	return cmd_finish(ctx, EXIT_OK);
}

bool parent_of_new(struct cmd_ctx *ctx, const struct revision_set *set,
		   struct revision_spec *spec)
{
	if (!set->revs.len)
		return true;
	struct revision *head = revs_single_head(ctx->arena, &ctx->diags, set);
	if (!head) {
		cmd_report(ctx);
		return false;
	}
	spec->parents = arena_array(ctx->arena, 1, sizeof(char *));
	((const char **)spec->parents)[0] = head->id;
	spec->nparents = 1;
	return true;
}

int cmd_revision(struct cmd_ctx *ctx)
{
	const char *message = NULL;
	bool autogen = false, no_verify = false, atomic = false;
	const struct opt opts[] = {
		{ "message", 'm', true, &message, NULL },
		{ "autogenerate", 0, false, NULL, &autogen },
		{ "no-verify", 0, false, NULL, &no_verify },
		{ "atomic", 0, false, NULL, &atomic },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (autogen && message && !npos)
		return autogenerate(ctx, message, !no_verify, atomic);
	if (!message || npos) {
		cmd_error(ctx, "usage: c7gen revision -m MESSAGE");
		return EXIT_USAGE;
	}
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct revision_spec spec = { 0 };
	spec.message = message;
	if (!parent_of_new(ctx, &set, &spec))
		return EXIT_USAGE;
	spec.upgrade = "";
	spec.downgrade = "";
	return write_revision(ctx, &spec);
}

int cmd_merge(struct cmd_ctx *ctx)
{
	const char *message = NULL;
	const struct opt opts[] = {
		{ "message", 'm', true, &message, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (!message) {
		cmd_error(ctx, "usage: c7gen merge -m MESSAGE [REV...]");
		return EXIT_USAGE;
	}
	struct revision_set set;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	struct vec parents = { 0 };
	if (npos) {
		for (int i = 0; i < npos; i++) {
			struct revision *r = revs_resolve(&ctx->diags, &set, pos[i]);
			if (!r) {
				cmd_report(ctx);
				return EXIT_USAGE;
			}
			vec_push(ctx->arena, &parents, (void *)r->id);
		}
	} else {
		for (size_t i = 0; i < set.heads.len; i++)
			vec_push(ctx->arena, &parents,
				 (void *)((struct revision *)set.heads.items[i])->id);
	}
	if (parents.len < 2) {
		cmd_error(ctx, "merge: there %s %zu head%s; a merge joins two or more",
			  parents.len == 1 ? "is" : "are", parents.len,
			  parents.len == 1 ? "" : "s");
		return EXIT_USAGE;
	}
	struct revision_spec spec = { 0 };
	spec.message = message;
	spec.parents = (const char *const *)parents.items;
	spec.nparents = parents.len;
	spec.upgrade = "";
	spec.downgrade = "";
	return write_revision(ctx, &spec);
}
