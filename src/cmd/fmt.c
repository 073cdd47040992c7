/*
 * c7gen fmt: model files rewritten in the canonical layout (docs/fmt.md).
 * A file is only written when fmt_text() has proved the new text means
 * the same; otherwise it is left alone and the failure reported as
 * c7gen's bug.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "base/udiff.h"
#include "base/vec.h"
#include "cmd/cmd.h"
#include "cmd/fmt.h"

struct fmt_run {
	struct cmd_ctx *ctx;
	bool check, diff;
	size_t changed;
	bool failed;
};

static void fmt_one(struct fmt_run *r, const char *path)
{
	char *text;
	size_t len;
	int err = fs_read(r->ctx->arena, path, &text, &len);
	if (err) {
		cmd_error(r->ctx, "cannot read '%s': %s", path, strerror(err));
		r->failed = true;
		return;
	}
	struct srcfile *f = srcfile_new(r->ctx->arena, path, text, len);
	struct strbuf out = STRBUF_INIT;
	if (!fmt_text(&r->ctx->diags, f, &out)) {
		r->failed = true;
	} else if (out.len != len || memcmp(strbuf_str(&out), text, len) != 0) {
		r->changed++;
		if (r->diff) {
			struct strbuf d = STRBUF_INIT;
			udiff(&d, path, text, len, strbuf_str(&out), out.len);
			fwrite(strbuf_str(&d), 1, d.len, stdout);
			strbuf_release(&d);
		} else if (r->check) {
			printf("%s\n", path);
		} else if ((err = fs_replace(path, strbuf_str(&out), out.len)) != 0) {
			cmd_error(r->ctx, "cannot write '%s': %s", path, strerror(err));
			r->failed = true;
		} else {
			printf("%s\n", path);
		}
	}
	strbuf_release(&out);
	cmd_report(r->ctx);
}

/* `c7gen fmt -`: standard input to standard output, for editors. */
static int fmt_stdin(struct cmd_ctx *ctx)
{
	struct strbuf in = STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cmd_error(ctx, "cannot read standard input: %s", strerror(errno));
			strbuf_release(&in);
			return EXIT_USAGE;
		}
		strbuf_add(&in, buf, (size_t)n);
	}
	size_t len = in.len;
	struct srcfile *f = srcfile_new(ctx->arena, "<stdin>",
					strbuf_to_arena(&in, ctx->arena), len);
	strbuf_release(&in);
	struct strbuf out = STRBUF_INIT;
	bool ok = fmt_text(&ctx->diags, f, &out);
	cmd_report(ctx);
	if (ok)
		fwrite(strbuf_str(&out), 1, out.len, stdout);
	strbuf_release(&out);
	return ok ? cmd_finish(ctx, EXIT_OK) : EXIT_USAGE;
}

int cmd_fmt(struct cmd_ctx *ctx)
{
	struct fmt_run r = { 0 };
	r.ctx = ctx;
	const struct opt opts[] = {
		{ "check", 0, false, NULL, &r.check },
		{ "diff", 0, false, NULL, &r.diff },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos == 1 && strcmp(pos[0], "-") == 0 && !r.check && !r.diff)
		return fmt_stdin(ctx);
	const char *models[1] = { ctx->cfg.models };
	if (npos == 0) {
		pos = models;
		npos = 1;
	}
	struct vec files = { 0 };
	for (int i = 0; i < npos; i++) {
		if (!fs_is_dir(pos[i])) {
			vec_push(ctx->arena, &files, (void *)pos[i]);
			continue;
		}
		int err = fs_list(ctx->arena, pos[i], ".c7", &files);
		if (err) {
			cmd_error(ctx, "cannot read directory '%s': %s", pos[i], strerror(err));
			r.failed = true;
		}
	}
	for (size_t i = 0; i < files.len; i++)
		fmt_one(&r, files.items[i]);
	if (r.failed)
		return cmd_finish(ctx, EXIT_USAGE);
	return cmd_finish(ctx, r.check && r.changed ? EXIT_FINDINGS : EXIT_OK);
}
