#include "base/vec.h"

#include <string.h>

#include "base/arena.h"
#include "base/xalloc.h"

void vec_push(struct arena *a, struct vec *v, void *item)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? size_mul(v->cap, 2) : 4;
		void **items = arena_array(a, cap, sizeof(void *));
		if (v->len)
			memcpy(items, v->items, v->len * sizeof(void *));
		v->items = items;
		v->cap = cap;
	}
	v->items[v->len++] = item;
}

static void merge_pass(void **src, void **dst, size_t n, size_t width,
		       int (*cmp)(const void *, const void *))
{
	for (size_t lo = 0; lo < n; lo += 2 * width) {
		size_t mid = lo + width < n ? lo + width : n;
		size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
		size_t i = lo, j = mid, k = lo;
		while (i < mid && j < hi)
			dst[k++] = cmp(src[j], src[i]) < 0 ? src[j++] : src[i++];
		while (i < mid)
			dst[k++] = src[i++];
		while (j < hi)
			dst[k++] = src[j++];
	}
}

void vec_sort(struct arena *a, struct vec *v,
	      int (*cmp)(const void *x, const void *y))
{
	if (v->len < 2)
		return;
	void **tmp = arena_array(a, v->len, sizeof(void *));
	void **src = v->items, **dst = tmp;
	for (size_t width = 1; width < v->len; width *= 2) {
		merge_pass(src, dst, v->len, width, cmp);
		void **t = src;
		src = dst;
		dst = t;
	}
	if (src != v->items)
		memcpy(v->items, src, v->len * sizeof(void *));
}
