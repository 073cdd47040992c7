/*
 * Growable text buffer on the heap.  All SQL and message text is built with
 * it; `buf` is always NUL-terminated once anything was added.
 */
#ifndef C7_BASE_STRBUF_H
#define C7_BASE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct strbuf {
	char *buf;
	size_t len, cap;
};

#define STRBUF_INIT { 0 }

void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const char *s, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends `n` copies of `c`. */
void strbuf_pad(struct strbuf *sb, char c, size_t n);
/* Characters (UTF-8 code points) in sb->buf[from..len), for aligning
 * columns of names that are not ASCII. */
size_t strbuf_chars(const struct strbuf *sb, size_t from);
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* Never NULL: an empty buffer gives "". */
const char *strbuf_str(const struct strbuf *sb);
/* Copies the text into `a` and resets the buffer. */
char *strbuf_to_arena(struct strbuf *sb, struct arena *a);

#endif
