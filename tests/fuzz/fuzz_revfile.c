/*
 * libFuzzer target: one revision file through the parser (header,
 * sections, UTF-8 and NUL checks) and the statement splitter the runner
 * uses to map server errors back to file lines.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/vec.h"
#include "revs/revs.h"
#include "revs/sqlsplit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct diags d;
	diags_init(&d, a);
	const char *text = arena_strndup(a, (const char *)data, size);
	struct srcfile *f = srcfile_new(a, "migrations/0123456789ab_fuzz.sql", text, size);
	struct revision *r = revs_parse(a, &d, f);
	if (r) {
		struct vec stmts = { 0 };
		if (r->up.sql)
			sql_split(a, r->up.sql, strlen(r->up.sql), &stmts);
		if (r->down.sql)
			sql_split(a, r->down.sql, strlen(r->down.sql), &stmts);
	}
	FILE *sink = fopen("/dev/null", "w");
	if (sink) {
		diags_render(&d, sink, false);
		fclose(sink);
	}
	arena_free(a);
	return 0;
}
