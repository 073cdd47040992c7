/*
 * Fleet targets from c7gen.ini, and `c7gen targets`, which lists them.
 */
#include "cmd/targets.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "cmd/workflow.h"
#include "pg/conn.h"
#include "pg/conninfo.h"

static struct target_config *config_of(struct cmd_ctx *ctx)
{
	if (!ctx->cfg.targets)
		ctx->cfg.targets = arena_alloc(ctx->arena, sizeof(*ctx->cfg.targets));
	return ctx->cfg.targets;
}

static struct target *def_named(struct target_config *tc, struct arena *a,
				const char *name)
{
	for (size_t i = 0; i < tc->defs.len; i++) {
		struct target *t = tc->defs.items[i];
		if (strcmp(t->name, name) == 0)
			return t;
	}
	struct target *t = arena_alloc(a, sizeof(*t));
	t->name = arena_strdup(a, name);
	vec_push(a, &tc->defs, t);
	return t;
}

bool targets_config_key(struct cmd_ctx *ctx, const char *section,
			const char *key, const char *value)
{
	struct arena *a = ctx->arena;
	struct target_config *tc = config_of(ctx);
	tc->ini = ctx->cfg.path;
	const char *v = value[0] ? arena_strdup(a, value) : NULL;
	if (strcmp(section, "targets") == 0) {
		if (strcmp(key, "file") == 0)
			tc->file = v;
		else if (strcmp(key, "query") == 0)
			tc->query = v;
		else if (strcmp(key, "control_url") == 0)
			tc->control_url = v;
		else if (strcmp(key, "group") == 0)
			tc->group = v;
		else
			goto unknown;
		return true;
	}
	const char *name = section + strlen("target");
	name += strspn(name, " \t");
	if (!*name) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: [target] needs a name: [target NAME]",
			   ctx->cfg.path);
		return false;
	}
	struct target *t = def_named(tc, a, name);
	t->origin = ctx->cfg.path;
	if (strcmp(key, "url") == 0)
		t->url = v;
	else if (strcmp(key, "schema") == 0)
		t->schema = v;
	else if (strcmp(key, "group") == 0)
		t->group = v;
	else
		goto unknown;
	return true;
unknown:
	diag_error(&ctx->diags, SPAN_NONE, "%s: unknown setting '%s' in [%s] (known: %s)",
		   ctx->cfg.path, key, section,
		   strcmp(section, "targets") == 0 ? "file, query, control_url, group"
						   : "url, schema, group");
	return false;
}

/* ${NAME} replaced by the environment variable; NULL after reporting one
 * that is not set, or a "${" without its "}". */
static const char *interpolate(struct cmd_ctx *ctx, const struct target *t,
			       const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;
	for (const char *open; (open = strstr(p, "${"));) {
		strbuf_add(&sb, p, (size_t)(open - p));
		const char *close = strchr(open + 2, '}');
		if (!close) {
			diag_error(&ctx->diags, SPAN_NONE, "%s: target '%s': '${' without "
				   "its '}' in the URL", t->origin, t->name);
			strbuf_release(&sb);
			return NULL;
		}
		const char *var = arena_strndup(ctx->arena, open + 2, (size_t)(close - open - 2));
		const char *val = getenv(var);
		if (!val) {
			diag_error(&ctx->diags, SPAN_NONE, "%s: target '%s': environment "
				   "variable '%s' is not set", t->origin, t->name, var);
			strbuf_release(&sb);
			return NULL;
		}
		strbuf_addstr(&sb, val);
		p = close + 1;
	}
	strbuf_addstr(&sb, p);
	char *out = strbuf_to_arena(&sb, ctx->arena);
	strbuf_release(&sb);
	return out;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_-.", *s))
			return false;
	return true;
}

/* Adds a target after checking what every source must satisfy: a usable
 * name, once, and a URL that libpq can parse. */
static bool add_target(struct cmd_ctx *ctx, struct vec *out, struct target *t)
{
	if (!valid_name(t->name)) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: target name '%s' may only hold "
			   "letters, digits, '_', '-' and '.'", t->origin, t->name);
		return false;
	}
	if (strcmp(t->name, "all") == 0) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: 'all' names every target; "
			   "a target cannot be called that", t->origin);
		return false;
	}
	for (size_t i = 0; i < out->len; i++) {
		const struct target *o = out->items[i];
		if (strcmp(o->name, t->name) == 0) {
			diag_error(&ctx->diags, SPAN_NONE, "%s: target '%s' is already "
				   "defined (%s)", t->origin, t->name, o->origin);
			return false;
		}
	}
	if (!t->url) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: target '%s' has no url",
			   t->origin, t->name);
		return false;
	}
	vec_push(ctx->arena, out, t);
	return true;
}

/* The target with ${ENV} replaced in its URL, which libpq must be able to
 * read; NULL after reporting.  Done only for the targets a command
 * selects, so a variable set for one region's deploy need not be set for
 * another's. */
static struct target *with_env(struct cmd_ctx *ctx, const struct target *t)
{
	const char *url = interpolate(ctx, t, t->url);
	if (!url)
		return NULL;
	if (!pg_conninfo_redacted(ctx->arena, url)) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: target '%s': the url is not a "
			   "connection string or URI libpq can read", t->origin, t->name);
		return NULL;
	}
	struct target *copy = arena_alloc(ctx->arena, sizeof(*copy));
	*copy = *t;
	copy->url = url;
	return copy;
}

/* [targets] file = PATH: "NAME URL" per line; the URL is the rest of the
 * line, so a keyword=value string with spaces needs no quoting. */
static bool read_file(struct cmd_ctx *ctx, const struct target_config *tc,
		      struct vec *out)
{
	const char *root = ctx->cfg.root;
	const char *path = tc->file[0] == '/' || strcmp(root, ".") == 0
		? tc->file : fs_join(ctx->arena, root, tc->file);
	char *text;
	size_t len;
	if (fs_read(ctx->arena, path, &text, &len) != 0) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: cannot read the targets file '%s'",
			   tc->ini, path);
		return false;
	}
	int lineno = 0;
	bool ok = true;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		char *s = line + strspn(line, " \t\r");
		size_t n = strlen(s);
		while (n && strchr(" \t\r", s[n - 1]))
			s[--n] = '\0';
		if (*s && *s != '#') {
			size_t name_len = strcspn(s, " \t");
			const char *rest = s + name_len + strspn(s + name_len, " \t");
			struct target *t = arena_alloc(ctx->arena, sizeof(*t));
			t->name = arena_strndup(ctx->arena, s, name_len);
			t->group = tc->group;
			t->origin = arena_printf(ctx->arena, "%s:%d", path, lineno);
			if (!*rest) {
				diag_error(&ctx->diags, SPAN_NONE, "%s:%d:%zu: error: expected "
					   "'NAME URL', found no URL after '%s'", path, lineno,
					   (size_t)(s - line) + name_len + 1, t->name);
				ok = false;
			} else {
				t->url = rest;
				ok = add_target(ctx, out, t) && ok;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return ok;
}

static const char *column(struct arena *a, const struct pg_result *r, int row, int col)
{
	if (col < 0)
		return NULL;
	const char *v = pg_value(r, row, col);
	return v && *v ? arena_strdup(a, v) : NULL;
}

/* [targets] query = SQL on control_url: columns name and url, optionally
 * schema and "group". */
static int run_query(struct cmd_ctx *ctx, const struct target_config *tc,
		     struct vec *out)
{
	if (!tc->control_url) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: [targets] query needs control_url, "
			   "the database to run it on", tc->ini);
		return EXIT_USAGE;
	}
	struct target where = { .name = "control_url", .origin = tc->ini };
	const char *url = interpolate(ctx, &where, tc->control_url);
	if (!url)
		return EXIT_USAGE;
	/* libpq's own complaint about a malformed URI may quote it. */
	if (!pg_conninfo_redacted(ctx->arena, url)) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: control_url is not a connection "
			   "string or URI libpq can read", tc->ini);
		return EXIT_USAGE;
	}
	struct pg_error err;
	struct pg_conn *c = pg_connect(ctx->arena, url, &err);
	if (!c) {
		report_db_error(ctx, "cannot reach the control database", &err);
		return EXIT_DATABASE;
	}
	int rc = -1;
	struct pg_result *r = pg_query(c, tc->query, 0, NULL, &err);
	if (!r) {
		report_db_error(ctx, "the targets query failed", &err);
		rc = EXIT_DATABASE;
		goto out;
	}
	int cname = pg_col_find(r, "name"), curl = pg_col_find(r, "url");
	if (cname < 0 || curl < 0) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: the targets query must return "
			   "columns 'name' and 'url' (and may return 'schema' and 'group')",
			   tc->ini);
		rc = EXIT_USAGE;
		goto out;
	}
	int cschema = pg_col_find(r, "schema"), cgroup = pg_col_find(r, "group");
	for (int i = 0; i < pg_nrows(r); i++) {
		struct target *t = arena_alloc(ctx->arena, sizeof(*t));
		t->name = column(ctx->arena, r, i, cname);
		t->url = column(ctx->arena, r, i, curl);
		t->schema = column(ctx->arena, r, i, cschema);
		t->group = column(ctx->arena, r, i, cgroup);
		if (!t->group)
			t->group = tc->group;
		t->origin = arena_printf(ctx->arena, "%s: [targets] query, row %d", tc->ini, i + 1);
		if (!t->name)
			t->name = "";
		if (!add_target(ctx, out, t))
			rc = EXIT_USAGE;
	}
out:
	pg_result_free(r);
	pg_close(c);
	return rc;
}

int targets_resolve(struct cmd_ctx *ctx, struct vec *out)
{
	memset(out, 0, sizeof(*out));
	const struct target_config *tc = ctx->cfg.targets;
	if (!tc) {
		cmd_error(ctx, "no targets configured: add [target NAME] sections or a "
			       "[targets] section to c7gen.ini (see docs/fleet.md)");
		return EXIT_USAGE;
	}
	bool ok = true;
	for (size_t i = 0; i < tc->defs.len; i++)
		ok = add_target(ctx, out, tc->defs.items[i]) && ok;
	if (tc->file)
		ok = read_file(ctx, tc, out) && ok;
	int rc = -1;
	if (tc->query)
		rc = run_query(ctx, tc, out);
	else if (tc->control_url) {
		diag_error(&ctx->diags, SPAN_NONE, "%s: control_url is set but [targets] "
			   "has no query to run on it", tc->ini);
		ok = false;
	}
	cmd_report(ctx);
	if (rc >= 0)
		return rc;
	return ok ? -1 : EXIT_USAGE;
}

static bool has_group(const struct target *t, const char *group)
{
	return t->group && strcmp(t->group, group) == 0;
}

bool targets_select(struct cmd_ctx *ctx, const struct vec *all,
		    const char *selector, struct vec *out)
{
	memset(out, 0, sizeof(*out));
	bool *chosen = arena_array(ctx->arena, all->len + 1, sizeof(bool));
	struct vec names = { 0 };
	split_names(ctx, selector, &names);
	bool ok = names.len > 0;
	for (size_t k = 0; k < names.len; k++) {
		const char *sel = names.items[k];
		bool any = false;
		for (size_t i = 0; i < all->len; i++) {
			const struct target *t = all->items[i];
			if (strcmp(sel, "all") == 0 || strcmp(t->name, sel) == 0 ||
			    has_group(t, sel)) {
				chosen[i] = true;
				any = true;
			}
		}
		if (!any) {
			cmd_error(ctx, "--targets: no target or group is called '%s' "
				       "('c7gen targets' lists them)", sel);
			ok = false;
		}
	}
	if (!names.len)
		cmd_error(ctx, "--targets: name a target, a group, or all");
	for (size_t i = 0; ok && i < all->len; i++) {
		if (!chosen[i])
			continue;
		struct target *t = with_env(ctx, all->items[i]);
		ok = t != NULL;
		if (t)
			vec_push(ctx->arena, out, t);
	}
	cmd_report(ctx);
	return ok;
}

/* ---- c7gen targets ---- */

static void print_json(struct cmd_ctx *ctx, const struct vec *list)
{
	json_t *arr = json_arr_new();
	for (size_t i = 0; i < list->len; i++) {
		const struct target *t = list->items[i];
		json_t *o = json_obj_new();
		json_obj_put(o, "name", json_str_new(t->name));
		json_obj_put(o, "group", json_str_new(t->group));
		json_obj_put(o, "schema", json_str_new(t->schema));
		json_obj_put(o, "url", json_str_new(pg_conninfo_redacted(ctx->arena, t->url)));
		json_obj_put(o, "origin", json_str_new(t->origin));
		json_arr_put(arr, o);
	}
	struct strbuf sb = STRBUF_INIT;
	json_to_strbuf(&sb, arr, JSON_INDENT(2));
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	json_decref(arr);
}

static size_t widest(const struct vec *list, size_t off, size_t least)
{
	size_t w = least;
	for (size_t i = 0; i < list->len; i++) {
		const char *s = *(const char **)((const char *)list->items[i] + off);
		if (s && strlen(s) > w)
			w = strlen(s);
	}
	return w;
}

static void print_table(struct cmd_ctx *ctx, const struct vec *list)
{
	int wn = (int)widest(list, offsetof(struct target, name), 4);
	int wg = (int)widest(list, offsetof(struct target, group), 5);
	int ws = (int)widest(list, offsetof(struct target, schema), 6);
	printf("%-*s  %-*s  %-*s  %s\n", wn, "NAME", wg, "GROUP", ws, "SCHEMA", "CONNECTION");
	for (size_t i = 0; i < list->len; i++) {
		const struct target *t = list->items[i];
		printf("%-*s  %-*s  %-*s  %s\n", wn, t->name, wg, t->group ? t->group : "-",
		       ws, t->schema ? t->schema : "-",
		       pg_conninfo_redacted(ctx->arena, t->url));
	}
	printf("%zu target%s\n", list->len, list->len == 1 ? "" : "s");
}

int cmd_targets(struct cmd_ctx *ctx)
{
	const char *selector = "all", *format = NULL;
	const struct opt opts[] = {
		{ "targets", 0, true, &selector, NULL },
		{ "format", 0, true, &format, NULL },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	if (npos || (format && strcmp(format, "json") != 0 && strcmp(format, "text") != 0)) {
		cmd_error(ctx, "usage: c7gen targets [--targets NAME|GROUP|all] "
			       "[--format text|json]");
		return EXIT_USAGE;
	}
	struct vec all, chosen;
	rc = targets_resolve(ctx, &all);
	if (rc >= 0)
		return rc;
	if (!targets_select(ctx, &all, selector, &chosen))
		return EXIT_USAGE;
	if (format && strcmp(format, "json") == 0)
		print_json(ctx, &chosen);
	else
		print_table(ctx, &chosen);
	return cmd_finish(ctx, EXIT_OK);
}
