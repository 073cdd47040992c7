/*
 * c7gen lint: revision files checked for what hurts production
 * (docs/lint.md).  Findings go to stdout as text (FILE:LINE:COL with a
 * caret), JSON or GitHub annotations; the exit status is 1 if any finding
 * is an error.  Files that do not load (a statement the parser rejects
 * included) are reported as for every command, with exit status 2.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "cmd/lint.h"
#include "cmd/revisions.h"
#include "cmd/workflow.h"
#include "lint/lint.h"
#include "pg/conn.h"
#include "pg/tablerows.h"

enum lint_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_GITHUB };

/* A FILE argument: one revision file read on its own. */
static struct revision *load_file(struct cmd_ctx *ctx, const char *path)
{
	char *text;
	size_t len;
	int rc = fs_read(ctx->arena, path, &text, &len);
	if (rc) {
		cmd_error(ctx, "cannot read '%s': %s", path, strerror(rc));
		return NULL;
	}
	struct srcfile *f = srcfile_new(ctx->arena, path, text, len);
	return revs_parse(ctx->arena, &ctx->diags, f);
}

/* A REV argument: a revision id or a prefix naming one revision. */
static struct revision *find_rev(struct cmd_ctx *ctx, const struct revision_set *set,
				 const char *id)
{
	struct revision *found = NULL;
	size_t n = strlen(id), matches = 0;
	for (size_t i = 0; i < set->revs.len; i++) {
		struct revision *r = set->revs.items[i];
		if (strncmp(r->id, id, n) == 0) {
			found = r;
			matches++;
		}
	}
	if (!matches)
		cmd_error(ctx, "no revision or file '%s'", id);
	else if (matches > 1)
		cmd_error(ctx, "'%s' names %zu revisions", id, matches);
	return matches == 1 ? found : NULL;
}

static int every(struct cmd_ctx *ctx, const struct revision_set *set, struct vec *out)
{
	for (size_t i = 0; i < set->revs.len; i++)
		vec_push(ctx->arena, out, set->revs.items[i]);
	return -1;
}

/* With a configured database: the revisions the next upgrade would run,
 * those not applied or applied part way.  Applied ones have run already;
 * a finding there can only be fixed by a new revision. */
static int pending(struct cmd_ctx *ctx, const struct revision_set *set, struct vec *out)
{
	struct db_session db;
	int rc = db_open(ctx, &db);
	if (rc >= 0)
		return rc;
	struct version_tables vt;
	version_tables_of(ctx, &vt);
	struct db_state state;
	rc = read_db_state(ctx, &db, set, &vt, &state);
	db_close(&db);
	if (rc >= 0)
		return rc;
	for (size_t i = 0; i < set->revs.len; i++) {
		struct revision *r = set->revs.items[i];
		if (!state.st.applied[r->order] || state.st.partial[r->order])
			vec_push(ctx->arena, out, r);
	}
	return -1;
}

int lint_default_revisions(struct cmd_ctx *ctx, const struct revision_set *set,
			   struct vec *out)
{
	return ctx->cfg.url ? pending(ctx, set, out) : every(ctx, set, out);
}

/* The revisions to lint: those named, else the default ones.  Returns
 * -1, or an exit status after reporting. */
static int collect(struct cmd_ctx *ctx, const char **pos, int npos, struct vec *out)
{
	struct revision_set set;
	bool have_set = false;
	for (int i = 0; i < npos; i++) {
		struct revision *r;
		if (strchr(pos[i], '/') || fs_exists(pos[i])) {
			r = load_file(ctx, pos[i]);
		} else {
			if (!have_set && !load_revisions(ctx, &set))
				return EXIT_USAGE;
			have_set = true;
			r = find_rev(ctx, &set, pos[i]);
		}
		if (!r)
			return EXIT_USAGE;
		vec_push(ctx->arena, out, r);
	}
	if (npos)
		return -1;
	if (!load_revisions(ctx, &set))
		return EXIT_USAGE;
	return lint_default_revisions(ctx, &set, out);
}

static const char *level_name(enum lint_level l)
{
	return l == LINT_ERROR ? "error" : "warning";
}

static void print_text(struct cmd_ctx *ctx, const struct vec *findings, bool color)
{
	struct diags d;
	diags_init(&d, ctx->arena);
	d.limit = (size_t)-1;
	for (size_t i = 0; i < findings->len; i++) {
		const struct lint_finding *f = findings->items[i];
		struct diag *g = diag_add(&d, f->level == LINT_ERROR ? DIAG_ERROR : DIAG_WARNING,
					  f->span, "%s [%s]", f->message, f->rule);
		diag_hint(&d, g, "%s", f->hint);
	}
	diags_render(&d, stdout, color);
}

static void print_json(const struct vec *findings, size_t errors, size_t warnings)
{
	json_t *root = json_obj_new();
	json_t *list = json_arr_new();
	for (size_t i = 0; i < findings->len; i++) {
		const struct lint_finding *f = findings->items[i];
		size_t line, col;
		srcfile_linecol(f->span.file, f->span.start, &line, &col);
		json_t *o = json_obj_new();
		json_obj_put(o, "file", json_str_new(f->span.file->path));
		json_obj_put(o, "line", json_int_new((long long)line));
		json_obj_put(o, "column", json_int_new((long long)col));
		json_obj_put(o, "rule", json_str_new(f->rule));
		json_obj_put(o, "severity", json_str_new(level_name(f->level)));
		json_obj_put(o, "message", json_str_new(f->message));
		json_obj_put(o, "hint", json_str_new(f->hint));
		json_arr_put(list, o);
	}
	json_obj_put(root, "findings", list);
	json_obj_put(root, "errors", json_int_new((long long)errors));
	json_obj_put(root, "warnings", json_int_new((long long)warnings));
	struct strbuf sb = STRBUF_INIT;
	json_to_strbuf(&sb, root, JSON_INDENT(2));
	fwrite(sb.buf, 1, sb.len, stdout);
	fputc('\n', stdout);
	strbuf_release(&sb);
	json_decref(root);
}

/* GitHub's workflow commands escape %, CR and LF in the message. */
static void add_escaped(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			strbuf_addstr(sb, "%25");
		else if (*s == '\n')
			strbuf_addstr(sb, "%0A");
		else if (*s == '\r')
			strbuf_addstr(sb, "%0D");
		else
			strbuf_addch(sb, *s);
	}
}

static void print_github(const struct vec *findings)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < findings->len; i++) {
		const struct lint_finding *f = findings->items[i];
		size_t line, col;
		srcfile_linecol(f->span.file, f->span.start, &line, &col);
		strbuf_addf(&sb, "::%s file=%s,line=%zu,col=%zu,title=%s::", level_name(f->level),
			    f->span.file->path, line, col, f->rule);
		add_escaped(&sb, f->message);
		strbuf_addstr(&sb, "\nhint: ");
		add_escaped(&sb, f->hint);
		strbuf_addch(&sb, '\n');
	}
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
}

/* [lint] in c7gen.ini: RULE = error | warning | off. */
static bool configure(struct cmd_ctx *ctx, struct lint_options *o)
{
	const struct vec *pairs = &ctx->cfg.lint;
	if (!pairs->len)
		return true;
	enum lint_level *levels = arena_array(ctx->arena, lint_rule_count(), sizeof(*levels));
	for (size_t i = 0; i < lint_rule_count(); i++)
		levels[i] = lint_rule_at(i)->level;
	bool ok = true;
	for (size_t i = 0; i < pairs->len; i++) {
		const struct config_pair *p = pairs->items[i];
		int rule = lint_rule_find(p->name);
		bool valid = strcmp(p->value, "error") == 0 || strcmp(p->value, "warning") == 0 ||
			     strcmp(p->value, "off") == 0;
		if (rule < 0)
			cmd_error(ctx, "%s: [lint] no rule '%s' (c7gen lint --rules lists them)",
				  ctx->cfg.path, p->name);
		else if (!valid)
			cmd_error(ctx, "%s: [lint] %s = '%s': the level is error, warning or off",
				  ctx->cfg.path, p->name, p->value);
		else
			levels[rule] = p->value[0] == 'e' ? LINT_ERROR
				       : p->value[0] == 'w' ? LINT_WARNING : LINT_OFF;
		ok = ok && rule >= 0 && valid;
	}
	o->levels = levels;
	return ok;
}

/* With a configured database, the tables' estimated sizes. */
static int read_rows(struct cmd_ctx *ctx, struct hmap *rows)
{
	struct db_session db;
	int rc = db_open(ctx, &db);
	if (rc >= 0)
		return rc;
	struct pg_error err;
	if (!pg_table_rows(db.conn, ctx->arena, rows, &err)) {
		report_db_error(ctx, "cannot read the tables' sizes", &err);
		rc = EXIT_DATABASE;
	}
	db_close(&db);
	return rc;
}

static bool small_rows(struct cmd_ctx *ctx, long long *out)
{
	const char *v = ctx->cfg.lint_small_table_rows;
	*out = 10000;
	if (!v)
		return true;
	char *end;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end || n < 0) {
		cmd_error(ctx, "%s: lint_small_table_rows takes a number of rows, not '%s'",
			  ctx->cfg.path, v);
		return false;
	}
	*out = n;
	return true;
}

/* --model-files: the rules that read model files. */
static int lint_model_files(struct cmd_ctx *ctx, struct vec *findings)
{
	struct lint_options lo = { NULL };
	if (!configure(ctx, &lo))
		return EXIT_USAGE;
	struct ir_schema *models = load_models(ctx);
	if (!models)
		return EXIT_USAGE;
	lint_models(ctx->arena, models, &lo, findings);
	return -1;
}

int lint_revisions(struct cmd_ctx *ctx, const struct vec *revs, struct vec *findings)
{
	struct lint_options lo = { NULL };
	if (!configure(ctx, &lo) || !small_rows(ctx, &lo.small_rows))
		return EXIT_USAGE;
	struct hmap rows;
	hmap_init(&rows, ctx->arena);
	if (ctx->cfg.url && revs->len) {
		int rc = read_rows(ctx, &rows);
		if (rc >= 0)
			return rc;
		lo.rows = &rows;
	}
	for (size_t i = 0; i < revs->len; i++)
		lint_revision(ctx->arena, revs->items[i], &lo, findings);
	return -1;
}

static void print_rules(void)
{
	for (size_t i = 0; i < lint_rule_count(); i++) {
		const struct lint_rule_info *r = lint_rule_at(i);
		printf("%-45s %-7s %s\n", r->name, level_name(r->level), r->summary);
	}
}

int cmd_lint(struct cmd_ctx *ctx)
{
	const char *format = NULL;
	bool rules = false, models = false;
	const struct opt opts[] = {
		{ "format", 0, true, &format, NULL },
		{ "rules", 0, false, NULL, &rules },
		{ "model-files", 0, false, NULL, &models },
		{ NULL, 0, false, NULL, NULL },
	};
	const char **pos;
	int npos;
	int rc = cmd_parse(ctx, opts, &pos, &npos);
	if (rc >= 0)
		return rc;
	enum lint_format fmt = !format || strcmp(format, "text") == 0 ? FORMAT_TEXT
			       : strcmp(format, "json") == 0 ? FORMAT_JSON
			       : strcmp(format, "github") == 0 ? FORMAT_GITHUB : -1;
	if ((int)fmt < 0) {
		cmd_error(ctx, "usage: c7gen lint [--format text|json|github] [REV|FILE...]");
		return EXIT_USAGE;
	}
	if (rules) {
		print_rules();
		return cmd_finish(ctx, EXIT_OK);
	}
	struct vec revs = { 0 }, findings = { 0 };
	if (models && npos) {
		cmd_error(ctx, "lint --model-files checks the model files, not revisions");
		return EXIT_USAGE;
	}
	rc = models ? -1 : collect(ctx, pos, npos, &revs);
	if (rc >= 0) {
		cmd_report(ctx);
		return rc;
	}
	rc = models ? lint_model_files(ctx, &findings) : lint_revisions(ctx, &revs, &findings);
	if (rc >= 0)
		return rc;
	size_t errors = 0, warnings = 0;
	for (size_t i = 0; i < findings.len; i++)
		*(((const struct lint_finding *)findings.items[i])->level == LINT_ERROR
		  ? &errors : &warnings) += 1;
	if (fmt == FORMAT_JSON)
		print_json(&findings, errors, warnings);
	else if (fmt == FORMAT_GITHUB)
		print_github(&findings);
	else
		print_text(ctx, &findings, ctx->color_err && isatty(STDOUT_FILENO));
	if (fmt == FORMAT_TEXT && findings.len)
		fprintf(stderr, "c7gen: %zu error%s, %zu warning%s in %s\n", errors,
			errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
			models ? "the models"
			       : arena_printf(ctx->arena, "%zu revision%s", revs.len,
					      revs.len == 1 ? "" : "s"));
	return cmd_finish(ctx, errors ? EXIT_FINDINGS : EXIT_OK);
}
