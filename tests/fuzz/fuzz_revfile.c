/*
 * libFuzzer target: one revision file through the parser (header,
 * sections, steps, UTF-8 and NUL checks, PostgreSQL's parser over every
 * step), the statement splitter (libpg_query) the runner uses to map
 * server errors back to file lines, what the runner reads from the parse
 * tree about concurrent index builds, and every lint rule.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/vec.h"
#include "lint/lint.h"
#include "revs/revs.h"
#include "revs/stmtinfo.h"
#include "sql/sql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	const char *text = arena_strndup(a, (const char *)data, size);
	struct srcfile *f = srcfile_new(a, "migrations/0123456789ab_fuzz.sql", text, size);
	struct revision *r = revs_parse(a, &d, f);
	const struct section *secs[2] = { r ? &r->up : NULL, r ? &r->down : NULL };
	for (int k = 0; k < 2 && r; k++) {
		for (size_t i = 0; i < secs[k]->nsteps; i++) {
			const struct rev_step *st = &secs[k]->steps[i];
			struct vec stmts = { 0 };
			struct sql_error err;
			sql_split(a, st->sql, strlen(st->sql), &stmts, &err);
			for (size_t j = 0; j < stmts.len; j++) {
				const struct sql_stmt *one = stmts.items[j];
				struct index_build ib;
				stmt_is_concurrent(a, one->text, one->len);
				stmt_index_build(a, one->text, one->len, &ib);
			}
		}
	}
	struct vec findings = { 0 };
	if (r)
		lint_revision(a, r, NULL, &findings);
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diags_render(&d, sink, false);
		fclose(sink);
	}
	arena_free(a);
	return 0;
}
