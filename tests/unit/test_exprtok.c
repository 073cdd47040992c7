#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "ir/exprtok.h"
#include "check_main.h"

static const char *refs(struct arena *a, const char *expr)
{
	struct vec out = { 0 };
	exprtok_column_refs(a, expr, &out);
	const char *joined = "";
	for (size_t i = 0; i < out.len; i++)
		joined = arena_printf(a, "%s%s%s", joined, i ? "," : "",
				      (const char *)out.items[i]);
	return joined;
}

START_TEST(column_references)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(refs(a, "char_length(email) >= 3"), "email");
	/* Keywords come back too: callers keep only real column names. */
	ck_assert_str_eq(refs(a, "a > b AND a < 10"), "a,b,and");
	ck_assert_str_eq(refs(a, "x::character varying(10) <> 'lit'"), "x");
	ck_assert_str_eq(refs(a, "\"Mixed\" IS NOT NULL"), "Mixed,is,not,null");
	ck_assert_str_eq(refs(a, "public.f(y)"), "y");
	ck_assert_str_eq(refs(a, "E'it\\'s' = z"), "z");
	arena_free(a);
}
END_TEST

START_TEST(index_column_names)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(exprtok_index_colname(a, "lower(email)"), "lower");
	ck_assert_str_eq(exprtok_index_colname(a, "(lower(email))"), "lower");
	ck_assert_str_eq(exprtok_index_colname(a, "(a + b)"), "expr");
	ck_assert_str_eq(exprtok_index_colname(a, "(a::text)"), "a");
	ck_assert_str_eq(exprtok_index_colname(a, "('x'::text)"), "text");
	ck_assert_str_eq(exprtok_index_colname(a, "public.f(x)"), "f");
	ck_assert_str_eq(exprtok_index_colname(a, "(t.col)"), "col");
	ck_assert_str_eq(exprtok_index_colname(a, "(CASE WHEN a THEN 1 END)"), "case");
	ck_assert_str_eq(exprtok_index_colname(a, "lower(a) || upper(b)"), "expr");
	arena_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("exprtok");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, column_references);
	tcase_add_test(tc, index_column_names);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
