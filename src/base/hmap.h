/*
 * String-keyed hash map (open addressing, linear probing) in an arena.
 * Used for every name lookup so that resolution and diffing stay linear.
 * It is never iterated for output: callers keep their own ordered vectors,
 * which keeps results independent of hash order.
 */
#ifndef C7_BASE_HMAP_H
#define C7_BASE_HMAP_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

struct hmap_slot {
	const char *key;
	void *value;
	size_t hash;
};

struct hmap {
	struct arena *arena;
	struct hmap_slot *slots;
	size_t cap, len;
};

void hmap_init(struct hmap *m, struct arena *a);
/* The key is not copied: it must live as long as the map. */
void *hmap_get(const struct hmap *m, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *hmap_put(struct hmap *m, const char *key, void *value);
/* Inserts only when absent; returns the existing value, or NULL if inserted. */
void *hmap_put_new(struct hmap *m, const char *key, void *value);

#endif
