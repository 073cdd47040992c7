/*
 * Region allocator.  Every command run owns one arena; the AST, the IR, the
 * change list and the diagnostics all live in it and die with it, so no
 * stage needs its own free logic.
 */
#ifndef C7_BASE_ARENA_H
#define C7_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Frees every block; NULL is accepted. */
void arena_free(struct arena *a);

/* Zero-filled, 8-byte aligned (enough for pointers, sizes and doubles;
 * nothing needing more lives in an arena). */
#define ARENA_ALIGN 8
void *arena_alloc(struct arena *a, size_t n);
void *arena_array(struct arena *a, size_t count, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Total bytes handed out; used by the benchmark to report memory per input. */
size_t arena_used(const struct arena *a);

#endif
