/*
 * Diagnostics: one type for every message c7gen reports about its input,
 * one renderer.  Library code only appends; src/cmd/ decides when to print
 * and which exit status follows.
 */
#ifndef C7_BASE_DIAG_H
#define C7_BASE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/vec.h"

struct arena;

/* A loaded text the diagnostics can point into. */
struct srcfile {
	const char *path;
	const char *text;
	size_t len;
	size_t *line_starts; /* built on first use, in `arena` */
	size_t nlines;
	struct arena *arena;
};

/* Byte range [start, end) in `file`; a NULL file means "no location".
 * Offsets are 32-bit to keep the many spans small: inputs over 2 GB are
 * refused before parsing. */
struct span {
	struct srcfile *file;
	uint32_t start, end;
};

enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_note {
	struct span span;
	const char *msg;
};

struct diag {
	enum diag_severity severity;
	struct span span;
	const char *msg;
	struct vec notes; /* of struct diag_note */
	const char *hint;
	size_t seq;
};

struct diags {
	struct arena *arena;
	struct vec list;
	size_t errors, warnings;
	size_t limit;   /* errors kept; later ones are only counted */
	size_t dropped;
	/* Of struct span *: errors and warnings inside them are not reported
	 * (declarations recovered from a syntax error; see lang/sema.c). */
	struct vec muted;
};

#define DIAG_DEFAULT_LIMIT 50

/* `a` owns everything the diagnostics allocate. */
void diags_init(struct diags *d, struct arena *a);
struct srcfile *srcfile_new(struct arena *a, const char *path,
			    const char *text, size_t len);
/* 1-based line and column (column counted in characters). */
void srcfile_linecol(struct srcfile *f, size_t offset, size_t *line,
		     size_t *col);

/* Returns NULL once the limit is reached (the error is still counted),
 * or for a muted span (not counted); the note and hint functions accept
 * NULL. */
struct diag *diag_add(struct diags *d, enum diag_severity sev, struct span sp,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define diag_error(d, sp, ...) diag_add((d), DIAG_ERROR, (sp), __VA_ARGS__)
#define diag_warning(d, sp, ...) diag_add((d), DIAG_WARNING, (sp), __VA_ARGS__)
void diag_note(struct diags *d, struct diag *g, struct span sp,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_hint(struct diags *d, struct diag *g, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints every diagnostic ordered by file and position. */
void diags_render(struct diags *d, FILE *out, bool color);
/* Renders one diagnostic's text into `out` without colour (for JSON, tests). */
void diag_render_one(struct diag *g, FILE *out, bool color);

#define SPAN_NONE ((struct span){ NULL, 0, 0 })

#endif
