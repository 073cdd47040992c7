#include "revs/stmtinfo.h"

#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"

enum tok_kind { TOK_END, TOK_WORD, TOK_QUOTED, TOK_OTHER };

struct tok {
	enum tok_kind kind;
	const char *start;
	size_t len;
};

struct scan {
	const char *s;
	size_t len, pos;
};

static bool word_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (unsigned char)c >= 0x80 || (!first && ((c >= '0' && c <= '9') || c == '$'));
}

/* Past a line comment or a (nested) block comment starting at i, or i. */
static size_t skip_comment(const struct scan *sc, size_t i)
{
	const char *s = sc->s;
	if (s[i] == '-' && i + 1 < sc->len && s[i + 1] == '-') {
		while (i < sc->len && s[i] != '\n')
			i++;
		return i;
	}
	if (s[i] != '/' || i + 1 >= sc->len || s[i + 1] != '*')
		return i;
	int depth = 0;
	while (i < sc->len) {
		if (s[i] == '/' && i + 1 < sc->len && s[i + 1] == '*') {
			depth++;
			i += 2;
		} else if (s[i] == '*' && i + 1 < sc->len && s[i + 1] == '/') {
			i += 2;
			if (--depth == 0)
				return i;
		} else {
			i++;
		}
	}
	return i;
}

/* Past a quoted run ('...', "...", $tag$...$tag$) starting at i. */
static size_t skip_quoted(const struct scan *sc, size_t i)
{
	const char *s = sc->s;
	char q = s[i];
	if (q == '$') {
		size_t j = i + 1;
		while (j < sc->len && word_char(s[j], j == i + 1) && s[j] != '$')
			j++;
		if (j >= sc->len || s[j] != '$')
			return i + 1;
		size_t tag = j + 1 - i;
		for (size_t k = j + 1; k + tag <= sc->len; k++)
			if (memcmp(s + k, s + i, tag) == 0)
				return k + tag;
		return sc->len;
	}
	bool esc = q == '\'' && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E');
	for (i++; i < sc->len; i++) {
		if (esc && s[i] == '\\') {
			i++;
		} else if (s[i] == q) {
			if (i + 1 < sc->len && s[i + 1] == q)
				i++;
			else
				return i + 1;
		}
	}
	return sc->len;
}

static struct tok next_tok(struct scan *sc)
{
	for (;;) {
		while (sc->pos < sc->len && strchr(" \t\r\n\f", sc->s[sc->pos]))
			sc->pos++;
		if (sc->pos >= sc->len)
			return (struct tok){ TOK_END, sc->s + sc->len, 0 };
		size_t past = skip_comment(sc, sc->pos);
		if (past == sc->pos)
			break;
		sc->pos = past;
	}
	size_t start = sc->pos;
	char c = sc->s[start];
	enum tok_kind kind = TOK_OTHER;
	if (word_char(c, true)) {
		while (sc->pos < sc->len && word_char(sc->s[sc->pos], false))
			sc->pos++;
		/* E'...' is a string, not the word E. */
		if (sc->pos - start == 1 && (c == 'e' || c == 'E') && sc->pos < sc->len &&
		    sc->s[sc->pos] == '\'')
			sc->pos = skip_quoted(sc, sc->pos);
		else
			kind = TOK_WORD;
	} else if (c == '"') {
		sc->pos = skip_quoted(sc, start);
		kind = TOK_QUOTED;
	} else if (c == '\'' || c == '$') {
		sc->pos = skip_quoted(sc, start);
	} else {
		sc->pos++;
	}
	return (struct tok){ kind, sc->s + start, sc->pos - start };
}

static bool is_word(const struct tok *t, const char *w)
{
	if (t->kind != TOK_WORD || t->len != strlen(w))
		return false;
	for (size_t i = 0; i < t->len; i++) {
		char c = t->start[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != w[i])
			return false;
	}
	return true;
}

static bool is_char(const struct tok *t, char c)
{
	return t->kind == TOK_OTHER && t->len == 1 && t->start[0] == c;
}

bool stmt_is_concurrent(const char *sql, size_t len)
{
	struct scan sc = { sql, len, 0 };
	int depth = 0;
	for (struct tok t = next_tok(&sc); t.kind != TOK_END; t = next_tok(&sc)) {
		if (is_char(&t, '('))
			depth++;
		else if (is_char(&t, ')') && depth > 0)
			depth--;
		else if (depth == 0 && is_word(&t, "concurrently"))
			return true;
	}
	return false;
}

/* A name as the server stores it: unquoted folded to lower case, quoted
 * taken exactly with "" undoubled. */
static const char *stored_name(struct arena *a, const struct tok *t)
{
	struct strbuf sb = STRBUF_INIT;
	if (t->kind == TOK_QUOTED) {
		for (size_t i = 1; i + 1 < t->len; i++) {
			strbuf_addch(&sb, t->start[i]);
			if (t->start[i] == '"')
				i++;
		}
	} else {
		for (size_t i = 0; i < t->len; i++) {
			char c = t->start[i];
			strbuf_addch(&sb, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
		}
	}
	const char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
}

static bool is_name(const struct tok *t)
{
	return t->kind == TOK_WORD || (t->kind == TOK_QUOTED && t->len >= 3);
}

bool stmt_index_build(struct arena *a, const char *sql, size_t len,
		      struct index_build *out)
{
	struct scan sc = { sql, len, 0 };
	struct tok t = next_tok(&sc);
	if (!is_word(&t, "create"))
		return false;
	t = next_tok(&sc);
	if (is_word(&t, "unique"))
		t = next_tok(&sc);
	if (!is_word(&t, "index"))
		return false;
	t = next_tok(&sc);
	if (!is_word(&t, "concurrently"))
		return false;
	t = next_tok(&sc);
	if (is_word(&t, "if")) {
		struct tok n = next_tok(&sc), e = next_tok(&sc);
		if (!is_word(&n, "not") || !is_word(&e, "exists"))
			return false;
		t = next_tok(&sc);
	}
	if (!is_name(&t) || is_word(&t, "on"))
		return false;
	struct tok name = t;
	t = next_tok(&sc);
	if (!is_word(&t, "on"))
		return false;
	t = next_tok(&sc);
	if (is_word(&t, "only"))
		t = next_tok(&sc);
	if (!is_name(&t))
		return false;
	const char *table_start = t.start;
	const char *table_end = t.start + t.len;
	for (;;) {
		struct scan peek = sc;
		struct tok dot = next_tok(&peek);
		if (!is_char(&dot, '.'))
			break;
		struct tok part = next_tok(&peek);
		if (!is_name(&part))
			return false;
		table_end = part.start + part.len;
		sc = peek;
	}
	out->index = stored_name(a, &name);
	out->table = arena_strndup(a, table_start, (size_t)(table_end - table_start));
	return true;
}
