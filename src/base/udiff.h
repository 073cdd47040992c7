/*
 * Unified diffs of two texts, line by line, as `diff -u` and git print
 * them (three lines of context), for `c7gen fmt --diff`.
 */
#ifndef C7_BASE_UDIFF_H
#define C7_BASE_UDIFF_H

#include <stddef.h>

struct strbuf;

/* Appends the diff from `a` to `b` under "--- a/PATH" and "+++ b/PATH"
 * headers, so that `git apply` takes it; nothing when they are equal. */
void udiff(struct strbuf *out, const char *path, const char *a, size_t alen,
	   const char *b, size_t blen);

#endif
