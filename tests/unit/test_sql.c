/* src/sql: statements split by PostgreSQL's parser (libpg_query). */
#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "sql/sql.h"
#include "check_main.h"

static const struct sql_stmt *stmt(const struct vec *v, size_t i)
{
	return v->items[i];
}

START_TEST(split_respects_quoting_and_comments)
{
	struct arena *a = arena_new();
	const char *sql =
		"SELECT ';';\n"
		"-- a comment; with a semicolon\n"
		"CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
		"/* nested /* comment; */ still; */ SELECT \"a;b\" FROM t;\n"
		"SELECT E'\\';' ;\n"
		"CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);\n"
		"  -- only a comment here\n";
	struct vec v = { 0 };
	struct sql_error err;
	ck_assert(sql_split(a, sql, strlen(sql), &v, &err));
	ck_assert_uint_eq(v.len, 5);
	ck_assert_str_eq(stmt(&v, 0)->text, "SELECT ';'");
	/* A statement's text runs from just past the previous ';' (its leading
	 * comments included) to its own ';'; `start` is its first token. */
	ck_assert_str_eq(stmt(&v, 1)->text,
			 "\n-- a comment; with a semicolon\n"
			 "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql");
	ck_assert_uint_eq(stmt(&v, 1)->start, strstr(sql, "CREATE FUNCTION") - sql);
	ck_assert_uint_eq(stmt(&v, 2)->start, strstr(sql, "SELECT \"a;b\"") - sql);
	ck_assert_str_eq(stmt(&v, 3)->text, "\nSELECT E'\\';' ");
	ck_assert(strstr(stmt(&v, 4)->text, "(SELECT 1; SELECT 2)") != NULL);
	for (size_t i = 0; i < v.len; i++)
		ck_assert(strncmp(sql + stmt(&v, i)->offset, stmt(&v, i)->text,
				  stmt(&v, i)->len) == 0);
	struct vec w = { 0 };
	ck_assert(sql_split(a, "SELECT 1", 8, &w, &err));
	ck_assert_uint_eq(w.len, 1);
	struct vec none = { 0 };
	ck_assert(sql_split(a, "-- nothing\n/* at all */\n", 23, &none, &err));
	ck_assert_uint_eq(none.len, 0);
	arena_free(a);
}
END_TEST

/* Rejected text: where (a byte offset, after multibyte text) and why. */
static struct sql_error rejected(struct arena *a, const char *sql)
{
	struct vec v = { 0 };
	struct sql_error err;
	ck_assert(!sql_split(a, sql, strlen(sql), &v, &err));
	ck_assert_uint_eq(v.len, 0);
	return err;
}

START_TEST(the_parser_says_where_and_why)
{
	struct arena *a = arena_new();
	const char *sql = "SELECT 'ééé';\nSELEC 2;\nSELECT 3;\n";
	struct sql_error err = rejected(a, sql);
	ck_assert_uint_eq(err.offset, strstr(sql, "SELEC 2") - sql);
	ck_assert_str_eq(err.message, "syntax error at or near \"SELEC\"");
	ck_assert_ptr_null(err.hint);

	sql = "SELECT 1;\n\\set x 1\nSELECT 2;";
	err = rejected(a, sql);
	ck_assert_uint_eq(err.offset, 10);
	ck_assert_str_eq(err.message, "psql meta-command '\\set' is not supported in revisions");
	ck_assert_ptr_nonnull(err.hint);

	sql = "COPY t (a, b) FROM stdin;\n1\t2\n\\.\nSELECT 2;";
	err = rejected(a, sql);
	ck_assert_uint_eq(err.offset, 26);
	ck_assert_str_eq(err.message, "COPY ... FROM stdin data is not supported in revisions");

	sql = "SELECT $$ unterminated;\n";
	err = rejected(a, sql);
	ck_assert_str_eq(err.message, "unterminated dollar-quoted string at or near \"$$ unterminated;\n\"");
	arena_free(a);
}
END_TEST

START_TEST(parse_tree_locations_are_bytes)
{
	struct arena *a = arena_new();
	struct sql_error err;
	const char *sql = "-- c\nCREATE INDEX i ON t (a);\nDROP TABLE u;";
	struct PgQuery__ParseResult *tree = sql_parse(a, sql, &err);
	ck_assert_ptr_nonnull(tree);
	sql_tree_free(tree);
	ck_assert_ptr_null(sql_parse(a, "CREATE TABLE (", &err));
	ck_assert_uint_eq(err.offset, strlen("CREATE TABLE "));
	arena_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sql");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, split_respects_quoting_and_comments);
	tcase_add_test(tc, the_parser_says_where_and_why);
	tcase_add_test(tc, parse_tree_locations_are_bytes);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
