#include "lang/parse.h"

#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "base/xalloc.h"
#include "lang/parse_internal.h"
#include "model.tab.h"


struct span ps_span(const struct parse_state *ps, struct c7_loc loc)
{
	struct span sp = { ps->file, loc.start, loc.end };
	return sp;
}

void ps_record(struct parse_state *ps, size_t start, size_t end, bool comment)
{
	if (!ps->tokens)
		return;
	struct lex_token *t = arena_alloc(ps->nodes, sizeof(*t));
	t->start = (uint32_t)start;
	t->end = (uint32_t)end;
	t->comment = comment;
	vec_push(ps->nodes, ps->tokens, t);
}

char *ps_text(struct parse_state *ps, size_t start, size_t end)
{
	if (end < start)
		end = start;
	return expr_clean(ps->arena, ps->file->text + start, end - start);
}

static void append_all(struct arena *a, struct vec *into, const struct vec *from)
{
	for (size_t i = 0; i < from->len; i++)
		vec_push(a, into, from->items[i]);
}

void ast_model_merge(struct arena *a, struct ast_model *into,
		     const struct ast_model *from)
{
	append_all(a, &into->enums, &from->enums);
	append_all(a, &into->tables, &from->tables);
	append_all(a, &into->sequences, &from->sequences);
	append_all(a, &into->schemas, &from->schemas);
	append_all(a, &into->extensions, &from->extensions);
}

/* Length of the quoted run starting at text[i] (a quote character). */
static size_t quoted_len(const char *text, size_t len, size_t i, bool escapes)
{
	char q = text[i];
	size_t j = i + 1;
	while (j < len) {
		if (escapes && text[j] == '\\' && j + 1 < len) {
			j += 2;
			continue;
		}
		if (text[j] == q) {
			if (j + 1 < len && text[j + 1] == q) {
				j += 2;
				continue;
			}
			return j + 1 - i;
		}
		j++;
	}
	return len - i;
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* Length of the comment at text[i], or 0 if none starts there. */
static size_t comment_len(const char *text, size_t len, size_t i)
{
	if (i + 1 < len && text[i] == '-' && text[i + 1] == '-') {
		size_t j = i;
		while (j < len && text[j] != '\n')
			j++;
		return j - i;
	}
	if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
		int depth = 0;
		size_t j = i;
		while (j + 1 < len) {
			if (text[j] == '/' && text[j + 1] == '*') {
				depth++;
				j += 2;
			} else if (text[j] == '*' && text[j + 1] == '/') {
				j += 2;
				if (--depth == 0)
					return j - i;
			} else {
				j++;
			}
		}
		return len - i;
	}
	return 0;
}

char *expr_clean(struct arena *a, const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool pending_space = false;
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		size_t skip = comment_len(text, len, i);
		if (skip || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		    c == '\f' || c == '\v') {
			pending_space = sb.len > 0;
			i += skip ? skip : 1;
			continue;
		}
		if (pending_space)
			strbuf_addch(&sb, ' ');
		pending_space = false;
		if (c == '\'' || c == '"') {
			bool esc = c == '\'' && i > 0 &&
				   (text[i - 1] == 'e' || text[i - 1] == 'E') &&
				   (i < 2 || !is_ident_char(text[i - 2]));
			size_t n = quoted_len(text, len, i, esc);
			strbuf_add(&sb, text + i, n);
			i += n;
			continue;
		}
		strbuf_addch(&sb, c);
		i++;
	}
	char *out = arena_strndup(a, strbuf_str(&sb), sb.len);
	strbuf_release(&sb);
	return out;
}

/* Offset of the first byte that is not valid UTF-8, or SIZE_MAX. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return SIZE_MAX;
}

bool parse_model_file(struct arena *a, struct arena *nodes, struct diags *d,
		      struct srcfile *file, struct ast_model *model)
{
	return parse_model_file_tokens(a, nodes, d, file, model, NULL);
}

bool parse_model_file_tokens(struct arena *a, struct arena *nodes,
			     struct diags *d, struct srcfile *file,
			     struct ast_model *model, struct vec *tokens)
{
	size_t errors_before = d->errors;
	size_t bad = utf8_invalid_at((const unsigned char *)file->text, file->len);
	if (bad != SIZE_MAX) {
		struct span sp = { file, bad, bad + 1 };
		diag_error(d, sp, "invalid UTF-8 byte sequence (model files must be UTF-8)");
		return false;
	}
	/* A NUL would cut every C string the text becomes (names, labels)
	 * short of what the file says. */
	const char *nul = memchr(file->text, '\0', file->len);
	if (nul) {
		size_t at = (size_t)(nul - file->text);
		struct span sp = { file, at, at + 1 };
		diag_error(d, sp, "NUL byte in a model file");
		return false;
	}
	if (file->len > INT32_MAX) {
		diag_error(d, SPAN_NONE, "%s: file too large", file->path);
		return false;
	}

	struct parse_state ps = { 0 };
	ps.arena = a;
	ps.nodes = nodes;
	ps.diags = d;
	ps.file = file;
	ps.model = model;
	ps.tokens = tokens;

	yyscan_t scanner;
	if (yylex_init_extra(&ps, &scanner) != 0)
		BUG("cannot initialise the scanner");
	yy_scan_bytes(file->text, (int)file->len, scanner);
	int rc = yyparse(scanner, &ps);
	yylex_destroy(scanner);
	if (rc == 2)
		BUG("parser out of memory");
	if (rc != 0 && d->errors == errors_before)
		diag_error(d, SPAN_NONE, "%s: could not parse", file->path);
	return d->errors == errors_before;
}
