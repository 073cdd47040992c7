/* The lint run over one revision: statements, ignores, findings. */
#include "lint/lint_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/xalloc.h"
#include "revs/revs.h"
#include "sql/sql.h"

#define IGNORE_PREFIX "-- c7gen-lint:"
#define INVALID_IGNORE "invalid-ignore"

/* A `-- c7gen-lint: ignore RULE[, RULE] (reason)` line. */
struct lint_ignore {
	size_t at;        /* offset of the line */
	struct vec rules; /* of const char * */
	bool file_wide;   /* in the header: the whole file */
};

size_t lint_rule_count(void)
{
	return lint_nrules;
}

const struct lint_rule_info *lint_rule_at(size_t i)
{
	return &lint_rules[i].info;
}

int lint_rule_find(const char *name)
{
	for (size_t i = 0; i < lint_nrules; i++)
		if (strcmp(lint_rules[i].info.name, name) == 0)
			return (int)i;
	return -1;
}

static enum lint_level level_of(const struct lint_run *run, const struct lint_rule *rule)
{
	const enum lint_level *levels = run->opts ? run->opts->levels : NULL;
	return levels ? levels[rule - lint_rules] : rule->info.level;
}

/* True if an ignore comment covers `rule` for a statement whose leading
 * comments are [lead, start): its own ignores are there. */
static bool ignored(const struct lint_run *run, const char *rule, size_t lead, size_t start)
{
	for (size_t i = 0; i < run->ignores.len; i++) {
		const struct lint_ignore *ig = run->ignores.items[i];
		bool applies = ig->file_wide || (ig->at >= lead && ig->at < start);
		for (size_t k = 0; applies && k < ig->rules.len; k++)
			if (strcmp(ig->rules.items[k], rule) == 0)
				return true;
	}
	return false;
}

/* The span a caret marks: the word at `at`. */
static struct span word_span(const struct lint_run *run, size_t at)
{
	struct srcfile *f = run->rev->file;
	size_t end = at;
	while (end < f->len && !strchr(" \t\r\n;(),", f->text[end]))
		end++;
	struct span sp = { f, (uint32_t)at, (uint32_t)(end > at ? end : at + (at < f->len)) };
	return sp;
}

static void add_finding(struct lint_run *run, const struct lint_rule *rule, size_t at,
			size_t lead, size_t start, const char *message)
{
	enum lint_level level = level_of(run, rule);
	if (level == LINT_OFF || ignored(run, rule->info.name, lead, start))
		return;
	struct lint_finding *f = arena_alloc(run->a, sizeof(*f));
	f->rule = rule->info.name;
	f->level = level;
	f->span = word_span(run, at);
	f->message = message;
	f->hint = rule->hint;
	vec_push(run->a, run->findings, f);
}

void lint_report(struct lint_run *run, size_t at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = arena_vprintf(run->a, fmt, ap);
	va_end(ap);
	add_finding(run, run->rule, at, run->stmt->lead, run->stmt->start, msg);
}

void lint_report_table(struct lint_run *run, size_t at, const PgQuery__RangeVar *rv,
		       const char *fmt, ...)
{
	const long long *rows = run->opts && run->opts->rows
		? hmap_get(run->opts->rows, lint_table_key(run, rv)) : NULL;
	if (rows && *rows >= 0 && *rows < run->opts->small_rows)
		return;
	va_list ap;
	va_start(ap, fmt);
	const char *msg = arena_vprintf(run->a, fmt, ap);
	va_end(ap);
	if (rows && *rows >= 0)
		msg = arena_printf(run->a, "%s (about %lld rows)", msg, *rows);
	else if (rows)
		msg = arena_printf(run->a, "%s (size unknown: never analysed)", msg);
	add_finding(run, run->rule, at, run->stmt->lead, run->stmt->start, msg);
}

void lint_report_at(struct lint_run *run, size_t at, size_t lead, size_t start,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	const char *msg = arena_vprintf(run->a, fmt, ap);
	va_end(ap);
	add_finding(run, run->rule, at, lead, start, msg);
}

size_t lint_at(const struct lint_run *run, int location)
{
	if (location < 0)
		return run->stmt->start;
	return run->stmt->step->offset + (size_t)location;
}

/* Reads one ignore line: the rule names and whether a reason follows. */
static void read_ignore(struct lint_run *run, const char *line, size_t len,
			struct lint_ignore *ig)
{
	struct srcfile *f = run->rev->file;
	const struct lint_rule *meta = &lint_rules[lint_rule_find(INVALID_IGNORE)];
	const char *p = line + strlen(IGNORE_PREFIX), *end = line + len;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 6 || strncmp(p, "ignore", 6) != 0) {
		add_finding(run, meta, ig->at, 0, 0, "a c7gen-lint comment says 'ignore RULE (reason)'");
		return;
	}
	p += 6;
	const char *open = memchr(p, '(', (size_t)(end - p));
	const char *stop = open ? open : end;
	while (p < stop) {
		while (p < stop && strchr(" \t,", *p))
			p++;
		const char *w = p;
		while (p < stop && !strchr(" \t,", *p))
			p++;
		if (p == w)
			continue;
		const char *name = arena_strndup(run->a, w, (size_t)(p - w));
		if (lint_rule_find(name) < 0)
			add_finding(run, meta, (size_t)(w - f->text), 0, 0,
				    arena_printf(run->a, "unknown rule '%s'", name));
		vec_push(run->a, &ig->rules, (void *)name);
	}
	const char *close = open ? memchr(open, ')', (size_t)(end - open)) : NULL;
	bool reason = false;
	for (const char *q = open ? open + 1 : end; close && q < close; q++)
		reason = reason || (*q != ' ' && *q != '\t');
	if (!reason)
		add_finding(run, meta, ig->at, 0, 0, "ignore comment without a reason");
}

static void find_ignores(struct lint_run *run)
{
	const struct srcfile *f = run->rev->file;
	size_t header_end = run->rev->up.offset;
	for (size_t pos = 0; pos < f->len;) {
		const char *line = f->text + pos;
		const char *nl = memchr(line, '\n', f->len - pos);
		size_t len = nl ? (size_t)(nl - line) : f->len - pos;
		size_t lead = 0;
		while (lead < len && (line[lead] == ' ' || line[lead] == '\t'))
			lead++;
		if (len - lead >= strlen(IGNORE_PREFIX) &&
		    strncmp(line + lead, IGNORE_PREFIX, strlen(IGNORE_PREFIX)) == 0) {
			struct lint_ignore *ig = arena_alloc(run->a, sizeof(*ig));
			ig->at = pos + lead;
			ig->file_wide = pos < header_end;
			read_ignore(run, line + lead, len - lead, ig);
			vec_push(run->a, &run->ignores, ig);
		}
		pos += len + (nl ? 1 : 0);
	}
}

static void remember_table(struct lint_run *run, const PgQuery__Node *n)
{
	const PgQuery__RangeVar *rv = NULL;
	if (n->node_case == PG_QUERY__NODE__NODE_CREATE_STMT)
		rv = n->create_stmt->relation;
	else if (n->node_case == PG_QUERY__NODE__NODE_CREATE_TABLE_AS_STMT)
		rv = n->create_table_as_stmt->into->rel;
	if (rv) {
		const char *key = lint_table_key(run, rv);
		hmap_put(&run->created, key, (void *)key);
	}
}

static void lint_statement(struct lint_run *run, const struct lint_stmt *st)
{
	run->stmt = st;
	for (size_t i = 0; i < lint_nrules; i++) {
		run->rule = &lint_rules[i];
		if (run->rule->check)
			run->rule->check(run, st);
	}
	remember_table(run, st->node);
}

static void lint_step(struct lint_run *run, const struct rev_step *step)
{
	struct sql_error err;
	struct vec stmts = { 0 };
	PgQuery__ParseResult *tree = sql_parse(run->a, step->sql, &err);
	/* revs_parse has rejected files the parser rejects. */
	if (!tree)
		BUG("a step the parser rejects was loaded (revs_parse checks them)");
	sql_tree_stmts(run->a, step->sql, tree, &stmts);
	for (size_t i = 0; i < tree->n_stmts; i++) {
		const struct sql_stmt *one = stmts.items[i];
		struct lint_stmt st = {
			.node = tree->stmts[i]->stmt,
			.step = step,
			.lead = step->offset + one->offset,
			.start = step->offset + one->start,
			.end = step->offset + one->offset + one->len,
			.in_transaction = !step->no_transaction,
		};
		lint_statement(run, &st);
	}
	sql_tree_free(tree);
}

static int by_place(const void *x, const void *y)
{
	const struct lint_finding *a = *(const struct lint_finding *const *)x;
	const struct lint_finding *b = *(const struct lint_finding *const *)y;
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

void lint_revision(struct arena *a, const struct revision *r,
		   const struct lint_options *o, struct vec *findings)
{
	struct vec mine = { 0 };
	struct lint_run run = { .a = a, .rev = r, .opts = o, .findings = &mine };
	hmap_init(&run.created, a);
	find_ignores(&run);
	for (size_t i = 0; i < r->up.nsteps; i++)
		lint_step(&run, &r->up.steps[i]);
	run.stmt = NULL;
	for (size_t i = 0; i < lint_nrules; i++) {
		run.rule = &lint_rules[i];
		if (run.rule->finish)
			run.rule->finish(&run);
	}
	/* qsort's base must not be NULL, even for no items. */
	if (mine.len > 1)
		qsort(mine.items, mine.len, sizeof(mine.items[0]), by_place);
	for (size_t i = 0; i < mine.len; i++)
		vec_push(a, findings, mine.items[i]);
}

void lint_models(struct arena *a, const struct ir_schema *s, const struct lint_options *o,
		 struct vec *findings)
{
	const struct lint_rule *rule = &lint_rules[lint_rule_find("foreign-key-without-index")];
	struct lint_run run = { .opts = o };
	enum lint_level level = level_of(&run, rule);
	if (level != LINT_OFF)
		lint_foreign_key_without_index_models(a, s, level, findings);
}
