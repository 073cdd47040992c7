#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "check_main.h"

START_TEST(allocations_are_zeroed_and_aligned)
{
	struct arena *a = arena_new();
	for (size_t n = 1; n < 5000; n += 37) {
		unsigned char *p = arena_alloc(a, n);
		ck_assert_uint_eq((uintptr_t)p % ARENA_ALIGN, 0);
		for (size_t i = 0; i < n; i++)
			ck_assert_uint_eq(p[i], 0);
		memset(p, 0xAB, n);
	}
	arena_free(a);
}
END_TEST

START_TEST(large_allocations_keep_the_current_block)
{
	struct arena *a = arena_new();
	char *small1 = arena_strdup(a, "first");
	char *big = arena_alloc(a, 1 << 20);
	char *small2 = arena_strdup(a, "second");
	memset(big, 'x', 1 << 20);
	ck_assert_str_eq(small1, "first");
	ck_assert_str_eq(small2, "second");
	ck_assert_uint_ge(arena_used(a), (size_t)(1 << 20));
	arena_free(a);
}
END_TEST

START_TEST(printf_and_strndup)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(arena_printf(a, "%s-%d", "x", 42), "x-42");
	ck_assert_str_eq(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}
END_TEST

static int cmp_str(const void *x, const void *y)
{
	return strcmp(x, y);
}

static int cmp_first_char(const void *x, const void *y)
{
	return *(const char *)x - *(const char *)y;
}

START_TEST(vec_sort_is_stable)
{
	struct arena *a = arena_new();
	struct vec v = { 0 };
	const char *words[] = { "b2", "a1", "b1", "a2", "c1", "a3" };
	for (size_t i = 0; i < 6; i++)
		vec_push(a, &v, (void *)words[i]);
	vec_sort(a, &v, cmp_first_char);
	const char *want[] = { "a1", "a2", "a3", "b2", "b1", "c1" };
	for (size_t i = 0; i < 6; i++)
		ck_assert_str_eq(v.items[i], want[i]);
	vec_sort(a, &v, cmp_str);
	ck_assert_str_eq(v.items[3], "b1");
	arena_free(a);
}
END_TEST

START_TEST(strbuf_grows_and_formats)
{
	struct strbuf sb = STRBUF_INIT;
	ck_assert_str_eq(strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	ck_assert_uint_eq(sb.len, strlen(sb.buf));
	ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
	strbuf_setlen(&sb, 2);
	strbuf_pad(&sb, '-', 3);
	ck_assert_str_eq(sb.buf, "0,---");
	strbuf_release(&sb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, allocations_are_zeroed_and_aligned);
	tcase_add_test(tc, large_allocations_keep_the_current_block);
	tcase_add_test(tc, printf_and_strndup);
	tcase_add_test(tc, vec_sort_is_stable);
	tcase_add_test(tc, strbuf_grows_and_formats);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
