#include "revs/sqlsplit.h"

#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/vec.h"

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

/* Length of a dollar-quote tag ("$tag$" or "$$") at s[i], or 0. */
static size_t dollar_tag(const char *s, size_t len, size_t i)
{
	if (s[i] != '$')
		return 0;
	/* "$1" is a parameter, and "a$b" part of a name. */
	if (i > 0 && ident_char(s[i - 1]))
		return 0;
	size_t j = i + 1;
	if (j < len && s[j] >= '0' && s[j] <= '9')
		return 0;
	while (j < len && ident_char(s[j]) && s[j] != '$')
		j++;
	return j < len && s[j] == '$' ? j + 1 - i : 0;
}

/* Index just past the quoted run, comment or dollar quote starting at i,
 * or i if none starts there. */
static size_t skip_token(const char *s, size_t len, size_t i, bool *meaningful)
{
	char c = s[i];
	if (c == '-' && i + 1 < len && s[i + 1] == '-') {
		while (i < len && s[i] != '\n')
			i++;
		return i;
	}
	if (c == '/' && i + 1 < len && s[i + 1] == '*') {
		int depth = 0;
		while (i < len) {
			if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
				depth++;
				i += 2;
			} else if (s[i] == '*' && i + 1 < len && s[i + 1] == '/') {
				i += 2;
				if (--depth == 0)
					return i;
			} else {
				i++;
			}
		}
		return len;
	}
	if (c == '\'' || c == '"') {
		*meaningful = true;
		bool esc = c == '\'' && i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E') &&
			   (i < 2 || !ident_char(s[i - 2]));
		for (i++; i < len; i++) {
			if (esc && s[i] == '\\') {
				i++;
				continue;
			}
			if (s[i] == c) {
				if (i + 1 < len && s[i + 1] == c) {
					i++;
					continue;
				}
				return i + 1;
			}
		}
		return len;
	}
	size_t tag = dollar_tag(s, len, i);
	if (tag) {
		*meaningful = true;
		for (size_t j = i + tag; j + tag <= len; j++)
			if (memcmp(s + j, s + i, tag) == 0)
				return j + tag;
		return len;
	}
	return i;
}

static void push(struct arena *a, struct vec *out, const char *sql,
		 size_t start, size_t end)
{
	struct sql_stmt *st = arena_alloc(a, sizeof(*st));
	st->text = arena_strndup(a, sql + start, end - start);
	st->offset = start;
	st->len = end - start;
	vec_push(a, out, st);
}

void sql_split(struct arena *a, const char *sql, size_t len, struct vec *out)
{
	size_t start = 0, i = 0;
	bool meaningful = false;
	/* Parentheses guard semicolons inside CREATE RULE bodies and the
	 * like; psql tracks them the same way. */
	int parens = 0;
	while (i < len) {
		char c = sql[i];
		size_t next = skip_token(sql, len, i, &meaningful);
		if (next != i) {
			i = next;
			continue;
		}
		if (c == '(')
			parens++;
		else if (c == ')' && parens > 0)
			parens--;
		if (c == ';' && parens == 0) {
			if (meaningful)
				push(a, out, sql, start, i);
			start = i + 1;
			meaningful = false;
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			meaningful = true;
		}
		i++;
	}
	if (meaningful)
		push(a, out, sql, start, len);
}
