/*
 * The formatter works on the scanner's tokens, guided by the syntax tree:
 * the tree says where declarations, items, column types, expressions and
 * labels are; the tokens are what gets written, re-spaced, so nothing the
 * author wrote can be dropped.  Bare words are written in lower case (the
 * scanner folds them anyway); quoted names, strings, numbers, labels and
 * expressions keep their spelling.  A comment stays inline when it was
 * inside a line, trails the line it ended, or keeps a line of its own.
 *
 * Declaration kinds are a table (decl_kinds below): a new kind adds its
 * collector, which finds its nodes, marks their types, expressions and
 * raw words, and picks a printer (one line, or a block of items).
 */
#include "emit/fmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "emit/models.h"
#include "lang/ast.h"
#include "lang/parse.h"

/* Stretches of tokens the tree gives a meaning to. */
enum mark_kind {
	MARK_TYPE,  /* a type name: written compactly, "numeric(12,2)" */
	MARK_EXPR,  /* an expression, kept as written */
	MARK_PAREN, /* "( expression )": the same, inside its parentheses */
	MARK_RAW,   /* a word kept exactly as written (enum labels) */
};

struct mark {
	uint32_t start, end;
	enum mark_kind kind;
};

struct fmt;
struct decl;

typedef bool (*decl_printer)(struct fmt *f, const struct decl *d,
			     struct strbuf *sb);

/* One declaration: its tokens [first, last] and how to print it. */
struct decl {
	size_t first, last;
	decl_printer print;
	const void *node;
	/* Comments after it on its last line: [trail_first, trail_end). */
	size_t trail_first, trail_end;
};

struct fmt {
	const char *text;
	struct lex_token **toks;
	size_t ntoks;
	struct mark *marks;
	size_t nmarks, cap;
	struct vec decls; /* of struct decl */
	struct arena *a;  /* scratch, freed when the file is done */
};

/* ---- tokens and positions ------------------------------------------ */

/* Index of the first token starting at or after `offset`. */
static size_t tok_from(const struct fmt *f, uint32_t offset)
{
	size_t lo = 0, hi = f->ntoks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->toks[mid]->start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the last token ending at or before `offset` (tokens are never
 * empty, so one ends at the end of any non-empty span). */
static size_t tok_upto(const struct fmt *f, uint32_t offset)
{
	size_t lo = 0, hi = f->ntoks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->toks[mid]->end <= offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

static bool same_line(const struct fmt *f, size_t from, size_t to)
{
	return to <= from || !memchr(f->text + from, '\n', to - from);
}

/* Whether [from, to) holds a line with nothing but blanks on it. */
static bool blank_line_between(const struct fmt *f, size_t from, size_t to)
{
	bool seen_nl = false;
	for (size_t i = from; i < to; i++) {
		char c = f->text[i];
		if (c == '\n') {
			if (seen_nl)
				return true;
			seen_nl = true;
		} else if (c != ' ' && c != '\t' && c != '\r' && c != '\f' &&
			   c != '\v') {
			seen_nl = false;
		}
	}
	return false;
}

static bool tok_is(const struct fmt *f, size_t i, char c)
{
	const struct lex_token *t = f->toks[i];
	return !t->comment && t->end - t->start == 1 && f->text[t->start] == c;
}

static bool is_line_comment(const struct fmt *f, const struct lex_token *t)
{
	return f->text[t->start] == '-' ||
	       memchr(f->text + t->start, '\n', t->end - t->start) != NULL;
}

/* A comment's text; a line comment without the carriage return of a
 * CRLF line end, since the formatter writes plain line ends. */
static size_t comment_len(const struct fmt *f, const struct lex_token *t)
{
	size_t n = t->end - t->start;
	if (f->text[t->start] == '-' && n > 2 && f->text[t->end - 1] == '\r')
		n--;
	return n;
}

/* Comments that end a line.  A line comment runs to the end of its
 * line, so a comment after it starts a line of its own, at `indent`. */
struct trail {
	struct strbuf sb;
	bool after_line_comment;
	const char *indent;
};

static void add_trail(struct trail *tr, const struct fmt *f,
		      const struct lex_token *t)
{
	if (tr->after_line_comment) {
		strbuf_addch(&tr->sb, '\n');
		strbuf_addstr(&tr->sb, tr->indent);
	} else {
		strbuf_addch(&tr->sb, ' ');
	}
	strbuf_add(&tr->sb, f->text + t->start, comment_len(f, t));
	tr->after_line_comment = f->text[t->start] == '-';
}

static void add_trail_range(struct trail *tr, const struct fmt *f, size_t from,
			    size_t to)
{
	for (size_t i = from; i < to; i++)
		add_trail(tr, f, f->toks[i]);
}

/* ---- marks ---------------------------------------------------------- */

static void mark(struct fmt *f, struct span sp, enum mark_kind kind)
{
	if (sp.end <= sp.start)
		return;
	if (f->nmarks == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 64;
		f->marks = xrealloc(f->marks, size_mul(f->cap, sizeof(*f->marks)));
	}
	f->marks[f->nmarks++] = (struct mark){ sp.start, sp.end, kind };
}

static void mark_expr(struct fmt *f, const struct ast_expr *e, bool paren)
{
	if (e)
		mark(f, e->span, paren ? MARK_PAREN : MARK_EXPR);
}

static int cmp_mark(const void *x, const void *y)
{
	const struct mark *a = x, *b = y;
	return a->start < b->start ? -1 : a->start > b->start;
}

static const struct mark *mark_at(const struct fmt *f, uint32_t start)
{
	size_t lo = 0, hi = f->nmarks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->marks[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nmarks && f->marks[lo].start == start ? &f->marks[lo] : NULL;
}

/* ---- one line of tokens ---------------------------------------------- */

enum piece {
	P_NONE, P_WORD, P_NUMBER, P_OP, P_OPEN, P_CLOSE, P_LBRACKET,
	P_RBRACKET, P_COMMA, P_DOT,
};

struct unit {
	struct strbuf *sb;
	enum piece prev;
	bool type_mode; /* inside a type: "varchar(20)", "numeric(12,2)" */
	struct trail *trail; /* if set, comments go here instead */
};

static enum piece classify(const char *s, size_t n)
{
	char c = s[0];
	switch (c) {
	case '(': return P_OPEN;
	case ')': return P_CLOSE;
	case '[': return P_LBRACKET;
	case ']': return P_RBRACKET;
	case ',': return P_COMMA;
	case '.': return n > 1 ? P_NUMBER : P_DOT;
	case ':': return P_DOT; /* "::" binds like a dot */
	default: break;
	}
	if (c >= '0' && c <= '9')
		return P_NUMBER;
	if (strchr("+-*/<>=~!@#%^&|`?", c))
		return P_OP;
	return P_WORD;
}

static bool needs_space(const struct unit *u, enum piece cur)
{
	enum piece prev = u->prev;
	if (prev == P_NONE)
		return false;
	if (cur == P_CLOSE || cur == P_RBRACKET || cur == P_COMMA ||
	    cur == P_DOT || cur == P_LBRACKET)
		return false;
	if (prev == P_OPEN || prev == P_LBRACKET || prev == P_DOT)
		return false;
	if (prev == P_OP && cur == P_NUMBER)
		return false; /* a signed number: "start -5" */
	if (u->type_mode && (cur == P_OPEN || prev == P_COMMA))
		return false;
	return true;
}

static void put(struct unit *u, enum piece before, enum piece after,
		const char *s, size_t n)
{
	if (needs_space(u, before))
		strbuf_addch(u->sb, ' ');
	strbuf_add(u->sb, s, n);
	u->prev = after;
}

/* A word the scanner folds is written folded; anything quoted as is. */
static void put_token(struct fmt *f, struct unit *u, const struct lex_token *t)
{
	const char *s = f->text + t->start;
	size_t n = t->end - t->start;
	enum piece p = classify(s, n);
	bool quoted = s[0] == '"' || s[0] == '\'' ||
		      (n > 1 && (s[0] == 'e' || s[0] == 'E') && s[1] == '\'');
	if (p != P_WORD || quoted) {
		put(u, p, p, s, n);
		return;
	}
	char *low = arena_strndup(f->a, s, n);
	for (char *c = low; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	put(u, p, p, low, n);
}

static bool has_comment(const struct fmt *f, uint32_t start, uint32_t end)
{
	for (size_t i = tok_from(f, start); i < f->ntoks && f->toks[i]->start < end; i++)
		if (f->toks[i]->comment)
			return true;
	return false;
}

/* An expression on one line without comments gets its blanks collapsed
 * exactly as the parser cleans it, so it means the same text; one that
 * spans lines or holds comments is kept byte for byte. */
static void put_expr(struct fmt *f, struct unit *u, const struct mark *m)
{
	const char *s = f->text + m->start;
	size_t n = m->end - m->start;
	bool open = m->kind == MARK_PAREN;
	enum piece first = open ? P_OPEN : classify(s, n);
	enum piece last = open ? P_CLOSE : P_WORD;
	if (memchr(s, '\n', n) || has_comment(f, m->start, m->end)) {
		put(u, first, last, s, n);
		return;
	}
	if (!open) {
		const char *clean = expr_clean(f->a, s, n);
		put(u, first, last, clean, strlen(clean));
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '(');
	strbuf_addstr(&sb, expr_clean(f->a, s + 1, n - 2));
	strbuf_addch(&sb, ')');
	put(u, first, last, sb.buf, sb.len);
	strbuf_release(&sb);
}

static bool put_range(struct fmt *f, struct unit *u, size_t from, size_t to,
		      bool in_mark);

static bool put_mark(struct fmt *f, struct unit *u, const struct mark *m)
{
	size_t from = tok_from(f, m->start), to = tok_from(f, m->end);
	switch (m->kind) {
	case MARK_EXPR:
	case MARK_PAREN:
		put_expr(f, u, m);
		return true;
	case MARK_RAW:
		put(u, P_WORD, P_WORD, f->text + m->start, m->end - m->start);
		return true;
	case MARK_TYPE: {
		/* The first word is spaced from what came before as usual. */
		bool ok = put_range(f, u, from, from + 1, true);
		u->type_mode = true;
		ok = ok && put_range(f, u, from + 1, to, true);
		u->type_mode = false;
		return ok;
	}
	}
	return false;
}

/* Writes tokens [from, to) on one line.  False when a comment in them
 * ends its line (or spans lines): then the caller keeps the text as
 * written instead. */
static bool put_range(struct fmt *f, struct unit *u, size_t from, size_t to,
		      bool in_mark)
{
	size_t i = from;
	while (i < to) {
		const struct lex_token *t = f->toks[i];
		const struct mark *m = in_mark ? NULL : mark_at(f, t->start);
		if (m) {
			if (!put_mark(f, u, m))
				return false;
			i = tok_from(f, m->end);
			continue;
		}
		if (t->comment && u->trail) {
			add_trail(u->trail, f, t);
		} else if (t->comment) {
			if (is_line_comment(f, t))
				return false;
			put(u, P_WORD, P_WORD, f->text + t->start, t->end - t->start);
		} else {
			put_token(f, u, t);
		}
		i++;
	}
	return true;
}

/* Tokens [from, to) laid out on one line into `out`, or false. */
static bool one_line(struct fmt *f, size_t from, size_t to, struct strbuf *out)
{
	struct unit u = { out, P_NONE, false, NULL };
	return put_range(f, &u, from, to, false);
}

/* Tokens [from, to) on one line, its comments moved to `trail` in their
 * order: for a declaration's own words, where a comment may end a line
 * in the middle ("table users -- people" before the '{'). */
static void one_line_moving_comments(struct fmt *f, size_t from, size_t to,
				     struct strbuf *out, struct trail *trail)
{
	if (one_line(f, from, to, out))
		return;
	strbuf_reset(out);
	struct unit u = { out, P_NONE, false, trail };
	put_range(f, &u, from, to, false);
}

/* The source text from token `from` to token `last`, as written. */
static void as_written(const struct fmt *f, size_t from, size_t last,
		       struct strbuf *out)
{
	size_t s = f->toks[from]->start, e = f->toks[last]->end;
	strbuf_add(out, f->text + s, e - s);
}

/* ---- blocks of items ------------------------------------------------ */

enum line_kind { LINE_TEXT, LINE_COLUMN, LINE_COMMENT };

/* One output line inside a block (it may span lines when kept as
 * written). */
struct line {
	enum line_kind kind;
	bool blank_before;
	struct strbuf text;          /* TEXT, COMMENT */
	struct strbuf name, type, attrs; /* COLUMN */
	struct trail trail;          /* comments that end the line */
};

enum item_shape { ITEM_LINE, ITEM_COLUMN, ITEM_LABEL };

/* An item of a block: its tokens [first, last]; a column also says
 * where its type is. */
struct item {
	size_t first, last;
	enum item_shape shape;
	size_t type_first, type_last;
};

struct block {
	struct line *lines;
	size_t n, cap;
};

#define BODY_INDENT "  "

static struct line *block_add(struct block *b, enum line_kind kind, bool blank)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 16;
		b->lines = xrealloc(b->lines, size_mul(b->cap, sizeof(*b->lines)));
	}
	struct line *l = &b->lines[b->n++];
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->blank_before = blank;
	l->trail.indent = BODY_INDENT;
	return l;
}

static void block_release(struct block *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct line *l = &b->lines[i];
		strbuf_release(&l->text);
		strbuf_release(&l->name);
		strbuf_release(&l->type);
		strbuf_release(&l->attrs);
		strbuf_release(&l->trail.sb);
	}
	free(b->lines);
}

static void render_item(struct fmt *f, const struct item *it, struct line *l)
{
	if (it->shape == ITEM_COLUMN) {
		l->kind = LINE_COLUMN;
		if (one_line(f, it->first, it->type_first, &l->name) &&
		    one_line(f, it->type_first, it->type_last + 1, &l->type) &&
		    one_line(f, it->type_last + 1, it->last + 1, &l->attrs))
			return;
		l->kind = LINE_TEXT;
		as_written(f, it->first, it->last, &l->text);
		return;
	}
	if (!one_line(f, it->first, it->last + 1, &l->text)) {
		strbuf_reset(&l->text);
		as_written(f, it->first, it->last, &l->text);
	}
	if (it->shape == ITEM_LABEL)
		strbuf_addch(&l->text, ',');
}

/* The lines between tokens `open` ('{') and `close` ('}'): the items and
 * the comments around them.  Comments on the line of the '{' go to
 * `header_trail`.  False if a token belongs to nothing known. */
static bool block_lines(struct fmt *f, size_t open, size_t close,
			const struct item *items, size_t nitems,
			struct block *b, struct trail *header_trail)
{
	size_t prev_end = f->toks[open]->end;
	struct trail *trail = header_trail;
	size_t k = 0;
	for (size_t i = open + 1; i < close; i++) {
		const struct lex_token *t = f->toks[i];
		bool blank = b->n && blank_line_between(f, prev_end, t->start);
		if (k < nitems && i == items[k].first) {
			struct line *l = block_add(b, LINE_TEXT, blank);
			render_item(f, &items[k], l);
			trail = &l->trail;
			i = items[k].last;
			prev_end = f->toks[i]->end;
			k++;
		} else if (t->comment) {
			if (same_line(f, prev_end, t->start)) {
				add_trail(trail, f, t);
			} else {
				struct line *l = block_add(b, LINE_COMMENT, blank);
				strbuf_add(&l->text, f->text + t->start, comment_len(f, t));
				trail = &l->trail;
			}
			prev_end = t->end;
		} else if (!tok_is(f, i, ';') && !tok_is(f, i, ',')) {
			return false;
		}
	}
	return k == nitems;
}

/* Column lines align in groups: a blank line or another item ends one. */
static void block_print(const struct block *b, struct strbuf *sb)
{
	size_t group_end = 0;
	struct models_columns w = { 0, 0 };
	for (size_t i = 0; i < b->n; i++) {
		const struct line *l = &b->lines[i];
		if (i >= group_end && l->kind == LINE_COLUMN) {
			w = (struct models_columns){ 0, 0 };
			size_t j = i;
			for (; j < b->n; j++) {
				const struct line *m = &b->lines[j];
				if (j > i && (m->blank_before || m->kind == LINE_TEXT))
					break;
				if (m->kind == LINE_COLUMN)
					models_columns_measure(&w, strbuf_str(&m->name),
							       strbuf_str(&m->type));
			}
			group_end = j;
		}
		if (l->blank_before && i > 0)
			strbuf_addch(sb, '\n');
		if (l->kind == LINE_COLUMN) {
			models_columns_line(sb, &w, strbuf_str(&l->name),
					    strbuf_str(&l->type), strbuf_str(&l->attrs));
		} else {
			strbuf_addstr(sb, BODY_INDENT);
			strbuf_addstr(sb, strbuf_str(&l->text));
		}
		strbuf_addstr(sb, strbuf_str(&l->trail.sb));
		strbuf_addch(sb, '\n');
	}
}

/* Index of the '{' opening a declaration's body. */
static size_t find_open(const struct fmt *f, const struct decl *d)
{
	size_t i = d->first;
	while (i < d->last && !tok_is(f, i, '{'))
		i++;
	return i;
}

/* "HEADER {", the items one per line, "}". */
static bool print_block(struct fmt *f, const struct decl *d,
			const struct item *items, size_t nitems,
			struct strbuf *sb)
{
	size_t open = find_open(f, d);
	if (open >= d->last || !tok_is(f, d->last, '}'))
		return false;
	struct strbuf header = STRBUF_INIT;
	struct trail trail = { STRBUF_INIT, false, BODY_INDENT };
	one_line_moving_comments(f, d->first, open, &header, &trail);
	strbuf_addstr(sb, strbuf_str(&header));
	strbuf_addstr(sb, " {");
	strbuf_release(&header);
	struct block b = { 0 };
	bool ok = block_lines(f, open, d->last, items, nitems, &b, &trail);
	if (ok) {
		strbuf_addstr(sb, strbuf_str(&trail.sb));
		strbuf_addch(sb, '\n');
		block_print(&b, sb);
		struct trail end = { STRBUF_INIT, false, "" };
		add_trail_range(&end, f, d->trail_first, d->trail_end);
		strbuf_addch(sb, '}');
		strbuf_addstr(sb, strbuf_str(&end.sb));
		strbuf_addch(sb, '\n');
		strbuf_release(&end.sb);
	}
	strbuf_release(&trail.sb);
	block_release(&b);
	return ok;
}

/* ---- declaration kinds ---------------------------------------------- */

static struct decl *add_decl(struct fmt *f, struct span sp, decl_printer print,
			     const void *node)
{
	struct decl *d = arena_alloc(f->a, sizeof(*d));
	d->first = tok_from(f, sp.start);
	d->last = tok_upto(f, sp.end);
	d->print = print;
	d->node = node;
	vec_push(f->a, &f->decls, d);
	return d;
}

static bool print_line(struct fmt *f, const struct decl *d, struct strbuf *sb)
{
	struct strbuf line = STRBUF_INIT;
	struct trail trail = { STRBUF_INIT, false, "" };
	one_line_moving_comments(f, d->first, d->last + 1, &line, &trail);
	add_trail_range(&trail, f, d->trail_first, d->trail_end);
	strbuf_addstr(sb, strbuf_str(&line));
	strbuf_addstr(sb, strbuf_str(&trail.sb));
	strbuf_addch(sb, '\n');
	strbuf_release(&line);
	strbuf_release(&trail.sb);
	return true;
}

static struct item item_of(const struct fmt *f, struct span sp,
			   enum item_shape shape)
{
	struct item it = { 0 };
	it.first = tok_from(f, sp.start);
	it.last = tok_upto(f, sp.end);
	it.shape = shape;
	return it;
}

static bool print_table(struct fmt *f, const struct decl *d, struct strbuf *sb)
{
	const struct ast_table *t = d->node;
	size_t n = t->items.len;
	struct item *items = xcalloc(n ? n : 1, sizeof(*items));
	for (size_t i = 0; i < n; i++) {
		const struct ast_item *ai = t->items.items[i];
		bool column = ai->kind == AST_ITEM_COLUMN;
		items[i] = item_of(f, ai->span, column ? ITEM_COLUMN : ITEM_LINE);
		if (column) {
			items[i].type_first = tok_from(f, ai->column->type.span.start);
			items[i].type_last = tok_upto(f, ai->column->type.span.end);
		}
	}
	bool ok = print_block(f, d, items, n, sb);
	free(items);
	return ok;
}

static struct span label_span(const struct ast_label *l)
{
	struct span sp = l->span;
	if (l->renamed_from)
		sp.end = l->renamed_from->span.end;
	return sp;
}

/* An enum written on one line without comments stays on one line. */
static bool print_enum(struct fmt *f, const struct decl *d, struct strbuf *sb)
{
	const struct ast_enum *e = d->node;
	size_t open = find_open(f, d);
	if (open >= d->last)
		return false;
	bool commented = false;
	for (size_t i = d->first; i < d->last; i++)
		commented |= f->toks[i]->comment;
	if (commented || !same_line(f, f->toks[open]->start, f->toks[d->last]->start)) {
		size_t n = e->labels.len;
		struct item *items = xcalloc(n ? n : 1, sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = item_of(f, label_span(e->labels.items[i]), ITEM_LABEL);
		bool ok = print_block(f, d, items, n, sb);
		free(items);
		return ok;
	}
	if (!one_line(f, d->first, open, sb))
		return false;
	strbuf_addstr(sb, e->labels.len ? " { " : " {");
	for (size_t i = 0; i < e->labels.len; i++) {
		struct item it = item_of(f, label_span(e->labels.items[i]), ITEM_LABEL);
		if (i)
			strbuf_addstr(sb, ", ");
		if (!one_line(f, it.first, it.last + 1, sb))
			return false;
	}
	strbuf_addstr(sb, e->labels.len ? " }" : "}");
	struct trail end = { STRBUF_INIT, false, "" };
	add_trail_range(&end, f, d->trail_first, d->trail_end);
	strbuf_addstr(sb, strbuf_str(&end.sb));
	strbuf_addch(sb, '\n');
	strbuf_release(&end.sb);
	return true;
}

static void mark_type(struct fmt *f, const struct ast_type *t)
{
	mark(f, t->span, MARK_TYPE);
}

static void mark_column(struct fmt *f, const struct ast_column *c)
{
	mark_type(f, &c->type);
	for (size_t i = 0; i < c->attrs.len; i++) {
		const struct ast_attr *at = c->attrs.items[i];
		mark_expr(f, at->expr, at->kind != AST_ATTR_DEFAULT);
	}
}

static void mark_item(struct fmt *f, const struct ast_item *it)
{
	switch (it->kind) {
	case AST_ITEM_COLUMN:
		mark_column(f, it->column);
		return;
	case AST_ITEM_INDEX:
		for (size_t i = 0; i < it->elems.len; i++) {
			const struct ast_index_elem *e = it->elems.items[i];
			mark_expr(f, e->expr, false);
		}
		mark_expr(f, it->where, true);
		break;
	case AST_ITEM_CHECK:
		mark_expr(f, it->expr, true);
		break;
	case AST_ITEM_EXCLUDE:
		mark_expr(f, it->expr, true);
		mark_expr(f, it->where, true);
		break;
	default:
		break;
	}
	if (it->mods)
		mark_expr(f, it->mods->with, true);
}

static void collect_tables(struct fmt *f, const struct ast_model *m)
{
	for (size_t i = 0; i < m->tables.len; i++) {
		const struct ast_table *t = m->tables.items[i];
		add_decl(f, t->span, print_table, t);
		for (size_t k = 0; k < t->items.len; k++)
			mark_item(f, t->items.items[k]);
	}
}

static void collect_enums(struct fmt *f, const struct ast_model *m)
{
	for (size_t i = 0; i < m->enums.len; i++) {
		const struct ast_enum *e = m->enums.items[i];
		add_decl(f, e->span, print_enum, e);
		for (size_t k = 0; k < e->labels.len; k++) {
			const struct ast_label *l = e->labels.items[k];
			mark(f, l->span, MARK_RAW);
			if (l->renamed_from)
				mark(f, l->renamed_from->span, MARK_RAW);
		}
	}
}

static void collect_sequences(struct fmt *f, const struct ast_model *m)
{
	for (size_t i = 0; i < m->sequences.len; i++) {
		const struct ast_sequence *q = m->sequences.items[i];
		add_decl(f, q->span, print_line, q);
		for (size_t k = 0; k < q->options.len; k++) {
			const struct ast_seq_option *o = q->options.items[k];
			if (o->type)
				mark_type(f, o->type);
		}
	}
}

static void collect_extensions(struct fmt *f, const struct ast_model *m)
{
	for (size_t i = 0; i < m->extensions.len; i++) {
		const struct ast_extension *x = m->extensions.items[i];
		add_decl(f, x->span, print_line, x);
	}
}

/* The tree keeps only a schema declaration's name; the keyword is the
 * token before it. */
static void collect_schemas(struct fmt *f, const struct ast_model *m)
{
	for (size_t i = 0; i < m->schemas.len; i++) {
		const struct ast_name *n = m->schemas.items[i];
		struct decl *d = add_decl(f, n->span, print_line, n);
		while (d->first > 0 && f->toks[d->first - 1]->comment)
			d->first--;
		if (d->first > 0)
			d->first--;
	}
}

static void (*const decl_kinds[])(struct fmt *f, const struct ast_model *m) = {
	collect_schemas, collect_extensions, collect_enums, collect_sequences,
	collect_tables,
};

/* ---- the file ------------------------------------------------------- */

static int cmp_decl(const void *x, const void *y)
{
	const struct decl *a = x, *b = y;
	return a->first < b->first ? -1 : a->first > b->first;
}

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k;
}

/* The comments after token `k` on its line (and after them, on theirs):
 * the end of the range. */
static size_t trailing_comments(const struct fmt *f, size_t k)
{
	size_t prev_end = f->toks[k]->end, j = k + 1;
	while (j < f->ntoks && f->toks[j]->comment &&
	       same_line(f, prev_end, f->toks[j]->start)) {
		prev_end = f->toks[j]->end;
		j++;
	}
	return j;
}

/* Declarations and the comments between them.  A blank line separates
 * what was separated, and always surrounds declarations of several lines,
 * except from the comments right above them. */
static bool print_file(struct fmt *f, struct strbuf *out)
{
	size_t k = 0, prev_end = 0;
	bool have_prev = false, prev_decl = false, prev_multi = false;
	struct strbuf one = STRBUF_INIT;
	bool ok = true;
	for (size_t i = 0; i < f->ntoks && ok; i++) {
		const struct lex_token *t = f->toks[i];
		struct decl *d = k < f->decls.len ? f->decls.items[k] : NULL;
		bool is_decl = d && d->first == i;
		if (!is_decl && !t->comment) {
			ok = false;
			break;
		}
		strbuf_reset(&one);
		size_t start = t->start;
		if (is_decl) {
			d->trail_first = d->last + 1;
			d->trail_end = trailing_comments(f, d->last);
			ok = d->print(f, d, &one);
			i = d->trail_end - 1;
			k++;
		} else {
			struct trail tr = { STRBUF_INIT, false, "" };
			size_t end = trailing_comments(f, i);
			add_trail_range(&tr, f, i + 1, end);
			strbuf_add(&one, f->text + t->start, comment_len(f, t));
			strbuf_addstr(&one, strbuf_str(&tr.sb));
			strbuf_addch(&one, '\n');
			strbuf_release(&tr.sb);
			i = end - 1;
		}
		bool multi = count_lines(strbuf_str(&one), one.len) > 1;
		if (have_prev && (blank_line_between(f, prev_end, start) ||
				  (prev_decl && prev_multi) || (is_decl && multi && prev_decl)))
			strbuf_addch(out, '\n');
		strbuf_add(out, strbuf_str(&one), one.len);
		prev_end = f->toks[i]->end;
		have_prev = true;
		prev_decl = is_decl;
		prev_multi = multi;
	}
	strbuf_release(&one);
	return ok && k == f->decls.len;
}

bool fmt_model(struct strbuf *out, const struct fmt_input *in)
{
	struct fmt f = { 0 };
	f.text = in->text;
	f.toks = (struct lex_token **)in->tokens->items;
	f.ntoks = in->tokens->len;
	f.a = arena_new();
	for (size_t i = 0; i < sizeof(decl_kinds) / sizeof(*decl_kinds); i++)
		decl_kinds[i](&f, in->model);
	if (f.nmarks)
		qsort(f.marks, f.nmarks, sizeof(*f.marks), cmp_mark);
	vec_sort(f.a, &f.decls, cmp_decl);
	bool ok = print_file(&f, out);
	free(f.marks);
	arena_free(f.a);
	return ok;
}
