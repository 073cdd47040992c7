#include "base/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void die_oom(size_t n)
{
	fprintf(stderr, "c7gen: fatal: out of memory (allocating %zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		die_oom(size_mul(n, size));
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(size_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

size_t size_add(size_t a, size_t b)
{
	if (a > SIZE_MAX - b)
		BUG("size overflow in addition");
	return a + b;
}

size_t size_mul(size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		BUG("size overflow in multiplication");
	return a * b;
}

_Noreturn void bug_at(const char *file, int line, const char *msg)
{
	fprintf(stderr, "c7gen: BUG at %s:%d: %s\n", file, line, msg);
	abort();
}
