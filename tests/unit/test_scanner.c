#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "lang/parse.h"
#include "lang/parse_internal.h"
#include "model.tab.h"
#include "check_main.h"


struct lexed {
	struct arena *a;
	struct diags d;
	struct strbuf kinds; /* one letter per token */
	const char *texts[64];
	size_t n;
};

/* I identifier, S string, N number, O operator, L line end, K keyword,
 * and the punctuation character itself otherwise. */
static char kind_letter(int t)
{
	switch (t) {
	case IDENT: return 'I';
	case STRING: return 'S';
	case NUMBER: return 'N';
	case OP: return 'O';
	case NL: return 'L';
	case DCOLON: return ':';
	default:
		return t < 256 ? (char)t : 'K';
	}
}

static void lex(struct lexed *lx, const char *src)
{
	lx->a = arena_new();
	diags_init(&lx->d, lx->a);
	struct strbuf empty = STRBUF_INIT;
	lx->kinds = empty;
	lx->n = 0;
	struct parse_state ps = { 0 };
	ps.arena = lx->a;
	ps.diags = &lx->d;
	ps.file = srcfile_new(lx->a, "t.c7", src, strlen(src));
	yyscan_t sc;
	yylex_init_extra(&ps, &sc);
	yy_scan_bytes(src, (int)strlen(src), sc);
	YYSTYPE v;
	struct c7_loc loc;
	int t;
	while ((t = yylex(&v, &loc, sc)) != 0) {
		strbuf_addch(&lx->kinds, kind_letter(t));
		if (lx->n < 64)
			lx->texts[lx->n++] = (t == IDENT || t == STRING || t == NUMBER ||
					      t == OP || t > 256) ? v.tok.text : "";
	}
	yylex_destroy(sc);
}

static void done(struct lexed *lx)
{
	strbuf_release(&lx->kinds);
	arena_free(lx->a);
}

START_TEST(identifiers_fold_and_quote)
{
	struct lexed lx;
	lex(&lx, "Users \"Users\" \"a\"\"b\" snake_case$1");
	ck_assert_str_eq(lx.kinds.buf, "IIII");
	ck_assert_str_eq(lx.texts[0], "users");
	ck_assert_str_eq(lx.texts[1], "Users");
	ck_assert_str_eq(lx.texts[2], "a\"b");
	ck_assert_str_eq(lx.texts[3], "snake_case$1");
	ck_assert_uint_eq(lx.d.errors, 0);
	done(&lx);
}
END_TEST

START_TEST(keywords_are_case_insensitive)
{
	struct lexed lx;
	lex(&lx, "TABLE Table table comment");
	ck_assert_str_eq(lx.kinds.buf, "KKKK");
	ck_assert_str_eq(lx.texts[1], "table");
	done(&lx);
}
END_TEST

START_TEST(strings_unescape)
{
	struct lexed lx;
	lex(&lx, "'it''s' E'a\\'b\\n' ''");
	ck_assert_str_eq(lx.kinds.buf, "SSS");
	ck_assert_str_eq(lx.texts[0], "it's");
	ck_assert_str_eq(lx.texts[1], "a'b\n");
	ck_assert_str_eq(lx.texts[2], "");
	done(&lx);
}
END_TEST

START_TEST(line_ends_only_inside_braces_and_outside_parens)
{
	struct lexed lx;
	lex(&lx, "a\n{\nb\n\n\nc (d\ne)\n}\n");
	/* Runs of line ends collapse; the one inside parentheses vanishes. */
	ck_assert_str_eq(lx.kinds.buf, "I{LILI(II)L}");
	done(&lx);
}
END_TEST

START_TEST(comments_nest_and_end_operators)
{
	struct lexed lx;
	lex(&lx, "a /* x /* y */ z */ b -- c\n+--d\n/** stars */ e");
	ck_assert_str_eq(lx.kinds.buf, "IIOI");
	ck_assert_str_eq(lx.texts[2], "+");
	done(&lx);
}
END_TEST

START_TEST(numbers_and_operators)
{
	struct lexed lx;
	lex(&lx, "12 1.5 .5 1e10 >= :: -");
	ck_assert_str_eq(lx.kinds.buf, "NNNNO:O");
	ck_assert_str_eq(lx.texts[4], ">=");
	done(&lx);
}
END_TEST

START_TEST(errors_are_reported_not_fatal)
{
	struct lexed lx;
	lex(&lx, "{ a (b; c) é $1 }");
	/* ';' inside parentheses, non-ASCII name, '$1' (one error). */
	ck_assert_uint_eq(lx.d.errors, 3);
	ck_assert_str_eq(lx.kinds.buf, "{I(II)}");
	done(&lx);
}
END_TEST

START_TEST(unterminated_input_stops_cleanly)
{
	const char *cases[] = { "'abc", "\"abc", "/* abc", "E'abc\\'" };
	for (size_t i = 0; i < 4; i++) {
		struct lexed lx;
		lex(&lx, cases[i]);
		ck_assert_uint_eq(lx.d.errors, 1);
		done(&lx);
	}
}
END_TEST

START_TEST(long_names_are_errors)
{
	struct lexed lx;
	char name[80];
	memset(name, 'x', 64);
	name[64] = '\0';
	lex(&lx, name);
	ck_assert_uint_eq(lx.d.errors, 1);
	done(&lx);
	name[63] = '\0';
	lex(&lx, name);
	ck_assert_uint_eq(lx.d.errors, 0);
	done(&lx);
}
END_TEST

START_TEST(nesting_depth_is_limited)
{
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 10000; i++)
		strbuf_addch(&sb, '(');
	struct lexed lx;
	lex(&lx, sb.buf);
	ck_assert_uint_eq(lx.d.errors, 1);
	ck_assert_uint_eq(lx.kinds.len, PARSE_MAX_DEPTH);
	done(&lx);
	strbuf_release(&sb);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("scanner");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, identifiers_fold_and_quote);
	tcase_add_test(tc, keywords_are_case_insensitive);
	tcase_add_test(tc, strings_unescape);
	tcase_add_test(tc, line_ends_only_inside_braces_and_outside_parens);
	tcase_add_test(tc, comments_nest_and_end_operators);
	tcase_add_test(tc, numbers_and_operators);
	tcase_add_test(tc, errors_are_reported_not_fatal);
	tcase_add_test(tc, unterminated_input_stops_cleanly);
	tcase_add_test(tc, long_names_are_errors);
	tcase_add_test(tc, nesting_depth_is_limited);
	suite_add_tcase(s, tc);
	return s;
}

TEST_MAIN(suite)
