/*
 * Allocation wrappers that never return NULL, and size arithmetic that
 * aborts on overflow instead of wrapping.  Running out of memory in a
 * short-lived CLI is not recoverable in any useful way, so we stop loudly.
 */
#ifndef C7_BASE_XALLOC_H
#define C7_BASE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

size_t size_add(size_t a, size_t b);
size_t size_mul(size_t a, size_t b);

/* A broken internal invariant: print where and abort. */
_Noreturn void bug_at(const char *file, int line, const char *msg);
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))

#endif
