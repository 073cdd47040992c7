#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "revs/revs.h"
#include "revs/sqlsplit.h"
#include "check_main.h"

struct parsed {
	struct arena *a;
	struct diags d;
	struct revision *r;
	char *errors;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->a = arena_new();
	diags_init(&p->d, p->a);
	struct srcfile *f = srcfile_new(p->a, "migrations/x.sql", text, len);
	p->r = revs_parse(p->a, &p->d, f);
	size_t n;
	FILE *out = open_memstream(&p->errors, &n);
	diags_render(&p->d, out, false);
	fclose(out);
}

static void done(struct parsed *p)
{
	free(p->errors);
	arena_free(p->a);
}

static const char good[] =
	"-- revision: 3f9a1c2b7d4e\n"
	"-- parents: aaaa1111 bbbb2222\n"
	"-- message: merge it\n"
	"-- created: 2026-11-24 05:52:52Z\n"
	"-- depends-on: cccc3333\n"
	"\n"
	"-- +upgrade\n"
	"CREATE TABLE t (id int);\n"
	"\n"
	"-- +downgrade\n"
	"DROP TABLE t;\n";

START_TEST(a_good_file)
{
	struct parsed p;
	parse(&p, good, strlen(good));
	ck_assert_str_eq(p.errors, "");
	ck_assert_str_eq(p.r->id, "3f9a1c2b7d4e");
	ck_assert_uint_eq(p.r->nparents, 2);
	ck_assert_str_eq(p.r->parents[1], "bbbb2222");
	ck_assert_uint_eq(p.r->ndepends, 1);
	ck_assert_str_eq(p.r->message, "merge it");
	ck_assert(!p.r->no_transaction);
	ck_assert_str_eq(p.r->up.sql, "CREATE TABLE t (id int);\n\n");
	ck_assert_str_eq(p.r->down.sql, "DROP TABLE t;\n");
	/* The section keeps its place in the file for error positions. */
	ck_assert(strncmp(good + p.r->up.offset, "CREATE TABLE", 12) == 0);
	ck_assert_uint_eq(strlen(p.r->checksum), 64);
	done(&p);
}
END_TEST

static void expect(const char *text, size_t len, const char *fragment)
{
	struct parsed p;
	parse(&p, text, len);
	ck_assert_ptr_null(p.r);
	ck_assert_msg(strstr(p.errors, fragment) != NULL, "expected '%s' in:\n%s",
		      fragment, p.errors);
	done(&p);
}

START_TEST(bad_files_are_errors_with_a_line)
{
	const char *no_down = "-- revision: abcd1234\n-- parents:\n\n-- +upgrade\nSELECT 1;\n";
	expect(no_down, strlen(no_down), "missing '-- +downgrade' section");
	const char *typo = "-- revision: abcd1234\n-- parent: x\n-- +upgrade\n-- +downgrade\n";
	expect(typo, strlen(typo), "migrations/x.sql:2:1: error: unknown header 'parent'");
	const char *noid = "-- parents:\n-- +upgrade\n-- +downgrade\n";
	expect(noid, strlen(noid), "missing '-- revision:' header");
	const char *twice = "-- revision: abcd1234\n-- +upgrade\n-- +upgrade\n-- +downgrade\n";
	expect(twice, strlen(twice), "3:1: error: second '-- +upgrade' section");
	const char *txn = "-- revision: abcd1234\n-- transaction: maybe\n-- +upgrade\n-- +downgrade\n";
	expect(txn, strlen(txn), "'transaction' may only be 'none'");
	const char *badid = "-- revision: no-dashes\n-- +upgrade\n-- +downgrade\n";
	expect(badid, strlen(badid), "invalid revision id 'no-dashes'");
	const char *stray = "-- revision: abcd1234\nSELECT 1;\n-- +upgrade\n-- +downgrade\n";
	expect(stray, strlen(stray), "2:1: error: SQL before the '-- +upgrade' section");
	const char nul[] = "-- revision: abcd1234\n-- +upgrade\nSELECT\0 1;\n-- +downgrade\n";
	expect(nul, sizeof(nul) - 1, "contains a NUL byte");
	const char *utf8 = "-- revision: abcd1234\n-- +upgrade\nSELECT '\xc3\x28';\n-- +downgrade\n";
	expect(utf8, strlen(utf8), "not valid UTF-8");
}
END_TEST

START_TEST(transaction_none)
{
	const char *t = "-- revision: abcd1234\n-- transaction: none\n\n-- +upgrade\n"
			"CREATE INDEX CONCURRENTLY i ON t (a);\n-- +downgrade\n";
	struct parsed p;
	parse(&p, t, strlen(t));
	ck_assert_ptr_nonnull(p.r);
	ck_assert(p.r->no_transaction);
	done(&p);
}
END_TEST

START_TEST(slugs)
{
	struct arena *a = arena_new();
	ck_assert_str_eq(revs_slug(a, "Add notifications"), "add_notifications");
	ck_assert_str_eq(revs_slug(a, "  add is_verified to users!! "), "add_is_verified_to_users");
	ck_assert_str_eq(revs_slug(a, "--"), "revision");
	const char *longer = revs_slug(a, "a very long message that goes on and on beyond forty bytes");
	ck_assert_uint_le(strlen(longer), 40);
	ck_assert_str_eq(longer, "a_very_long_message_that_goes_on_and_on");
	arena_free(a);
}
END_TEST

static const char *stmt(struct vec *v, size_t i)
{
	return ((struct sql_stmt *)v->items[i])->text;
}

START_TEST(sql_split_respects_quoting)
{
	struct arena *a = arena_new();
	const char *sql =
		"SELECT ';';\n"
		"-- a comment; with a semicolon\n"
		"CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\n"
		"/* nested /* comment; */ still; */ SELECT \"a;b\" FROM t;\n"
		"SELECT E'\\';' ;\n"
		"  -- only a comment here\n";
	struct vec v = { 0 };
	sql_split(a, sql, strlen(sql), &v);
	ck_assert_uint_eq(v.len, 4);
	ck_assert_str_eq(stmt(&v, 0), "SELECT ';'");
	ck_assert(strstr(stmt(&v, 1), "$body$ SELECT 1; $body$ LANGUAGE sql") != NULL);
	ck_assert(strstr(stmt(&v, 2), "SELECT \"a;b\" FROM t") != NULL);
	ck_assert(strstr(stmt(&v, 3), "SELECT E'\\';' ") != NULL);
	/* Offsets point back into the input. */
	struct sql_stmt *s2 = v.items[2];
	ck_assert(strncmp(sql + s2->offset, s2->text, s2->len) == 0);
	struct vec w = { 0 };
	sql_split(a, "SELECT 1", 8, &w);
	ck_assert_uint_eq(w.len, 1);
	arena_free(a);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("revs");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, a_good_file);
	tcase_add_test(tc, bad_files_are_errors_with_a_line);
	tcase_add_test(tc, transaction_none);
	tcase_add_test(tc, slugs);
	tcase_add_test(tc, sql_split_respects_quoting);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
