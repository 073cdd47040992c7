#include "ir/exprtok.h"

#include <string.h>

#include "base/arena.h"
#include "base/vec.h"

static bool ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (unsigned char)c >= 0x80;
}

static bool ident_char(char c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool op_char(char c)
{
	return c && strchr("+-*/<>=~!@#%^&|`?:", c) != NULL;
}

static struct exprtok *push(struct arena *a, struct vec *out,
			    enum exprtok_kind k, const char *text, size_t n)
{
	struct exprtok *t = arena_alloc(a, sizeof(*t));
	t->kind = k;
	t->text = arena_strndup(a, text, n);
	vec_push(a, out, t);
	return t;
}

static size_t scan_quoted(const char *s, size_t i, char q, bool escapes)
{
	size_t j = i + 1;
	while (s[j]) {
		if (escapes && s[j] == '\\' && s[j + 1]) {
			j += 2;
		} else if (s[j] == q && s[j + 1] == q) {
			j += 2;
		} else if (s[j] == q) {
			return j + 1;
		} else {
			j++;
		}
	}
	return j;
}

void exprtok_split(struct arena *a, const char *s, struct vec *out)
{
	size_t i = 0;
	while (s[i]) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			i++;
		} else if ((c == 'e' || c == 'E') && s[i + 1] == '\'') {
			size_t j = scan_quoted(s, i + 1, '\'', true);
			push(a, out, EXPRTOK_STRING, s + i, j - i);
			i = j;
		} else if (c == '\'') {
			size_t j = scan_quoted(s, i, '\'', false);
			push(a, out, EXPRTOK_STRING, s + i, j - i);
			i = j;
		} else if (c == '"') {
			size_t j = scan_quoted(s, i, '"', false);
			struct exprtok *t = arena_alloc(a, sizeof(*t));
			char *name = arena_alloc(a, j - i + 1);
			size_t n = 0;
			for (size_t k = i + 1; k + 1 < j; k++) {
				name[n++] = s[k];
				if (s[k] == '"')
					k++;
			}
			t->kind = EXPRTOK_IDENT;
			t->text = name;
			t->quoted = true;
			vec_push(a, out, t);
			i = j;
		} else if (ident_start(c)) {
			size_t j = i;
			while (ident_char(s[j]))
				j++;
			struct exprtok *t = push(a, out, EXPRTOK_IDENT, s + i, j - i);
			for (char *p = (char *)t->text; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			i = j;
		} else if ((c >= '0' && c <= '9') ||
			   (c == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')) {
			size_t j = i;
			while ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' ||
			       s[j] == 'e' || s[j] == 'E' ||
			       ((s[j] == '+' || s[j] == '-') &&
				(s[j - 1] == 'e' || s[j - 1] == 'E')))
				j++;
			push(a, out, EXPRTOK_NUMBER, s + i, j - i);
			i = j;
		} else if (op_char(c)) {
			size_t j = i;
			while (op_char(s[j]))
				j++;
			push(a, out, EXPRTOK_OP, s + i, j - i);
			i = j;
		} else {
			push(a, out, EXPRTOK_PUNCT, s + i, 1);
			i++;
		}
	}
}

static bool tok_is(const struct exprtok *t, enum exprtok_kind k,
		   const char *text)
{
	return t && t->kind == k && strcmp(t->text, text) == 0;
}

void exprtok_column_refs(struct arena *a, const char *expr, struct vec *out)
{
	struct vec toks = { 0 };
	exprtok_split(a, expr, &toks);
	bool after_cast = false;
	for (size_t i = 0; i < toks.len; i++) {
		struct exprtok *t = toks.items[i];
		struct exprtok *prev = i ? toks.items[i - 1] : NULL;
		struct exprtok *next = i + 1 < toks.len ? toks.items[i + 1] : NULL;
		if (t->kind == EXPRTOK_OP && strcmp(t->text, "::") == 0) {
			after_cast = true;
			continue;
		}
		if (t->kind != EXPRTOK_IDENT) {
			if (!(after_cast && tok_is(t, EXPRTOK_PUNCT, "(")))
				after_cast = false;
			continue;
		}
		/* Type names after "::" run on over words like "varying". */
		if (after_cast)
			continue;
		if (tok_is(prev, EXPRTOK_PUNCT, ".") ||
		    tok_is(next, EXPRTOK_PUNCT, "(") ||
		    tok_is(next, EXPRTOK_PUNCT, "."))
			continue;
		bool seen = false;
		for (size_t k = 0; k < out->len && !seen; k++)
			seen = strcmp(out->items[k], t->text) == 0;
		if (!seen)
			vec_push(a, out, (void *)t->text);
	}
}

/* Index of the ')' matching the '(' at `open`, or `n` if unbalanced. */
static size_t match_paren(struct exprtok **t, size_t open, size_t n)
{
	int depth = 0;
	for (size_t i = open; i < n; i++) {
		if (tok_is(t[i], EXPRTOK_PUNCT, "("))
			depth++;
		else if (tok_is(t[i], EXPRTOK_PUNCT, ")") && --depth == 0)
			return i;
	}
	return n;
}

/* Position of the last "::" outside parentheses, or `n`. */
static size_t last_top_cast(struct exprtok **t, size_t lo, size_t hi)
{
	size_t at = hi;
	int depth = 0;
	for (size_t i = lo; i < hi; i++) {
		if (tok_is(t[i], EXPRTOK_PUNCT, "(") ||
		    tok_is(t[i], EXPRTOK_PUNCT, "["))
			depth++;
		else if (tok_is(t[i], EXPRTOK_PUNCT, ")") ||
			 tok_is(t[i], EXPRTOK_PUNCT, "]"))
			depth--;
		else if (depth == 0 && tok_is(t[i], EXPRTOK_OP, "::"))
			at = i;
	}
	return at;
}

/* Mirrors FigureColnameInternal(): strength 2 for a column or function
 * name, 1 for a fallback such as a cast's type name, 0 for none. */
static int figure_colname(struct exprtok **t, size_t lo, size_t hi,
			  const char **name)
{
	if (lo >= hi)
		return 0;
	if (tok_is(t[lo], EXPRTOK_PUNCT, "(") && match_paren(t, lo, hi) == hi - 1)
		return figure_colname(t, lo + 1, hi - 1, name);

	size_t cast = last_top_cast(t, lo, hi);
	if (cast < hi) {
		int strength = figure_colname(t, lo, cast, name);
		if (strength <= 1 && cast + 1 < hi &&
		    t[cast + 1]->kind == EXPRTOK_IDENT) {
			/* The type's last name part: "a.b::public.mood" -> mood. */
			size_t k = cast + 1;
			while (k + 2 < hi && tok_is(t[k + 1], EXPRTOK_PUNCT, "."))
				k += 2;
			*name = t[k]->text;
			return 1;
		}
		return strength;
	}

	if (t[lo]->kind != EXPRTOK_IDENT)
		return 0;
	/* A dotted name: a column reference, or a function if '(' follows. */
	size_t k = lo;
	while (k + 2 < hi && tok_is(t[k + 1], EXPRTOK_PUNCT, ".") &&
	       t[k + 2]->kind == EXPRTOK_IDENT)
		k += 2;
	if (k + 1 == hi && !t[lo]->quoted && strcmp(t[lo]->text, "case") == 0)
		return 0;
	if (k + 1 == hi) {
		*name = t[k]->text;
		return 2;
	}
	if (tok_is(t[k + 1], EXPRTOK_PUNCT, "(") &&
	    match_paren(t, k + 1, hi) == hi - 1) {
		*name = t[k]->text;
		return 2;
	}
	if (!t[lo]->quoted && strcmp(t[lo]->text, "case") == 0 &&
	    tok_is(t[hi - 1], EXPRTOK_IDENT, "end")) {
		*name = "case";
		return 1;
	}
	return 0;
}

const char *exprtok_index_colname(struct arena *a, const char *expr)
{
	struct vec toks = { 0 };
	exprtok_split(a, expr, &toks);
	const char *name = NULL;
	if (figure_colname((struct exprtok **)toks.items, 0, toks.len, &name) > 0
	    && name)
		return name;
	return "expr";
}

size_t exprtok_group_len(const char *s)
{
	int depth = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '\'' || s[i] == '"') {
			char q = s[i];
			for (i++; s[i] && s[i] != q; i++)
				;
			if (!s[i])
				return i;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
	}
	return strlen(s);
}

/* 'it''s' -> it's; NULL for E'' strings, whose escapes the server never
 * prints. */
static const char *string_value(struct arena *a, const char *tok)
{
	size_t n = strlen(tok);
	if (n < 2 || tok[0] != '\'' || tok[n - 1] != '\'')
		return NULL;
	char *out = arena_alloc(a, n);
	size_t k = 0;
	for (size_t i = 1; i + 1 < n; i++) {
		out[k++] = tok[i];
		if (tok[i] == '\'' && tok[i + 1] == '\'')
			i++;
	}
	out[k] = '\0';
	return out;
}

bool exprtok_casts_to(struct arena *a, const char *expr, const char *schema,
		      const char *name, const char *literal)
{
	struct vec toks = { 0 };
	exprtok_split(a, expr, &toks);
	for (size_t i = 0; i + 1 < toks.len; i++) {
		struct exprtok *t = toks.items[i];
		if (!tok_is(t, EXPRTOK_OP, "::"))
			continue;
		if (literal) {
			struct exprtok *prev = i ? toks.items[i - 1] : NULL;
			const char *v = prev && prev->kind == EXPRTOK_STRING
					? string_value(a, prev->text) : NULL;
			if (!v || strcmp(v, literal) != 0)
				continue;
		}
		struct exprtok *first = toks.items[i + 1];
		if (first->kind != EXPRTOK_IDENT)
			continue;
		const char *typname = first->text;
		const char *typschema = NULL;
		if (i + 3 < toks.len && tok_is(toks.items[i + 2], EXPRTOK_PUNCT, ".") &&
		    ((struct exprtok *)toks.items[i + 3])->kind == EXPRTOK_IDENT) {
			typschema = typname;
			typname = ((struct exprtok *)toks.items[i + 3])->text;
		}
		if (strcmp(typname, name) == 0 &&
		    (!typschema || strcmp(typschema, schema) == 0))
			return true;
	}
	return false;
}
