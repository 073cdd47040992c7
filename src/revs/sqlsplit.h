/*
 * Splits SQL text into statements at top-level semicolons, the way psql
 * does: quotes, quoted identifiers, dollar quotes and comments (nested
 * block comments included) are respected.  Each statement keeps its byte
 * offset, so server error positions map back to the file.
 */
#ifndef C7_REVS_SQLSPLIT_H
#define C7_REVS_SQLSPLIT_H

#include <stddef.h>

struct arena;
struct vec;

struct sql_stmt {
	const char *text; /* without the terminating ';' */
	size_t offset;    /* of `text` in the input */
	size_t len;
};

/* Appends struct sql_stmt for each statement that is not only whitespace
 * and comments. */
void sql_split(struct arena *a, const char *sql, size_t len, struct vec *out);

#endif
