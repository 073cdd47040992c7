/* Expected names were produced by PostgreSQL 15 for the same DDL. */
#include <string.h>

#include "base/arena.h"
#include "ir/ir.h"
#include "ir/pgnames.h"
#include "check_main.h"

#define LONG_TABLE "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define LONG_COL "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

START_TEST(short_names_concatenate)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(pgname_make(a, "users", NULL, "pkey"), "users_pkey");
	ck_assert_str_eq(pgname_make(a, "users", "email", "key"), "users_email_key");
	arena_free(a);
}
END_TEST

START_TEST(long_names_truncate_the_longer_part_first)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(pgname_make(a, LONG_TABLE, LONG_COL, "key"),
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbb_key");
	ck_assert_str_eq(pgname_make(a, LONG_TABLE, "c", "check"),
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_check");
	ck_assert_str_eq(pgname_make(a, LONG_TABLE, NULL, "check"),
			 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_check");
	arena_free(a);
}
END_TEST

START_TEST(truncation_never_splits_a_character)
{
	struct arena *a = arena_new();
	/* 31 two-byte characters: the server kept 29 of them for "_pkey". */
	const char *e31 = "ééééééééééééééééééééééééééééééé";
	char *name = pgname_make(a, e31, NULL, "pkey");
	ck_assert_str_eq(name, "ééééééééééééééééééééééééééééé_pkey");
	ck_assert_uint_le(strlen(name), 63);
	arena_free(a);
}
END_TEST

START_TEST(collisions_get_numbered_labels)
{
	struct arena *a = arena_new();
	struct pgname_space sp;
	pgname_space_init(&sp, a);
	bool suffixed;
	char *n1 = pgname_choose(a, &sp, LONG_TABLE, "c", "idx",
				 PGNAME_CHECK_RELATIONS, &suffixed);
	ck_assert(!suffixed);
	hmap_put(&sp.relations, n1, n1);
	char *n2 = pgname_choose(a, &sp, LONG_TABLE, "c", "idx",
				 PGNAME_CHECK_RELATIONS, &suffixed);
	ck_assert(suffixed);
	ck_assert_str_eq(n1, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_idx");
	ck_assert_str_eq(n2, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_c_idx1");
	/* Constraint names do not block index names. */
	hmap_put(&sp.constraints, "t_a_idx", "x");
	ck_assert_str_eq(pgname_choose(a, &sp, "t", "a", "idx",
				       PGNAME_CHECK_RELATIONS, NULL), "t_a_idx");
	arena_free(a);
}
END_TEST

START_TEST(index_column_names_are_made_unique)
{
	struct arena *a = arena_new();
	const char *cols[] = { "expr", "lower", "a", "upper", "lower" };
	struct ir_names n = { cols, 5 };
	pgname_index_columns(a, &n);
	ck_assert_str_eq(pgname_join(a, &n), "expr_lower_a_upper_lower1");
	const char *twice[] = { "a", "a" };
	struct ir_names m = { twice, 2 };
	pgname_index_columns(a, &m);
	ck_assert_str_eq(pgname_join(a, &m), "a_a1");
	arena_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pgnames");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, short_names_concatenate);
	tcase_add_test(tc, long_names_truncate_the_longer_part_first);
	tcase_add_test(tc, truncation_never_splits_a_character);
	tcase_add_test(tc, collisions_get_numbered_labels);
	tcase_add_test(tc, index_column_names_are_made_unique);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
