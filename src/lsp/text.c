#include "lsp/text.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/xalloc.h"

void lsp_lines_build(struct lsp_lines *l, const char *text, size_t len)
{
	size_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += text[i] == '\n';
	l->starts = xcalloc(n, sizeof(size_t));
	l->n = 0;
	l->starts[l->n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			l->starts[l->n++] = i + 1;
}

void lsp_lines_release(struct lsp_lines *l)
{
	free(l->starts);
	l->starts = NULL;
	l->n = 0;
}

/* Bytes in the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t seq_len(unsigned char c)
{
	if (c >= 0xF0 && c < 0xF8)
		return 4;
	if (c >= 0xE0)
		return c < 0xF0 ? 3 : 1;
	if (c >= 0xC0)
		return 2;
	return 1;
}

struct lsp_pos lsp_pos_of(const char *text, size_t len,
			  const struct lsp_lines *l, enum lsp_encoding enc,
			  size_t offset)
{
	if (offset > len)
		offset = len;
	size_t lo = 0, hi = l->n;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	struct lsp_pos p = { (long)lo, 0 };
	size_t i = l->starts[lo];
	while (i < offset) {
		size_t n = seq_len((unsigned char)text[i]);
		if (enc == LSP_UTF8)
			p.character += (long)(i + n <= offset ? n : offset - i);
		else
			p.character += n == 4 ? 2 : 1; /* a surrogate pair */
		i += n;
	}
	return p;
}

size_t lsp_offset_of(const char *text, size_t len, const struct lsp_lines *l,
		     enum lsp_encoding enc, struct lsp_pos p)
{
	if (p.line < 0)
		return 0;
	if ((size_t)p.line >= l->n)
		return len;
	size_t i = l->starts[p.line];
	size_t end = (size_t)p.line + 1 < l->n ? l->starts[p.line + 1] - 1 : len;
	long left = p.character;
	while (i < end && left > 0) {
		size_t n = seq_len((unsigned char)text[i]);
		if (i + n > end)
			n = end - i;
		long units = enc == LSP_UTF8 ? (long)n : (n == 4 ? 2 : 1);
		if (units > left)
			break; /* inside a character: its start */
		left -= units;
		i += n;
	}
	return i;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *lsp_uri_to_path(const char *uri)
{
	static const char scheme[] = "file://";
	if (strncmp(uri, scheme, sizeof(scheme) - 1) != 0)
		return NULL;
	const char *p = uri + sizeof(scheme) - 1;
	/* An authority ("file://localhost/...") is allowed, but local only. */
	if (*p != '/') {
		static const char local[] = "localhost/";
		if (strncmp(p, local, sizeof(local) - 1) != 0)
			return NULL;
		p += sizeof(local) - 2;
	}
	struct strbuf sb = STRBUF_INIT;
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%' && hex(p[1]) >= 0 && hex(p[2]) >= 0) {
			char c = (char)(hex(p[1]) * 16 + hex(p[2]));
			if (c == '\0') {
				strbuf_release(&sb);
				return NULL;
			}
			strbuf_addch(&sb, c);
			p += 2;
		} else {
			strbuf_addch(&sb, *p);
		}
	}
	char *path = xstrdup(strbuf_str(&sb));
	strbuf_release(&sb);
	return path;
}

char *lsp_path_to_uri(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "file://");
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || strchr("/-._~", c);
		if (plain)
			strbuf_addch(&sb, (char)c);
		else
			strbuf_addf(&sb, "%%%02X", c);
	}
	char *uri = xstrdup(strbuf_str(&sb));
	strbuf_release(&sb);
	return uri;
}
