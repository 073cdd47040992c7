#include "base/diag.h"

#include <stdarg.h>
#include <string.h>

#include "base/arena.h"
#include "base/xalloc.h"

/* Lines longer than this are shown as a window around the span. */
#define DIAG_LINE_MAX 160
#define DIAG_WINDOW_BEFORE 60

void diags_init(struct diags *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
	d->limit = DIAG_DEFAULT_LIMIT;
}

struct srcfile *srcfile_new(struct arena *a, const char *path,
			    const char *text, size_t len)
{
	struct srcfile *f = arena_alloc(a, sizeof(*f));
	f->path = arena_strdup(a, path);
	f->text = text;
	f->len = len;
	f->arena = a;
	return f;
}

static void build_lines(struct srcfile *f)
{
	size_t n = 1;
	for (size_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_starts = arena_array(f->arena, n, sizeof(size_t));
	f->line_starts[0] = 0;
	size_t k = 1;
	for (size_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_starts[k++] = i + 1;
	f->nlines = n;
}

static size_t count_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static size_t line_index(struct srcfile *f, size_t offset)
{
	if (!f->line_starts)
		build_lines(f);
	size_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

void srcfile_linecol(struct srcfile *f, size_t offset, size_t *line,
		     size_t *col)
{
	if (offset > f->len)
		offset = f->len;
	size_t li = line_index(f, offset);
	*line = li + 1;
	*col = count_chars(f->text + f->line_starts[li],
			   offset - f->line_starts[li]) + 1;
}

static bool is_muted(const struct diags *d, struct span sp)
{
	for (size_t i = 0; i < d->muted.len; i++) {
		const struct span *m = d->muted.items[i];
		if (sp.file && sp.file == m->file && sp.start >= m->start && sp.end <= m->end)
			return true;
	}
	return false;
}

struct diag *diag_add(struct diags *d, enum diag_severity sev, struct span sp,
		      const char *fmt, ...)
{
	if (sev != DIAG_NOTE && is_muted(d, sp))
		return NULL;
	if (sev == DIAG_ERROR) {
		d->errors++;
		if (d->errors > d->limit) {
			d->dropped++;
			return NULL;
		}
	} else if (sev == DIAG_WARNING) {
		d->warnings++;
	}
	struct diag *g = arena_alloc(d->arena, sizeof(*g));
	g->severity = sev;
	g->span = sp;
	va_list ap;
	va_start(ap, fmt);
	g->msg = arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	g->seq = d->list.len;
	vec_push(d->arena, &d->list, g);
	return g;
}

void diag_note(struct diags *d, struct diag *g, struct span sp,
	       const char *fmt, ...)
{
	if (!g)
		return;
	struct diag_note *n = arena_alloc(d->arena, sizeof(*n));
	n->span = sp;
	va_list ap;
	va_start(ap, fmt);
	n->msg = arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
	vec_push(d->arena, &g->notes, n);
}

void diag_hint(struct diags *d, struct diag *g, const char *fmt, ...)
{
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	g->hint = arena_vprintf(d->arena, fmt, ap);
	va_end(ap);
}

struct palette {
	const char *bold, *red, *magenta, *cyan, *green, *reset;
};

static const struct palette plain = { "", "", "", "", "", "" };
static const struct palette ansi = { "\033[1m", "\033[1;31m", "\033[1;35m",
				     "\033[1;36m", "\033[1;32m", "\033[0m" };

static const char *severity_word(enum diag_severity s, const struct palette *p,
				 const char **colour)
{
	switch (s) {
	case DIAG_ERROR:
		*colour = p->red;
		return "error";
	case DIAG_WARNING:
		*colour = p->magenta;
		return "warning";
	case DIAG_NOTE:
		break;
	}
	*colour = p->cyan;
	return "note";
}

/* Moves `i` back to the start of a UTF-8 sequence. */
static size_t utf8_floor(const char *s, size_t i, size_t lo)
{
	while (i > lo && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static void print_excerpt(struct span sp, FILE *out, const struct palette *p)
{
	struct srcfile *f = sp.file;
	size_t start = sp.start > f->len ? f->len : sp.start;
	size_t li = line_index(f, start);
	size_t lb = f->line_starts[li];
	size_t le = lb;
	while (le < f->len && f->text[le] != '\n')
		le++;
	if (le > lb && f->text[le - 1] == '\r')
		le--;

	size_t from = lb, to = le;
	bool cut_left = false, cut_right = false;
	if (le - lb > DIAG_LINE_MAX) {
		if (start - lb > DIAG_WINDOW_BEFORE) {
			from = utf8_floor(f->text, start - DIAG_WINDOW_BEFORE, lb);
			cut_left = true;
		}
		if (le - from > DIAG_LINE_MAX) {
			to = utf8_floor(f->text, from + DIAG_LINE_MAX, from);
			cut_right = true;
		}
	}
	size_t end = sp.end;
	if (end > to)
		end = to;
	if (end < start)
		end = start;

	fputs("    ", out);
	if (cut_left)
		fputs("...", out);
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)f->text[i];
		/* Control bytes would garble the terminal; show them as '?'. */
		fputc((c < 0x20 && c != '\t') || c == 0x7f ? '?' : c, out);
	}
	if (cut_right)
		fputs("...", out);
	fputc('\n', out);

	fputs("    ", out);
	if (cut_left)
		fputs("   ", out);
	for (size_t i = from; i < start && i < to; i++) {
		if (((unsigned char)f->text[i] & 0xC0) == 0x80)
			continue;
		fputc(f->text[i] == '\t' ? '\t' : ' ', out);
	}
	fputs(p->green, out);
	fputc('^', out);
	size_t width = count_chars(f->text + start, end - start);
	for (size_t i = 1; i < width; i++)
		fputc('~', out);
	fputs(p->reset, out);
	fputc('\n', out);
}

static void print_location(struct span sp, FILE *out, const struct palette *p)
{
	if (!sp.file)
		return;
	size_t line, col;
	srcfile_linecol(sp.file, sp.start, &line, &col);
	fprintf(out, "%s%s:%zu:%zu:%s ", p->bold, sp.file->path, line, col,
		p->reset);
}

static void render_with(struct diag *g, FILE *out, const struct palette *p)
{
	const char *colour;
	const char *word = severity_word(g->severity, p, &colour);
	if (!g->span.file)
		fprintf(out, "%sc7gen:%s ", p->bold, p->reset);
	print_location(g->span, out, p);
	fprintf(out, "%s%s:%s %s\n", colour, word, p->reset, g->msg);
	if (g->span.file)
		print_excerpt(g->span, out, p);
	for (size_t i = 0; i < g->notes.len; i++) {
		struct diag_note *n = g->notes.items[i];
		print_location(n->span, out, p);
		fprintf(out, "%snote:%s %s\n", p->cyan, p->reset, n->msg);
		if (n->span.file)
			print_excerpt(n->span, out, p);
	}
	if (g->hint)
		fprintf(out, "%shint:%s %s\n", p->bold, p->reset, g->hint);
}

void diag_render_one(struct diag *g, FILE *out, bool color)
{
	render_with(g, out, color ? &ansi : &plain);
}

static int diag_order(const void *x, const void *y)
{
	const struct diag *a = x, *b = y;
	if (a->span.file != b->span.file) {
		if (!a->span.file || !b->span.file)
			return a->span.file ? 1 : -1;
		int c = strcmp(a->span.file->path, b->span.file->path);
		if (c)
			return c;
	}
	if (a->span.start != b->span.start)
		return a->span.start < b->span.start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void diags_render(struct diags *d, FILE *out, bool color)
{
	const struct palette *p = color ? &ansi : &plain;
	vec_sort(d->arena, &d->list, diag_order);
	for (size_t i = 0; i < d->list.len; i++)
		render_with(d->list.items[i], out, p);
	if (d->dropped)
		fprintf(out, "c7gen: too many errors; %zu more not shown\n",
			d->dropped);
}
