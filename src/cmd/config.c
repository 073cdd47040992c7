/*
 * Configuration: c7gen.ini (found in the working directory or above it,
 * like git finds its repository), then C7GEN_DATABASE_URL / DATABASE_URL,
 * then --url.  The INI syntax is read by inih, Debian's libinih.  The
 * fleet's [target NAME] and [targets] sections are kept for targets.c.
 */
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "cmd/cmd.h"
#include "cmd/targets.h"

#define CONFIG_FILE "c7gen.ini"

struct ini_state {
	struct cmd_ctx *ctx;
	struct config *cfg;
	bool ok;
};

static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct ini_state *st = user;
	struct arena *a = st->ctx->arena;
	if (strcmp(section, "lint") == 0) {
		/* Checked by c7gen lint, which knows the rules. */
		struct config_pair *p = arena_alloc(a, sizeof(*p));
		p->name = arena_strdup(a, name);
		p->value = arena_strdup(a, value);
		vec_push(a, &st->cfg->lint, p);
		return 1;
	}
	if (strcmp(section, "targets") == 0 || strncmp(section, "target ", 7) == 0 ||
	    strcmp(section, "target") == 0) {
		st->ok = targets_config_key(st->ctx, section, name, value) && st->ok;
		return 1;
	}
	if (section[0] && strcmp(section, "c7gen") != 0)
		return 1; /* other tools may share the file */
	const char *v = arena_strdup(a, value);
	if (strcmp(name, "models") == 0)
		st->cfg->models = v;
	else if (strcmp(name, "migrations") == 0)
		st->cfg->migrations = v;
	else if (strcmp(name, "url") == 0)
		st->cfg->url = v[0] ? v : NULL;
	else if (strcmp(name, "schemas") == 0)
		st->cfg->schemas = v;
	else if (strcmp(name, "version_table") == 0)
		st->cfg->version_table = v;
	else if (strcmp(name, "ddl_lock_timeout") == 0)
		st->cfg->ddl_lock_timeout = v;
	else if (strcmp(name, "ddl_retries") == 0)
		st->cfg->ddl_retries = v;
	else if (strcmp(name, "lint_small_table_rows") == 0)
		st->cfg->lint_small_table_rows = v;
	else if (strcmp(name, "dev_port") == 0)
		st->cfg->dev_port = v[0] ? v : NULL;
	else if (strcmp(name, "online") == 0)
		st->cfg->online = v;
	else {
		diag_error(&st->ctx->diags, SPAN_NONE,
			   "%s: unknown setting '%s' (known: models, migrations, "
			   "url, schemas, version_table, ddl_lock_timeout, ddl_retries, "
			   "lint_small_table_rows, dev_port, online)",
			   st->cfg->path, name);
		st->ok = false;
	}
	return 1;
}

/* Walks up from the working directory looking for c7gen.ini, like git
 * looks for its repository.  The path is relative ("c7gen.ini",
 * "../c7gen.ini") so messages name files the way the user sees them. */
static const char *find_config(struct arena *a)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		return NULL;
	struct strbuf up = STRBUF_INIT;
	const char *found = NULL;
	for (;;) {
		if (fs_exists(fs_join(a, buf, CONFIG_FILE))) {
			strbuf_addstr(&up, CONFIG_FILE);
			found = strbuf_to_arena(&up, a);
			break;
		}
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			break;
		*slash = '\0';
		strbuf_addstr(&up, "../");
	}
	strbuf_release(&up);
	return found;
}

static const char *dir_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

static const char *relative_to(struct arena *a, const char *root,
			       const char *path)
{
	if (path[0] == '/' || strcmp(root, ".") == 0)
		return path;
	return fs_join(a, root, path);
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v && v[0] ? v : NULL;
}

bool config_load(struct cmd_ctx *ctx, const char *explicit_path,
		 const char *url_flag, const char *models_flag,
		 const char *migrations_flag)
{
	struct arena *a = ctx->arena;
	struct config *cfg = &ctx->cfg;
	memset(cfg, 0, sizeof(*cfg));
	cfg->models = "models";
	cfg->migrations = "migrations";
	cfg->version_table = "c7gen_revisions";
	cfg->root = ".";

	cfg->path = explicit_path ? explicit_path : find_config(a);
	if (cfg->path) {
		struct ini_state st = { ctx, cfg, true };
		int rc = ini_parse(cfg->path, on_key, &st);
		if (rc < 0) {
			diag_error(&ctx->diags, SPAN_NONE, "cannot read '%s': %s",
				   cfg->path, strerror(errno));
			return false;
		}
		if (rc > 0) {
			diag_error(&ctx->diags, SPAN_NONE, "%s:%d: syntax error",
				   cfg->path, rc);
			return false;
		}
		if (!st.ok)
			return false;
		/* "--config /dev/null" means no settings, not a project in /dev. */
		struct stat sb;
		if (stat(cfg->path, &sb) == 0 && S_ISREG(sb.st_mode))
			cfg->root = dir_of(a, cfg->path);
		if (cfg->url)
			cfg->url_source = cfg->path;
	}
	if (env("DATABASE_URL")) {
		cfg->url = env("DATABASE_URL");
		cfg->url_source = "DATABASE_URL";
	}
	if (env("C7GEN_DATABASE_URL")) {
		cfg->url = env("C7GEN_DATABASE_URL");
		cfg->url_source = "C7GEN_DATABASE_URL";
	}
	if (url_flag) {
		cfg->url = url_flag;
		cfg->url_source = "--url";
	}
	cfg->models = models_flag ? models_flag : relative_to(a, cfg->root, cfg->models);
	cfg->migrations = migrations_flag ? migrations_flag
					  : relative_to(a, cfg->root, cfg->migrations);
	return true;
}

/* `online` in c7gen.ini, true unless set otherwise; -1 after reporting a
 * value that is neither. */
int config_online(struct cmd_ctx *ctx)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	const char *v = ctx->cfg.online;
	if (!v)
		return 1;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	cmd_error(ctx, "%s: online = '%s': expected true or false", ctx->cfg.path, v);
	return -1;
}
