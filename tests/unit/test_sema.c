#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "ir/ir.h"
#include "lang/lang.h"
#include "lang/parse.h"
#include "check_main.h"

struct analyzed {
	struct arena *a;
	struct diags d;
	struct ir_schema *ir;
	char *errors;
};

static void analyze(struct analyzed *r, const char *src)
{
	memset(r, 0, sizeof(*r));
	r->a = arena_new();
	diags_init(&r->d, r->a);
	struct ast_model m = { 0 };
	struct srcfile *f = srcfile_new(r->a, "m.c7", src, strlen(src));
	if (parse_model_file(r->a, r->a, &r->d, f, &m))
		r->ir = lang_analyze(r->a, &r->d, &m);
	size_t n;
	FILE *out = open_memstream(&r->errors, &n);
	diags_render(&r->d, out, false);
	fclose(out);
}

static void done(struct analyzed *r)
{
	free(r->errors);
	arena_free(r->a);
}

static const struct ir_constraint *con(const struct ir_table *t, const char *name)
{
	for (size_t i = 0; i < t->constraints.len; i++) {
		const struct ir_constraint *c = t->constraints.items[i];
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

static const struct ir_index *idx(const struct ir_table *t, const char *name)
{
	for (size_t i = 0; i < t->indexes.len; i++) {
		const struct ir_index *x = t->indexes.items[i];
		if (strcmp(x->name, name) == 0)
			return x;
	}
	return NULL;
}

static void expect_error(const char *src, const char *fragment)
{
	struct analyzed r;
	analyze(&r, src);
	ck_assert_ptr_null(r.ir);
	ck_assert_msg(strstr(r.errors, fragment) != NULL,
		      "expected '%s' in:\n%s", fragment, r.errors);
	done(&r);
}

START_TEST(canonical_types)
{
	struct analyzed r;
	analyze(&r, "enum mood { happy }\n"
		    "table t {\n"
		    "  a int\n  b int8\n  c varchar(20)\n  d character(3)\n  e char\n"
		    "  f timestamptz(3)\n  g timestamp\n  h time with time zone\n"
		    "  i numeric(12)\n  j float(10)\n  k double precision\n"
		    "  l mood[]\n  m serial\n  n decimal(5,2)\n  o bool\n"
		    "}\n");
	ck_assert_str_eq(r.errors, "");
	struct ir_table *t = ir_table_find(r.ir, "public", "t");
	const char *want[][2] = {
		{ "a", "integer" }, { "b", "bigint" }, { "c", "character varying(20)" },
		{ "d", "character(3)" }, { "e", "character(1)" },
		{ "f", "timestamp(3) with time zone" },
		{ "g", "timestamp without time zone" },
		{ "h", "time with time zone" }, { "i", "numeric(12,0)" },
		{ "j", "real" }, { "k", "double precision" },
		{ "l", "public.mood[]" }, { "m", "integer" }, { "n", "numeric(5,2)" },
		{ "o", "boolean" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(*want); i++)
		ck_assert_str_eq(ir_column_find(t, want[i][0])->type.canon, want[i][1]);
	ck_assert_int_eq(ir_column_find(t, "m")->type.serial, 'i');
	ck_assert(ir_column_find(t, "m")->not_null);
	ck_assert_str_eq(ir_column_find(t, "m")->seq_name, "t_m_seq");
	done(&r);
}
END_TEST

START_TEST(default_names_follow_postgres)
{
	struct analyzed r;
	analyze(&r, "table users {\n"
		    "  id uuid primary key\n"
		    "  email text unique check (char_length(email) >= 3)\n"
		    "  a int\n  b int\n"
		    "  check (a > b)\n  check (true)\n  check (a > 0)\n"
		    "  unique (a, b)\n"
		    "  index (lower(email))\n  index ((a + b))\n  index (a, a)\n"
		    "  constraint users_a_check check (a < 100)\n"
		    "}\n"
		    "table posts { id int primary key\n  user_id uuid references users }\n");
	ck_assert_str_eq(r.errors, "");
	struct ir_table *u = ir_table_find(r.ir, "public", "users");
	ck_assert_ptr_nonnull(con(u, "users_pkey"));
	ck_assert_ptr_nonnull(con(u, "users_email_key"));
	ck_assert_ptr_nonnull(con(u, "users_email_check"));
	ck_assert_ptr_nonnull(con(u, "users_check"));
	ck_assert_ptr_nonnull(con(u, "users_check1"));
	/* users_a_check is taken by the author, so the column check moves on. */
	ck_assert_ptr_nonnull(con(u, "users_a_check1"));
	ck_assert_int_eq(con(u, "users_a_check")->naming, IR_NAME_GIVEN);
	ck_assert_int_eq(con(u, "users_check1")->naming, IR_NAME_SUFFIXED);
	ck_assert_ptr_nonnull(con(u, "users_a_b_key"));
	ck_assert_ptr_nonnull(idx(u, "users_lower_idx"));
	ck_assert_ptr_nonnull(idx(u, "users_expr_idx"));
	ck_assert_ptr_nonnull(idx(u, "users_a_a1_idx"));
	struct ir_table *p = ir_table_find(r.ir, "public", "posts");
	const struct ir_constraint *fk = con(p, "posts_user_id_fkey");
	ck_assert_ptr_nonnull(fk);
	ck_assert_str_eq(fk->ref_table, "users");
	ck_assert_str_eq(fk->ref_cols.items[0], "id");
	ck_assert_int_eq(fk->on_delete, IR_FK_NO_ACTION);
	done(&r);
}
END_TEST

START_TEST(declaration_order_does_not_matter)
{
	struct analyzed r;
	analyze(&r, "table a { b_id int references b\n  m mood }\n"
		    "table b { id int primary key }\nenum mood { x }\n");
	ck_assert_str_eq(r.errors, "");
	done(&r);
}
END_TEST

START_TEST(unknown_type_suggests)
{
	struct analyzed r;
	analyze(&r, "table t {\n  a txet\n}\n");
	ck_assert_str_eq(r.errors,
		"m.c7:2:5: error: unknown type 'txet' (did you mean 'text'?)\n"
		"      a txet\n"
		"        ^~~~\n");
	done(&r);
}
END_TEST

START_TEST(missing_table_suggests)
{
	struct analyzed r;
	analyze(&r, "table users { id uuid primary key }\n"
		    "table notifications {\n"
		    "  user_id  uuid not null references user on delete cascade\n"
		    "}\n");
	ck_assert_str_eq(r.errors,
		"m.c7:3:37: error: table 'user' does not exist (did you mean 'users'?)\n"
		"      user_id  uuid not null references user on delete cascade\n"
		"                                        ^~~~\n");
	done(&r);
}
END_TEST

START_TEST(duplicates_point_at_the_first)
{
	struct analyzed r;
	analyze(&r, "table t { a int }\ntable t { b int }\n");
	ck_assert_str_eq(r.errors,
		"m.c7:2:7: error: table 't' is already defined\n"
		"    table t { b int }\n"
		"          ^\n"
		"m.c7:1:7: note: previous definition is here\n"
		"    table t { a int }\n"
		"          ^\n");
	done(&r);
	expect_error("table t { a int; a text }", "column 'a' is already defined in table 't'");
	expect_error("enum e { x }\nenum e { y }", "enum 'e' is already defined");
	expect_error("enum e { x, y, x }", "duplicate label 'x' in enum 'e'");
	expect_error("table t { a int; constraint c check (a > 0); constraint c check (a < 9) }",
		     "constraint 'c' is already defined on this table");
	expect_error("table t { a int; index i (a) }\ntable u { b int; index i (b) }",
		     "name 'i' is already used by another table or index");
	expect_error("enum t { x }\ntable t { a int }", "same name as an enum");
}
END_TEST

START_TEST(reference_errors)
{
	expect_error("table a { id int primary key }\ntable b { a_id uuid references a }",
		     "foreign key column 'a_id' is uuid, but 'a.id' is integer");
	/* As in PostgreSQL, integers reference integers of another width. */
	struct analyzed ok;
	analyze(&ok, "table a { id int primary key }\ntable b { a_id smallint references a }");
	ck_assert_str_eq(ok.errors, "");
	done(&ok);
	expect_error("table a { id int primary key; x int }\ntable b { x int references a (x) }",
		     "'a(x)' is not a primary key or unique");
	expect_error("table a { id int }\ntable b { a_id int references a }",
		     "table 'a' has no primary key; name the referenced column");
	expect_error("table a { id int primary key }\ntable b { a_id int references a (idd) }",
		     "column 'idd' does not exist in table 'a'");
	expect_error("table a { x int primary key; y int primary key }",
		     "table 'a' has more than one primary key");
	expect_error("table a { x int; primary key (x, z) }",
		     "column 'z' does not exist in table 'a' (did you mean 'x'?)");
	/* A plain unique index is referenceable, a partial one is not. */
	struct analyzed r;
	analyze(&r, "table a { x int; unique index (x) }\ntable b { x int references a (x) }");
	ck_assert_str_eq(r.errors, "");
	done(&r);
	expect_error("table a { x int; unique index (x) where (x > 0) }\n"
		     "table b { x int references a (x) }", "is not a primary key or unique");
}
END_TEST

START_TEST(rename_hints_must_not_name_live_objects)
{
	expect_error("table a { x int }\ntable b renamed from a { y int }",
		     "table 'b' is renamed from 'a', but 'a' still exists");
	expect_error("table a { x int; y int renamed from x }",
		     "column 'y' is renamed from 'x', but 'x' still exists");
	expect_error("enum e { a, b renamed from a }",
		     "label 'b' is renamed from 'a', but 'a' is still in the enum");
}
END_TEST

START_TEST(column_conflicts)
{
	expect_error("table t { a text generated always as identity }",
		     "identity column 'a' must be smallint, integer or bigint");
	expect_error("table t { a int default 1 generated always as identity }",
		     "has both a default and an identity");
	expect_error("table t { a int not null null }",
		     "declared null but must be not null");
	expect_error("table t { a serial default 1 }", "serial column 'a' cannot have a default");
	expect_error("table t { a int default 1 default 2 }", "'default' given twice");
	expect_error("table t { a varchar(0) }", "length for type 'varchar'");
	expect_error("table t { a integer(3) }", "type 'integer' does not take modifiers");
	expect_error("table t { a int; index (a) using bree }",
		     "unknown index method 'bree' (did you mean 'btree'?)");
}
END_TEST

START_TEST(many_errors_are_all_reported)
{
	struct analyzed r;
	analyze(&r, "table a { x txet\n y innt\n z int references nope }\n"
		    "table b { q int; primary key (w) }\n");
	ck_assert_uint_eq(r.d.errors, 4);
	done(&r);
}
END_TEST

START_TEST(every_other_diagnostic)
{
	/* One line per remaining message, so each is exercised at least once. */
	expect_error("table t { a int references u on delete cascade on delete restrict }\ntable u { id int primary key }",
		     "'on delete' given twice");
	expect_error("table t { a numeric(1,2,3) }", "too many type modifiers");
	expect_error("table t { a varchar(99999999999) }", "type modifier must be a small whole number");
	expect_error("table t { a timestamp(7) }", "precision for type 'timestamp' must be between 0 and 6");
	expect_error("table t { a numeric(1001) }", "numeric precision must be between 1 and 1000");
	expect_error("table t { a float(60) }", "precision for type float must be between 1 and 53");
	expect_error("table t { a serial[] }", "array of serial is not supported");
	expect_error("enum e { x }\ntable t { a e(3) }", "type 'e' does not take modifiers");
	expect_error("table t { a int generated always as identity generated by default as identity }",
		     "identity given twice");
	expect_error("table t { a int default 1 generated always as (2) stored }",
		     "has both a default and a generation expression");
	expect_error("table t { a int generated always as (1) stored generated always as identity }",
		     "is both generated and an identity");
	expect_error("table t { a int; b int; primary key (a, a) }", "column 'a' is listed twice");
	expect_error("table t { a int; comment 'x'; comment 'y' }", "table comment given twice");
	expect_error("table u { a int; b int; primary key (a, b) }\ntable t { x int references u }",
		     "foreign key has 1 column but references 2 in 'u'");
	expect_error("table t { a int default * 3 }", "unexpected operator '*' in default");
	expect_error("table t { a int check (a > (1 }", "unclosed '('");
	expect_error("table t { a int \\ }", "unexpected character");

	char label[80];
	memset(label, 'x', 64);
	label[64] = '\0';
	char src[128];
	snprintf(src, sizeof(src), "enum e { '%s' }", label);
	expect_error(src, "enum label is longer than 63 bytes");

	struct analyzed r;
	analyze(&r, "table empty {}\n");
	ck_assert_ptr_nonnull(r.ir);
	ck_assert(strstr(r.errors, "warning: table 'empty' has no columns") != NULL);
	done(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sema");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, canonical_types);
	tcase_add_test(tc, default_names_follow_postgres);
	tcase_add_test(tc, declaration_order_does_not_matter);
	tcase_add_test(tc, unknown_type_suggests);
	tcase_add_test(tc, missing_table_suggests);
	tcase_add_test(tc, duplicates_point_at_the_first);
	tcase_add_test(tc, reference_errors);
	tcase_add_test(tc, rename_hints_must_not_name_live_objects);
	tcase_add_test(tc, column_conflicts);
	tcase_add_test(tc, many_errors_are_all_reported);
	tcase_add_test(tc, every_other_diagnostic);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
