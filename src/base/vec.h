/*
 * Pointer vector whose storage lives in an arena.  Growth abandons the old
 * storage to the arena, which bounds the waste at the final size.
 */
#ifndef C7_BASE_VEC_H
#define C7_BASE_VEC_H

#include <stddef.h>

struct arena;

struct vec {
	void **items;
	size_t len, cap;
};

void vec_push(struct arena *a, struct vec *v, void *item);
/* Stable sort (merge sort) with a qsort-style comparator over the items. */
void vec_sort(struct arena *a, struct vec *v,
	      int (*cmp)(const void *x, const void *y));

#define VEC_AT(v, i) ((v).items[(i)])

#endif
