/* c7gen init: a new project skeleton. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "cmd/cmd.h"

static const char default_ini[] =
	"# c7gen project settings.  Paths are relative to this file.\n"
	"[c7gen]\n"
	"models = models\n"
	"migrations = migrations\n"
	"# Database to migrate; empty means the embedded scratch database under\n"
	"# .c7gen/.  C7GEN_DATABASE_URL, DATABASE_URL and --url override it.\n"
	"url =\n"
	"# Schemas to manage besides public and those the models name.\n"
	"schemas =\n"
	"version_table = c7gen_revisions\n";

static bool make_dir(struct cmd_ctx *ctx, const char *path)
{
	if (fs_is_dir(path)) {
		printf("  exists   %s/\n", path);
		return true;
	}
	int err = fs_mkdir_p(path, 0755);
	if (err) {
		cmd_error(ctx, "cannot create '%s': %s", path, strerror(err));
		return false;
	}
	printf("  created  %s/\n", path);
	return true;
}

static bool write_ini(struct cmd_ctx *ctx, const char *path)
{
	int err = fs_write_new(path, default_ini, sizeof(default_ini) - 1);
	if (err == EEXIST) {
		printf("  exists   %s\n", path);
		return true;
	}
	if (err) {
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(err));
		return false;
	}
	printf("  created  %s\n", path);
	return true;
}

/* Adds ".c7gen/" to .gitignore unless a line already says so. */
static bool ignore_scratch(struct cmd_ctx *ctx, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int err = fs_read(ctx->arena, path, &text, &len);
	if (err && err != ENOENT) {
		cmd_error(ctx, "cannot read '%s': %s", path, strerror(err));
		return false;
	}
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		if ((n == 7 && strncmp(line, ".c7gen/", 7) == 0) ||
		    (n == 6 && strncmp(line, ".c7gen", 6) == 0)) {
			printf("  exists   %s entry for .c7gen/\n", path);
			return true;
		}
		line = end ? end + 1 : line + n;
	}
	FILE *f = fopen(path, "a");
	if (!f) {
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
		return false;
	}
	if (len && text[len - 1] != '\n')
		fputc('\n', f);
	fputs(".c7gen/\n", f);
	if (fclose(f) != 0) {
		cmd_error(ctx, "cannot write '%s': %s", path, strerror(errno));
		return false;
	}
	printf("  updated  %s (ignores .c7gen/)\n", path);
	return true;
}

int cmd_init(struct cmd_ctx *ctx)
{
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, NULL, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos > 1) {
		cmd_error(ctx, "init: too many arguments");
		return EXIT_USAGE;
	}
	const char *dir = npos ? pos[0] : ".";
	if (!make_dir(ctx, dir))
		return EXIT_USAGE;
	struct arena *a = ctx->arena;
	bool ok = write_ini(ctx, fs_join(a, dir, "c7gen.ini")) &&
		  make_dir(ctx, fs_join(a, dir, "models")) &&
		  make_dir(ctx, fs_join(a, dir, "migrations")) &&
		  ignore_scratch(ctx, fs_join(a, dir, ".gitignore"));
	return cmd_finish(ctx, ok ? EXIT_OK : EXIT_USAGE);
}
