#include "ir/pgnames.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "ir/exprtok.h"
#include "ir/ir.h"

/* pg_mbcliplen for UTF-8: the longest prefix of at most `limit` bytes that
 * does not cut a character. */
static size_t clip_utf8(const char *s, size_t len, size_t limit)
{
	if (len <= limit)
		return len;
	size_t n = limit;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void pgname_build(struct strbuf *sb, const char *name1, const char *name2,
		  const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = (name2 ? 1 : 0) + (label ? strlen(label) + 1 : 0);
	size_t avail = PG_NAMEDATALEN - 1 - overhead;
	size_t c1 = n1, c2 = n2;
	/* Shorten the longer name first, one byte at a time, as the server. */
	while (c1 + c2 > avail) {
		if (c1 > c2)
			c1--;
		else
			c2--;
	}
	c1 = clip_utf8(name1, n1, c1);
	if (name2)
		c2 = clip_utf8(name2, n2, c2);

	strbuf_add(sb, name1, c1);
	if (name2) {
		strbuf_addch(sb, '_');
		strbuf_add(sb, name2, c2);
	}
	if (label) {
		strbuf_addch(sb, '_');
		strbuf_addstr(sb, label);
	}
}

char *pgname_make(struct arena *a, const char *name1, const char *name2,
		  const char *label)
{
	struct strbuf sb = STRBUF_INIT;
	pgname_build(&sb, name1, name2, label);
	char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
}

char *pgname_join(struct arena *a, const struct ir_names *cols)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < cols->len; i++) {
		if (sb.len > 0)
			strbuf_addch(&sb, '_');
		const char *name = cols->items[i];
		size_t n = strlen(name);
		strbuf_add(&sb, name, n < PG_NAMEDATALEN - 1 ? n : PG_NAMEDATALEN - 1);
		if (sb.len >= PG_NAMEDATALEN)
			break;
	}
	char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
}

void pgname_index_columns(struct arena *a, struct ir_names *names)
{
	for (size_t i = 0; i < names->len; i++) {
		const char *orig = names->items[i];
		const char *cur = orig;
		for (int k = 1;; k++) {
			bool clash = false;
			for (size_t j = 0; j < i && !clash; j++)
				clash = strcmp(names->items[j], cur) == 0;
			if (!clash)
				break;
			char num[16];
			snprintf(num, sizeof(num), "%d", k);
			size_t keep = clip_utf8(orig, strlen(orig),
						PG_NAMEDATALEN - 1 - strlen(num));
			cur = arena_printf(a, "%.*s%s", (int)keep, orig, num);
		}
		names->items[i] = cur;
	}
}

void pgname_space_init(struct pgname_space *sp, struct arena *a)
{
	hmap_init(&sp->relations, a);
	hmap_init(&sp->constraints, a);
}

char *pgname_choose(struct arena *a, const struct pgname_space *sp,
		    const char *name1, const char *name2, const char *label,
		    int check, bool *suffixed)
{
	char modlabel[PG_NAMEDATALEN + 16];
	snprintf(modlabel, sizeof(modlabel), "%s", label);
	for (int pass = 1;; pass++) {
		char *name = pgname_make(a, name1, name2, modlabel);
		bool taken =
			((check & PGNAME_CHECK_RELATIONS) &&
			 hmap_get(&sp->relations, name)) ||
			((check & PGNAME_CHECK_CONSTRAINTS) &&
			 hmap_get(&sp->constraints, name));
		if (!taken) {
			if (suffixed)
				*suffixed = pass > 1;
			return name;
		}
		snprintf(modlabel, sizeof(modlabel), "%s%d", label, pass);
	}
}

/* Where the operator part " with OP" of an exclusion element starts: the
 * last "with" word outside parentheses and quotes. */
static size_t with_at(const char *e, size_t len)
{
	size_t at = len;
	int depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (e[i] == '\'' || e[i] == '"') {
			char q = e[i];
			for (i++; i < len && e[i] != q; i++)
				;
		} else if (e[i] == '(') {
			depth++;
		} else if (e[i] == ')') {
			depth--;
		} else if (depth == 0 && i > 0 && e[i - 1] == ' ' && i + 4 <= len &&
			   strncasecmp(e + i, "with", 4) == 0 &&
			   (i + 4 == len || e[i + 4] == ' ')) {
			at = i - 1;
		}
	}
	return at;
}

struct ir_names pgname_exclusion_columns(struct arena *a, const char *src)
{
	struct vec names = { 0 };
	const char *open = strchr(src, '(');
	if (open) {
		size_t end = exprtok_group_len(open);
		if (end > 1 && open[end - 1] == ')')
			end--;
		size_t i = 1;
		while (i < end) {
			size_t j = i;
			int depth = 0;
			for (; j < end && !(depth == 0 && open[j] == ','); j++) {
				if (open[j] == '\'' || open[j] == '"') {
					char q = open[j];
					for (j++; j < end && open[j] != q; j++)
						;
				} else if (open[j] == '(') {
					depth++;
				} else if (open[j] == ')') {
					depth--;
				}
			}
			const char *e = open + i;
			while (*e == ' ')
				e++;
			size_t len = (size_t)(open + j - e);
			char *elem = arena_strndup(a, e, with_at(e, len));
			vec_push(a, &names, (void *)exprtok_index_colname(a, elem));
			i = j + 1;
		}
	}
	struct ir_names out = { (const char **)names.items, names.len };
	return out;
}

bool pgname_is_default_constraint(struct arena *a, const struct ir_table *t,
				  const struct ir_constraint *c,
				  const struct ir_names *check_cols)
{
	const char *name2 = NULL, *label;
	switch (c->kind) {
	case IR_CON_PRIMARY:
		label = "pkey";
		break;
	case IR_CON_UNIQUE: {
		struct ir_names all = c->cols;
		if (c->include.len) {
			all.len = c->cols.len + c->include.len;
			all.items = arena_array(a, all.len, sizeof(char *));
			memcpy(all.items, c->cols.items, c->cols.len * sizeof(char *));
			memcpy(all.items + c->cols.len, c->include.items,
			       c->include.len * sizeof(char *));
		}
		name2 = pgname_join(a, &all);
		label = "key";
		break;
	}
	case IR_CON_FOREIGN:
		name2 = pgname_join(a, &c->cols);
		label = "fkey";
		break;
	case IR_CON_EXCLUDE: {
		struct ir_names cols = pgname_exclusion_columns(a, c->check.src);
		pgname_index_columns(a, &cols);
		name2 = pgname_join(a, &cols);
		label = "excl";
		break;
	}
	default:
		name2 = check_cols && check_cols->len == 1 ? check_cols->items[0] : NULL;
		label = "check";
		break;
	}
	return strcmp(pgname_make(a, t->name, name2, label), c->name) == 0;
}

bool pgname_is_default_index(struct arena *a, const struct ir_table *t,
			     const struct ir_index *ix)
{
	struct ir_names cols;
	cols.len = ix->nelems + ix->include.len;
	cols.items = arena_array(a, cols.len ? cols.len : 1, sizeof(char *));
	for (size_t i = 0; i < ix->nelems; i++) {
		const struct ir_index_elem *e = &ix->elems[i];
		cols.items[i] = e->column ? e->column
					  : exprtok_index_colname(a, ir_expr_cmp(&e->expr));
	}
	for (size_t i = 0; i < ix->include.len; i++)
		cols.items[ix->nelems + i] = ix->include.items[i];
	pgname_index_columns(a, &cols);
	return strcmp(pgname_make(a, t->name, pgname_join(a, &cols), "idx"),
		      ix->name) == 0;
}
