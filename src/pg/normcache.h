/*
 * A cache of normalised expressions, so a diff only builds on the server
 * what is not already settled.  An entry maps (server version, the table's
 * column names and types and the labels of enums they use, expression kind,
 * expression text) to the text the server printed for it.  The context is
 * hashed with SHA-256; anything that could change the server's rendering of
 * the expression — a column's type, an enum's labels, the server version —
 * changes the key.  Functions the expression calls are not part of it:
 * redefining one keeps its old rendering until the cache file is removed.
 *
 * Stored in .c7gen/normalize.cache (tab-separated, escaped), loaded whole
 * and rewritten atomically when it gained entries.
 */
#ifndef C7_PG_NORMCACHE_H
#define C7_PG_NORMCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/hmap.h"
#include "base/strbuf.h"
#include "base/vec.h"

struct arena;
struct ir_schema;
struct ir_table;

enum normcache_kind {
	NORMCACHE_DEFAULT = 'd',
	NORMCACHE_GENERATED = 'g',
	NORMCACHE_CHECK = 'c',
	NORMCACHE_INDEX_ELEM = 'i',
	NORMCACHE_PREDICATE = 'w',
	NORMCACHE_OPCLASS = 'o',  /* key: see opclass_key() in normalize.c */
	NORMCACHE_INDEX_OPTIONS = 'x',
	NORMCACHE_EXCLUDE = 'e',
};

struct normcache {
	struct arena *arena;
	int server_version;
	struct hmap map;     /* key -> value */
	struct vec order;    /* keys, for a stable file */
	size_t loaded;       /* entries read from the file */
	bool dirty;
	size_t hits, misses;
	struct strbuf key; /* scratch for lookups */
};

/* Reads `path` if it exists and was written for this server version. */
void normcache_load(struct normcache *c, struct arena *a, const char *path,
		    int server_version);
/* Frees the lookup buffer (the entries live in the arena). */
void normcache_release(struct normcache *c);
/* Writes the cache back if it changed; returns 0 or an errno value. */
int normcache_save(struct normcache *c, const char *path);

/* The context hash for expressions of table `t` of `schema`. */
const char *normcache_context(struct normcache *c, const struct ir_schema *schema,
			      const struct ir_table *t);

/* NULL when unknown.  A cached value of "" means "no default at all". */
const char *normcache_get(struct normcache *c, const char *context,
			  enum normcache_kind kind, const char *expr);
void normcache_put(struct normcache *c, const char *context,
		   enum normcache_kind kind, const char *expr, const char *canon);

/* Index elements normalised to a plain column are cached as this prefix
 * followed by the column name. */
#define NORMCACHE_COLUMN "\x01column:"

#endif
