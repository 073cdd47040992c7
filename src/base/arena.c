#include "base/arena.h"

#include <stdalign.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "base/xalloc.h"

/* Blocks start small and double up to ARENA_BLOCK_MAX, so a small run
 * stays small and a large one makes few, large allocations.  Blocks of 2 MB
 * are aligned for transparent huge pages: a 10,000-table model touches a
 * few hundred megabytes, and taking them 4 KB page fault at a time cost
 * more than parsing it. */
#define ARENA_BLOCK_MIN (64u << 10)
#define ARENA_BLOCK_MAX (2u << 20)
#define HUGE_PAGE (2u << 20)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	alignas(8) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t total;
	size_t next_block;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		size_t bytes = sizeof(*b) + b->size;
		if (bytes >= HUGE_PAGE && bytes % HUGE_PAGE == 0)
			munmap(b, bytes);
		else
			free(b);
		b = next;
	}
	free(a);
}

/* Fresh anonymous memory, 2 MB aligned so the kernel can back it with
 * huge pages; it comes zero-filled. */
static void *huge_block(size_t bytes)
{
	size_t span = bytes + HUGE_PAGE;
	unsigned char *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		BUG("out of memory");
	uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	unsigned char *aligned = (unsigned char *)start;
	if (aligned > p)
		munmap(p, (size_t)(aligned - p));
	size_t tail = (size_t)(p + span - (aligned + bytes));
	if (tail)
		munmap(aligned + bytes, tail);
#ifdef MADV_HUGEPAGE
	madvise(aligned, bytes, MADV_HUGEPAGE);
#endif
	return aligned;
}

/* Every block is zero-filled once when made; allocations are carved out of
 * it and never reused, so arena memory is always zero when handed out. */
static struct arena_block *block_new(size_t size)
{
	size_t bytes = size_add(sizeof(struct arena_block), size);
	struct arena_block *b;
	if (bytes >= HUGE_PAGE && bytes % HUGE_PAGE == 0) {
		b = huge_block(bytes);
	} else {
		b = xcalloc(1, bytes);
	}
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

static size_t next_block_size(struct arena *a)
{
	if (a->next_block < ARENA_BLOCK_MIN)
		a->next_block = ARENA_BLOCK_MIN;
	size_t size = a->next_block;
	if (a->next_block < ARENA_BLOCK_MAX)
		a->next_block *= 2;
	/* The header shares the block, so huge blocks stay 2 MB in total. */
	return size - sizeof(struct arena_block);
}

/* 8 rather than max_align_t's 16 saves a good share of memory on the
 * many small strings and nodes. */
void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = ARENA_ALIGN;
	size_t need = size_add(n, align - 1) & ~(align - 1);
	if (need == 0)
		need = align;

	struct arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		if (need > ARENA_BLOCK_MIN / 4) {
			/* Large objects get a block of their own, placed behind the
			 * current one so the current block's free tail stays usable. */
			struct arena_block *big = block_new(need);
			if (b) {
				big->next = b->next;
				b->next = big;
			} else {
				a->head = big;
			}
			big->used = need;
			a->total += need;
			return big->data;
		}
		b = block_new(next_block_size(a));
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_array(struct arena *a, size_t count, size_t size)
{
	return arena_alloc(a, size_mul(count, size));
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, size_add(n, 1));
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list copy;
	va_copy(copy, ap);
	int n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		BUG("vsnprintf failed");
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
