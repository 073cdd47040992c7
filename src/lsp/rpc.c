#include "lsp/rpc.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/strbuf.h"

/* Header lines longer than this, or more of them, are not headers. */
#define HEADER_LINE_MAX 1024
#define HEADER_LINES_MAX 32

/* One header line without its line end (CRLF, or LF from lenient
 * clients).  False at the end of the input. */
static bool read_line(FILE *in, struct strbuf *line, bool *too_long)
{
	strbuf_reset(line);
	*too_long = false;
	int c;
	bool any = false;
	while ((c = getc(in)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (line->len < HEADER_LINE_MAX)
			strbuf_addch(line, (char)c);
		else
			*too_long = true;
	}
	if (c == EOF && !any)
		return false;
	if (line->len && line->buf[line->len - 1] == '\r')
		strbuf_setlen(line, line->len - 1);
	return c != EOF || any;
}

/* The value of "Content-Length: N"; false if the line is another header
 * or the number is not one. */
static bool content_length(const char *line, size_t *n, bool *bad)
{
	static const char name[] = "content-length:";
	if (strncasecmp(line, name, sizeof(name) - 1) != 0)
		return false;
	const char *p = line + sizeof(name) - 1;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t v = 0;
	bool digits = false;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (SIZE_MAX - 9) / 10) {
			*bad = true;
			return true;
		}
		v = v * 10 + (size_t)(*p - '0');
		digits = true;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (!digits || *p) {
		*bad = true;
		return true;
	}
	*n = v;
	return true;
}

static bool skip_bytes(FILE *in, size_t n)
{
	char buf[8192];
	while (n) {
		size_t want = n < sizeof(buf) ? n : sizeof(buf);
		size_t got = fread(buf, 1, want, in);
		if (got == 0)
			return false;
		n -= got;
	}
	return true;
}

enum rpc_status rpc_read(struct rpc_reader *r, struct strbuf *body)
{
	strbuf_reset(body);
	struct strbuf line = STRBUF_INIT;
	size_t len = 0;
	bool have_len = false, bad = false, too_long;
	int lines = 0;
	for (;;) {
		if (!read_line(r->in, &line, &too_long)) {
			strbuf_release(&line);
			return RPC_EOF;
		}
		if (line.len == 0 && !too_long) {
			/* Stray line ends between messages are no header. */
			if (lines == 0)
				continue;
			break;
		}
		lines++;
		size_t n;
		if (too_long || lines > HEADER_LINES_MAX)
			bad = true;
		else if (content_length(strbuf_str(&line), &n, &bad) && !bad) {
			len = n;
			have_len = true;
		} else if (!strchr(strbuf_str(&line), ':'))
			bad = true;
	}
	strbuf_release(&line);
	if (bad || !have_len)
		return RPC_BAD_HEADER;
	if (len > r->max_body)
		return skip_bytes(r->in, len) ? RPC_TOO_LARGE : RPC_EOF;
	strbuf_grow(body, len);
	size_t got = len ? fread(body->buf, 1, len, r->in) : 0;
	body->len = got;
	body->buf[got] = '\0';
	return got == len ? RPC_OK : RPC_EOF;
}

void rpc_write(FILE *out, const json_t *msg)
{
	struct strbuf sb = STRBUF_INIT;
	json_to_strbuf(&sb, msg, JSON_COMPACT);
	fprintf(out, "Content-Length: %zu\r\n\r\n", sb.len);
	fwrite(strbuf_str(&sb), 1, sb.len, out);
	fflush(out);
	strbuf_release(&sb);
}
