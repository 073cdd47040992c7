#include "pg/normcache.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/sha256.h"
#include "base/strbuf.h"
#include "ir/ir.h"

#define CACHE_MAGIC "c7gen normalize cache 2"

/* Lookups build the key in a reused buffer; only stored keys are copied. */
static const char *make_key(struct normcache *c, const char *context,
			    enum normcache_kind kind, const char *expr)
{
	strbuf_reset(&c->key);
	strbuf_addstr(&c->key, context);
	strbuf_addch(&c->key, '\x1f');
	strbuf_addch(&c->key, (char)kind);
	strbuf_addch(&c->key, '\x1f');
	strbuf_addstr(&c->key, expr);
	return strbuf_str(&c->key);
}

static void escape(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\t':
			strbuf_addstr(sb, "\\t");
			break;
		case '\n':
			strbuf_addstr(sb, "\\n");
			break;
		case '\\':
			strbuf_addstr(sb, "\\\\");
			break;
		default:
			strbuf_addch(sb, *s);
		}
	}
}

/* Unescapes in place: the result is never longer than the input. */
static char *unescape(char *s, size_t n)
{
	char *out = s;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '\\' && i + 1 < n) {
			char e = s[++i];
			ch = e == 't' ? '\t' : e == 'n' ? '\n' : e;
		}
		out[k++] = ch;
	}
	out[k] = '\0';
	return out;
}

void normcache_load(struct normcache *c, struct arena *a, const char *path,
		    int server_version)
{
	memset(c, 0, sizeof(*c));
	c->arena = a;
	c->server_version = server_version;
	hmap_init(&c->map, a);
	char *text;
	size_t len;
	if (!path || fs_read(a, path, &text, &len) != 0)
		return;
	char header[64];
	snprintf(header, sizeof(header), CACHE_MAGIC " %d\n", server_version);
	if (strncmp(text, header, strlen(header)) != 0)
		return; /* another server version: start afresh */
	char *p = text + strlen(header);
	while (*p) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *tab = memchr(p, '\t', n);
		if (tab) {
			char *key = unescape(p, (size_t)(tab - p));
			char *val = unescape(tab + 1, n - (size_t)(tab + 1 - p));
			if (!hmap_put_new(&c->map, key, val)) {
				vec_push(a, &c->order, key);
				c->loaded++;
			}
		}
		p += n + (nl ? 1 : 0);
	}
}

void normcache_release(struct normcache *c)
{
	strbuf_release(&c->key);
}

int normcache_save(struct normcache *c, const char *path)
{
	if (!c->dirty || !path)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, CACHE_MAGIC " %d\n", c->server_version);
	for (size_t i = 0; i < c->order.len; i++) {
		const char *key = c->order.items[i];
		escape(&sb, key);
		strbuf_addch(&sb, '\t');
		escape(&sb, hmap_get(&c->map, key));
		strbuf_addch(&sb, '\n');
	}
	/* Replace atomically: write beside it, then rename over it. */
	const char *tmp = arena_printf(c->arena, "%s.new", path);
	unlink(tmp);
	int err = fs_write_new(tmp, strbuf_str(&sb), sb.len);
	if (!err && rename(tmp, path) != 0)
		err = errno;
	strbuf_release(&sb);
	return err;
}

const char *normcache_context(struct normcache *c, const struct ir_schema *schema,
			      const struct ir_table *t)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%d\n%s\n%s\n", c->server_version, t->schema, t->name);
	for (size_t i = 0; i < t->columns.len; i++) {
		const struct ir_column *col = t->columns.items[i];
		strbuf_addf(&sb, "%s\t%s\t%s\n", col->name, col->type.canon,
			    col->collation ? col->collation : "");
		if (col->type.user_schema) {
			const struct ir_enum *e =
				ir_enum_find(schema, col->type.user_schema, col->type.user_name);
			for (size_t k = 0; e && k < e->labels.len; k++)
				strbuf_addf(&sb, "\t%s\n", e->labels.items[k]);
		}
	}
	char hex[65];
	sha256_hex(sb.buf, sb.len, hex);
	strbuf_release(&sb);
	/* 128 bits are plenty against collisions and halve the cache. */
	return arena_strndup(c->arena, hex, 32);
}

const char *normcache_get(struct normcache *c, const char *context,
			  enum normcache_kind kind, const char *expr)
{
	const char *v = hmap_get(&c->map, make_key(c, context, kind, expr));
	if (v)
		c->hits++;
	else
		c->misses++;
	return v;
}

void normcache_put(struct normcache *c, const char *context,
		   enum normcache_kind kind, const char *expr, const char *canon)
{
	const char *key = make_key(c, context, kind, expr);
	if (hmap_get(&c->map, key))
		return;
	const char *stored = arena_strdup(c->arena, key);
	hmap_put(&c->map, stored, (void *)arena_strdup(c->arena, canon));
	vec_push(c->arena, &c->order, (void *)stored);
	c->dirty = true;
}
