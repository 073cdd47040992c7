#include "base/hmap.h"

#include <string.h>

#include "base/arena.h"
#include "base/xalloc.h"

/* FNV-1a: short keys, good enough spread, no seed needed for a local CLI. */
static size_t hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

void hmap_init(struct hmap *m, struct arena *a)
{
	m->arena = a;
	m->slots = NULL;
	m->cap = m->len = 0;
}

static struct hmap_slot *find_slot(struct hmap_slot *slots, size_t cap,
				   const char *key, size_t h)
{
	size_t i = h & (cap - 1);
	for (;;) {
		struct hmap_slot *s = &slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
		i = (i + 1) & (cap - 1);
	}
}

static void grow(struct hmap *m)
{
	size_t cap = m->cap ? size_mul(m->cap, 2) : 16;
	struct hmap_slot *slots = arena_array(m->arena, cap, sizeof(*slots));
	for (size_t i = 0; i < m->cap; i++) {
		struct hmap_slot *old = &m->slots[i];
		if (old->key)
			*find_slot(slots, cap, old->key, old->hash) = *old;
	}
	m->slots = slots;
	m->cap = cap;
}

void *hmap_get(const struct hmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	struct hmap_slot *s = find_slot(m->slots, m->cap, key, hash_str(key));
	return s->key ? s->value : NULL;
}

static struct hmap_slot *slot_for_insert(struct hmap *m, const char *key,
					 size_t h)
{
	if ((m->len + 1) * 4 > m->cap * 3)
		grow(m);
	return find_slot(m->slots, m->cap, key, h);
}

void *hmap_put(struct hmap *m, const char *key, void *value)
{
	size_t h = hash_str(key);
	struct hmap_slot *s = slot_for_insert(m, key, h);
	void *old = s->key ? s->value : NULL;
	if (!s->key) {
		s->key = key;
		s->hash = h;
		m->len++;
	}
	s->value = value;
	return old;
}

void *hmap_put_new(struct hmap *m, const char *key, void *value)
{
	size_t h = hash_str(key);
	struct hmap_slot *s = slot_for_insert(m, key, h);
	if (s->key)
		return s->value;
	s->key = key;
	s->hash = h;
	s->value = value;
	m->len++;
	return NULL;
}
