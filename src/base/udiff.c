#include "base/udiff.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

#define CONTEXT 3
/* Beyond this many differing lines the middle is shown as replaced
 * wholesale: still a correct diff, without the quadratic memory of the
 * search for a shortest one. */
#define MAX_EDITS 4000

struct line {
	const char *s;
	size_t n;    /* without the line end */
	bool has_nl;
};

struct lines {
	struct line *v;
	size_t n;
};

static void split(struct lines *l, const char *s, size_t len)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += s[i] == '\n';
	l->v = xcalloc(cap, sizeof(*l->v));
	l->n = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len;
		l->v[l->n++] = (struct line){ s + i, e - i, nl != NULL };
		i = nl ? e + 1 : len;
	}
}

static bool same(const struct line *x, const struct line *y)
{
	return x->n == y->n && x->has_nl == y->has_nl && memcmp(x->s, y->s, x->n) == 0;
}

/* One step of the edit script: keep, delete (from a) or insert (from b). */
enum op { KEEP, DEL, INS };

struct script {
	enum op *ops;
	size_t n, cap;
};

static void push(struct script *sc, enum op o)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 256;
		sc->ops = xrealloc(sc->ops, size_mul(sc->cap, sizeof(*sc->ops)));
	}
	sc->ops[sc->n++] = o;
}

/* Myers' greedy search for a shortest edit script between a[0..n) and
 * b[0..m), keeping each round's frontier to walk back through. */
static bool myers(const struct line *a, size_t n, const struct line *b, size_t m,
		  struct script *sc)
{
	long max = (long)(n + m);
	if (max > MAX_EDITS)
		max = MAX_EDITS;
	long off = max + 1;
	size_t width = (size_t)(2 * max + 3);
	long *v = xcalloc(width, sizeof(long));
	long **trace = xcalloc((size_t)max + 1, sizeof(long *));
	long found = -1;
	for (long d = 0; d <= max && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				 ? v[off + k + 1] : v[off + k - 1] + 1;
			long y = x - k;
			while (x < (long)n && y < (long)m && same(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[off + k] = x;
			if (x >= (long)n && y >= (long)m) {
				found = d;
				break;
			}
		}
		trace[d] = xmalloc(width * sizeof(long));
		memcpy(trace[d], v, width * sizeof(long));
	}
	if (found >= 0) {
		/* Walk back from (n, m), collecting operations in reverse. */
		struct script rev = { 0 };
		long x = (long)n, y = (long)m;
		for (long d = found; d > 0; d--) {
			const long *pv = trace[d - 1];
			long k = x - y;
			long pk = (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1]))
				  ? k + 1 : k - 1;
			long px = pv[off + pk], py = px - pk;
			while (x > px && y > py) {
				push(&rev, KEEP);
				x--;
				y--;
			}
			push(&rev, pk == k + 1 ? INS : DEL);
			x = px;
			y = py;
		}
		while (x > 0 && y > 0) {
			push(&rev, KEEP);
			x--;
			y--;
		}
		for (size_t i = rev.n; i-- > 0;)
			push(sc, rev.ops[i]);
		free(rev.ops);
	}
	for (long d = 0; d <= max; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return found >= 0;
}

static void script_of(const struct lines *a, const struct lines *b,
		      struct script *sc)
{
	size_t pre = 0, post = 0;
	while (pre < a->n && pre < b->n && same(&a->v[pre], &b->v[pre]))
		pre++;
	while (post < a->n - pre && post < b->n - pre &&
	       same(&a->v[a->n - 1 - post], &b->v[b->n - 1 - post]))
		post++;
	for (size_t i = 0; i < pre; i++)
		push(sc, KEEP);
	size_t an = a->n - pre - post, bn = b->n - pre - post;
	if (!myers(a->v + pre, an, b->v + pre, bn, sc)) {
		for (size_t i = 0; i < an; i++)
			push(sc, DEL);
		for (size_t i = 0; i < bn; i++)
			push(sc, INS);
	}
	for (size_t i = 0; i < post; i++)
		push(sc, KEEP);
}

static void add_line(struct strbuf *out, char tag, const struct line *l)
{
	strbuf_addch(out, tag);
	strbuf_add(out, l->s, l->n);
	strbuf_addch(out, '\n');
	if (!l->has_nl)
		strbuf_addstr(out, "\\ No newline at end of file\n");
}

/* "@@ -1,3 +1,4 @@": an empty range is written as the line before it. */
static void range(struct strbuf *out, char sign, size_t start, size_t count)
{
	strbuf_addf(out, "%c%zu", sign, count ? start + 1 : start);
	if (count != 1)
		strbuf_addf(out, ",%zu", count);
}

static void hunks(struct strbuf *out, const struct lines *a, const struct lines *b,
		  const struct script *sc)
{
	size_t i = 0;
	size_t ai = 0, bi = 0; /* line numbers at ops[i] */
	while (i < sc->n) {
		if (sc->ops[i] == KEEP) {
			i++;
			ai++;
			bi++;
			continue;
		}
		/* A hunk: from CONTEXT keeps before the change to where a run
		 * of more than 2 * CONTEXT keeps (or the end) follows. */
		size_t back = 0;
		while (back < CONTEXT && back < i && sc->ops[i - back - 1] == KEEP)
			back++;
		size_t start = i - back, end = i;
		for (;;) {
			while (end < sc->n && sc->ops[end] != KEEP)
				end++;
			size_t keeps = 0;
			while (end + keeps < sc->n && sc->ops[end + keeps] == KEEP)
				keeps++;
			if (end + keeps == sc->n || keeps > 2 * CONTEXT) {
				end += keeps < CONTEXT ? keeps : CONTEXT;
				break;
			}
			end += keeps;
		}
		size_t as = ai - back, bs = bi - back, ac = 0, bc = 0;
		for (size_t k = start; k < end; k++) {
			ac += sc->ops[k] != INS;
			bc += sc->ops[k] != DEL;
		}
		strbuf_addstr(out, "@@ ");
		range(out, '-', as, ac);
		strbuf_addch(out, ' ');
		range(out, '+', bs, bc);
		strbuf_addstr(out, " @@\n");
		size_t x = as, y = bs;
		for (size_t k = start; k < end; k++) {
			if (sc->ops[k] == KEEP) {
				add_line(out, ' ', &a->v[x++]);
				y++;
			} else if (sc->ops[k] == DEL) {
				add_line(out, '-', &a->v[x++]);
			} else {
				add_line(out, '+', &b->v[y++]);
			}
		}
		ai = x;
		bi = y;
		i = end;
	}
}

void udiff(struct strbuf *out, const char *path, const char *a, size_t alen,
	   const char *b, size_t blen)
{
	if (alen == blen && memcmp(a, b, alen) == 0)
		return;
	struct lines la, lb;
	split(&la, a, alen);
	split(&lb, b, blen);
	struct script sc = { 0 };
	script_of(&la, &lb, &sc);
	strbuf_addf(out, "--- a/%s\n+++ b/%s\n", path, path);
	hunks(out, &la, &lb, &sc);
	free(sc.ops);
	free(la.v);
	free(lb.v);
}
