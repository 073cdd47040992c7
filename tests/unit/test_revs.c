#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/vec.h"
#include "revs/revs.h"
#include "revs/stmtinfo.h"
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

/* PostgreSQL's parser checks every step when the file is loaded, so a typo
 * in the last statement is found before the first one is sent. */
START_TEST(statements_the_parser_rejects_are_errors_at_their_place)
{
	const char *typo = "-- revision: abcd1234\n-- +upgrade\nCREATE TABLE t (a int);\n"
			   "ALTER TABLE t ADD COLUM b int;\n-- +downgrade\nDROP TABLE t;\n";
	expect(typo, strlen(typo),
	       "migrations/x.sql:4:27: error: syntax error at or near \"int\"\n"
	       "    ALTER TABLE t ADD COLUM b int;\n"
	       "                              ^\n");
	const char *down = "-- revision: abcd1234\n-- +upgrade\n-- +downgrade\n-- +step\n"
			   "SELECT 1;\n-- +step\nDROP TABLE t t;\n";
	expect(down, strlen(down), "migrations/x.sql:7:14: error: syntax error at or near \"t\"");
	const char *meta = "-- revision: abcd1234\n-- +upgrade\n\\i other.sql\n-- +downgrade\n";
	expect(meta, strlen(meta), "migrations/x.sql:3:1: error: psql meta-command '\\i' is not "
	       "supported in revisions");
	/* A marker inside a dollar quote cuts the body: the parser says so. */
	const char *cut = "-- revision: abcd1234\n-- +upgrade\nDO $$ BEGIN\n-- +step\nEND $$;\n"
			  "-- +downgrade\n";
	expect(cut, strlen(cut), "migrations/x.sql:3:4: error: unterminated dollar-quoted string");
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

/* The step's text starts right after its marker line. */
static void expect_step(const struct parsed *p, const struct section *sec, size_t i,
			const char *starts_with, bool none)
{
	ck_assert_uint_gt(sec->nsteps, i);
	const struct rev_step *st = &sec->steps[i];
	ck_assert_msg(strncmp(st->sql, starts_with, strlen(starts_with)) == 0,
		      "step %zu is '%s'", i + 1, st->sql);
	ck_assert(strncmp(p->r->file->text + st->offset, st->sql, strlen(st->sql)) == 0);
	ck_assert(st->no_transaction == none);
}

START_TEST(steps_divide_a_section)
{
	const char *t =
		"-- revision: abcd1234\n"
		"\n"
		"-- +upgrade\n"
		"-- WARNING: a comment before the first marker is not a step\n"
		"-- +step\n"
		"ALTER TABLE o ADD CONSTRAINT o_fk FOREIGN KEY (u) REFERENCES u NOT VALID;\n"
		"-- +step   \n"
		"ALTER TABLE o VALIDATE CONSTRAINT o_fk;\n"
		"-- +step transaction: none\n"
		"CREATE INDEX CONCURRENTLY IF NOT EXISTS o_u_idx ON o (u);\n"
		"-- +downgrade\n"
		"DROP INDEX o_u_idx;\n"
		"-- +step transaction: none\n"
		"SELECT 1;\n"
		"-- +step\n"
		"-- +step\n"
		"ALTER TABLE o DROP CONSTRAINT o_fk;\n";
	struct parsed p;
	parse(&p, t, strlen(t));
	ck_assert_str_eq(p.errors, "");
	ck_assert(p.r->up.marked);
	ck_assert_uint_eq(p.r->up.nsteps, 3);
	expect_step(&p, &p.r->up, 0, "ALTER TABLE o ADD CONSTRAINT", false);
	expect_step(&p, &p.r->up, 1, "ALTER TABLE o VALIDATE", false);
	expect_step(&p, &p.r->up, 2, "CREATE INDEX CONCURRENTLY", true);
	/* The marker line is where the step starts, for messages. */
	ck_assert(strncmp(t + p.r->up.steps[1].line_start, "-- +step   \n", 12) == 0);
	/* Statements before the first marker are step 1; an empty step is
	 * kept (it pairs with an upgrade step that needs no undoing). */
	ck_assert_uint_eq(p.r->down.nsteps, 4);
	expect_step(&p, &p.r->down, 0, "DROP INDEX o_u_idx", false);
	expect_step(&p, &p.r->down, 1, "SELECT 1", true);
	ck_assert_str_eq(p.r->down.steps[2].sql, "");
	expect_step(&p, &p.r->down, 3, "ALTER TABLE o DROP", false);
	done(&p);
}
END_TEST

START_TEST(a_section_without_markers_is_one_step)
{
	struct parsed p;
	parse(&p, good, strlen(good));
	ck_assert(!p.r->up.marked);
	ck_assert_uint_eq(p.r->up.nsteps, 1);
	ck_assert_str_eq(p.r->up.steps[0].sql, p.r->up.sql);
	ck_assert_uint_eq(p.r->up.steps[0].offset, p.r->up.offset);
	ck_assert(!p.r->up.steps[0].no_transaction);
	done(&p);
	const char *none = "-- revision: abcd1234\n-- transaction: none\n-- +upgrade\n"
			   "CREATE INDEX CONCURRENTLY i ON t (a);\n-- +downgrade\n";
	parse(&p, none, strlen(none));
	ck_assert_uint_eq(p.r->up.nsteps, 1);
	ck_assert(p.r->up.steps[0].no_transaction);
	ck_assert_uint_eq(p.r->down.nsteps, 1);
	done(&p);
}
END_TEST

START_TEST(bad_step_markers)
{
	const char *typo = "-- revision: abcd1234\n-- +upgrade\n-- +step transaction:none\n"
			   "SELECT 1;\n-- +downgrade\n";
	expect(typo, strlen(typo), "3:1: error: unknown step marker");
	const char *other = "-- revision: abcd1234\n-- +upgrade\n-- +steps\n-- +downgrade\n";
	expect(other, strlen(other), "3:1: error: unknown step marker");
	const char *outside = "-- revision: abcd1234\n-- +step\n-- +upgrade\n-- +downgrade\n";
	expect(outside, strlen(outside), "2:1: error: '-- +step' outside the");
	const char *both = "-- revision: abcd1234\n-- transaction: none\n-- +upgrade\n"
			   "-- +step\nSELECT 1;\n-- +downgrade\n";
	expect(both, strlen(both), "4:1: error: '-- transaction: none' and '-- +step' markers");
	const char *timeout = "-- revision: abcd1234\n-- ddl-lock-timeout: soon\n-- +upgrade\n"
			      "-- +downgrade\n";
	expect(timeout, strlen(timeout), "2:1: error: 'ddl-lock-timeout' takes 'off' or a duration");
}
END_TEST

START_TEST(ddl_lock_timeout_header)
{
	const char *t = "-- revision: abcd1234\n-- ddl-lock-timeout: 1.5s\n-- +upgrade\n"
			"-- +downgrade\n";
	struct parsed p;
	parse(&p, t, strlen(t));
	ck_assert(p.r->has_ddl_lock_timeout);
	ck_assert_int_eq(p.r->ddl_lock_timeout_ms, 1500);
	done(&p);
	parse(&p, good, strlen(good));
	ck_assert(!p.r->has_ddl_lock_timeout);
	done(&p);
}
END_TEST

START_TEST(durations_in_postgresql_units)
{
	long ms = -1;
	ck_assert(revs_parse_duration("200ms", &ms) && ms == 200);
	ck_assert(revs_parse_duration("2s", &ms) && ms == 2000);
	ck_assert(revs_parse_duration("2 s", &ms) && ms == 2000);
	ck_assert(revs_parse_duration("1min", &ms) && ms == 60000);
	ck_assert(revs_parse_duration("250", &ms) && ms == 250);
	ck_assert(revs_parse_duration("off", &ms) && ms == 0);
	ck_assert(revs_parse_duration("0", &ms) && ms == 0);
	ck_assert(!revs_parse_duration("", &ms));
	ck_assert(!revs_parse_duration("2 seconds", &ms));
	ck_assert(!revs_parse_duration("-1s", &ms));
	ck_assert(!revs_parse_duration("100us", &ms)); /* below a millisecond */
	ck_assert(!revs_parse_duration("30d", &ms));   /* over lock_timeout's range */
}
END_TEST

START_TEST(statements_the_runner_recognises)
{
	struct arena *a = arena_new();
	struct index_build ib;
	const char *cic = "create unique index concurrently if not exists \"Odd \"\"Name\" "
			  "ON ONLY sales.\"Orders\" (id)";
	ck_assert(stmt_index_build(a, cic, strlen(cic), &ib));
	ck_assert_str_eq(ib.index, "Odd \"Name");
	ck_assert_str_eq(ib.table, "sales.\"Orders\"");
	const char *plain = "/* c */ CREATE INDEX CONCURRENTLY Orders_Idx ON orders USING btree (a)";
	ck_assert(stmt_index_build(a, plain, strlen(plain), &ib));
	ck_assert_str_eq(ib.index, "orders_idx");
	ck_assert_str_eq(ib.table, "orders");
	const char *unnamed = "CREATE INDEX CONCURRENTLY ON orders (a)";
	ck_assert(!stmt_index_build(a, unnamed, strlen(unnamed), &ib));
	const char *locked = "CREATE INDEX orders_idx ON orders (a)";
	ck_assert(!stmt_index_build(a, locked, strlen(locked), &ib));
	ck_assert(stmt_is_concurrent(a, cic, strlen(cic)));
	const char *drop = "DROP INDEX -- why\n CONCURRENTLY IF EXISTS x";
	ck_assert(stmt_is_concurrent(a, drop, strlen(drop)));
	const char *quoted = "SELECT 'concurrently', \"concurrently\", f(concurrently)";
	ck_assert(!stmt_is_concurrent(a, quoted, strlen(quoted)));
	ck_assert(!stmt_is_concurrent(a, locked, strlen(locked)));
	const char *reindex = "REINDEX (VERBOSE, CONCURRENTLY) INDEX x";
	ck_assert(stmt_is_concurrent(a, reindex, strlen(reindex)));
	const char *detach = "ALTER TABLE p DETACH PARTITION c CONCURRENTLY";
	ck_assert(stmt_is_concurrent(a, detach, strlen(detach)));
	const char *two = "DROP INDEX CONCURRENTLY x; SELECT 1";
	ck_assert(!stmt_is_concurrent(a, two, strlen(two)));
	arena_free(a);
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

static Suite *suite(void)
{
	Suite *s = suite_create("revs");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, a_good_file);
	tcase_add_test(tc, bad_files_are_errors_with_a_line);
	tcase_add_test(tc, statements_the_parser_rejects_are_errors_at_their_place);
	tcase_add_test(tc, transaction_none);
	tcase_add_test(tc, steps_divide_a_section);
	tcase_add_test(tc, a_section_without_markers_is_one_step);
	tcase_add_test(tc, bad_step_markers);
	tcase_add_test(tc, ddl_lock_timeout_header);
	tcase_add_test(tc, durations_in_postgresql_units);
	tcase_add_test(tc, statements_the_runner_recognises);
	tcase_add_test(tc, slugs);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
