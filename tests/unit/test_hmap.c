#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "check_main.h"

START_TEST(put_get_replace)
{
	struct arena *a = arena_new();
	struct hmap m;
	hmap_init(&m, a);
	ck_assert_ptr_null(hmap_get(&m, "missing"));
	int one = 1, two = 2;
	ck_assert_ptr_null(hmap_put(&m, "k", &one));
	ck_assert_ptr_eq(hmap_get(&m, "k"), &one);
	ck_assert_ptr_eq(hmap_put(&m, "k", &two), &one);
	ck_assert_ptr_eq(hmap_get(&m, "k"), &two);
	ck_assert_ptr_eq(hmap_put_new(&m, "k", &one), &two);
	ck_assert_ptr_eq(hmap_get(&m, "k"), &two);
	ck_assert_uint_eq(m.len, 1);
	arena_free(a);
}
END_TEST

START_TEST(many_keys_survive_growth)
{
	struct arena *a = arena_new();
	struct hmap m;
	hmap_init(&m, a);
	enum { N = 20000 };
	for (int i = 0; i < N; i++) {
		char *k = arena_printf(a, "key-%d", i);
		ck_assert_ptr_null(hmap_put_new(&m, k, k));
	}
	ck_assert_uint_eq(m.len, N);
	for (int i = 0; i < N; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "key-%d", i);
		const char *v = hmap_get(&m, buf);
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v, buf);
	}
	ck_assert_ptr_null(hmap_get(&m, "key-20000"));
	arena_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hmap");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, put_get_replace);
	tcase_add_test(tc, many_keys_survive_growth);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
