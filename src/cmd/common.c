/* Shared plumbing of the subcommands: reporting, option parsing. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void timing_mark(struct cmd_ctx *ctx, const char *phase)
{
	struct timings *t = &ctx->timings;
	double now = now_seconds();
	if (t->last == 0) {
		t->last = now;
		return;
	}
	for (int i = 0; i < t->n; i++) {
		if (strcmp(t->names[i], phase) == 0) {
			t->seconds[i] += now - t->last;
			t->last = now;
			return;
		}
	}
	if (t->n < TIMING_MAX) {
		t->names[t->n] = phase;
		t->seconds[t->n++] = now - t->last;
	}
	t->last = now;
}

void timing_report(struct cmd_ctx *ctx)
{
	struct timings *t = &ctx->timings;
	if (!t->enabled)
		return;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr, "timings:");
	for (int i = 0; i < t->n; i++)
		fprintf(stderr, " %s=%.3f", t->names[i], t->seconds[i]);
	fprintf(stderr, " round_trips=%zu tables_built=%u tables_cached=%u arena_mb=%.1f"
		" peak_rss_mb=%.1f\n", t->round_trips, t->tables_built, t->tables_cached,
		(double)arena_used(ctx->arena) / (1024.0 * 1024.0),
		(double)ru.ru_maxrss / 1024.0);
}
