/*
 * c7gen lsp: the language server (src/lsp/) on standard input and output,
 * for the project's models directory.  Formatting goes through fmt's
 * checked formatter.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "cmd/cmd.h"
#include "cmd/fmt.h"
#include "lsp/server.h"

/* The models directory as an absolute path, whether or not it exists. */
static const char *absolute(struct cmd_ctx *ctx, const char *dir)
{
	char *real = realpath(dir, NULL);
	if (real) {
		const char *out = arena_strdup(ctx->arena, real);
		free(real);
		return out;
	}
	if (dir[0] == '/')
		return dir;
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return dir;
	return fs_join(ctx->arena, cwd, dir);
}

int cmd_lsp(struct cmd_ctx *ctx)
{
	bool stdio = false;
	const struct opt opts[] = {
		/* What editors' clients pass to say how to talk; the only way. */
		{ "stdio", 0, false, NULL, &stdio },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos) {
		cmd_error(ctx, "usage: c7gen lsp [--stdio]");
		return EXIT_USAGE;
	}
	struct lsp_options o = { absolute(ctx, ctx->cfg.models), fmt_text, 0 };
	return lsp_serve(&o, stdin, stdout);
}
