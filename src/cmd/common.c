/* Shared plumbing of the subcommands: reporting, option parsing. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "cmd/cmd.h"

void cmd_report(struct cmd_ctx *ctx)
{
	diags_render(&ctx->diags, stderr, ctx->color_err);
	ctx->diags.list.len = 0;
	ctx->diags.dropped = 0;
}

void cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(ctx->arena, fmt, ap);
	va_end(ap);
	diag_error(&ctx->diags, SPAN_NONE, "%s", msg);
	cmd_report(ctx);
}

int cmd_finish(struct cmd_ctx *ctx, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cmd_error(ctx, "cannot write to standard output: %s", strerror(errno));
		return EXIT_USAGE;
	}
	return status;
}

static const struct opt *find_long(const struct opt *opts, const char *name,
				   size_t len)
{
	for (const struct opt *o = opts; o && o->long_name; o++)
		if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
			return o;
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, char c)
{
	for (const struct opt *o = opts; o && o->long_name; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

int cmd_parse(struct cmd_ctx *ctx, const struct opt *opts, const char ***pos,
	      int *npos)
{
	const char *cmdname = ctx->argv[0];
	const char **out = arena_array(ctx->arena, (size_t)ctx->argc + 1,
				       sizeof(char *));
	int n = 0;
	bool only_pos = false;
	for (int i = 1; i < ctx->argc; i++) {
		const char *arg = ctx->argv[i];
		if (only_pos || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] >= '0' && arg[1] <= '9')) {
			/* "-1" is a relative target, not an option. */
			out[n++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			cmd_print_help(stdout, cmd_find(cmdname));
			return cmd_finish(ctx, EXIT_OK);
		}
		const struct opt *o;
		const char *inline_value = NULL;
		if (arg[1] == '-') {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t len = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(opts, name, len);
			inline_value = eq ? eq + 1 : NULL;
		} else {
			o = find_short(opts, arg[1]);
			inline_value = arg[2] ? arg + 2 : NULL;
		}
		if (!o) {
			cmd_error(ctx, "%s: unknown option '%s' (see 'c7gen %s --help')",
				  cmdname, arg, cmdname);
			return EXIT_USAGE;
		}
		if (!o->takes_value) {
			if (inline_value) {
				cmd_error(ctx, "%s: option '%s' takes no value", cmdname, arg);
				return EXIT_USAGE;
			}
			*o->flag = true;
			continue;
		}
		if (!inline_value) {
			if (i + 1 >= ctx->argc) {
				cmd_error(ctx, "%s: option '%s' needs a value", cmdname, arg);
				return EXIT_USAGE;
			}
			inline_value = ctx->argv[++i];
		}
		*o->value = inline_value;
	}
	out[n] = NULL;
	*pos = out;
	*npos = n;
	return -1;
}
