#include "ir/sqlname.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"

/*
 * PostgreSQL 15's keywords that are not UNRESERVED (pg_get_keywords()
 * catcode C, T or R): an identifier spelled like one of these must be
 * quoted, exactly as the server's quote_ident() decides.  Sorted for bsearch.
 */
static const char *const pg_keywords[] = {
	"all",
	"analyse",
	"analyze",
	"and",
	"any",
	"array",
	"as",
	"asc",
	"asymmetric",
	"authorization",
	"between",
	"bigint",
	"binary",
	"bit",
	"boolean",
	"both",
	"case",
	"cast",
	"char",
	"character",
	"check",
	"coalesce",
	"collate",
	"collation",
	"column",
	"concurrently",
	"constraint",
	"create",
	"cross",
	"current_catalog",
	"current_date",
	"current_role",
	"current_schema",
	"current_time",
	"current_timestamp",
	"current_user",
	"dec",
	"decimal",
	"default",
	"deferrable",
	"desc",
	"distinct",
	"do",
	"else",
	"end",
	"except",
	"exists",
	"extract",
	"false",
	"fetch",
	"float",
	"for",
	"foreign",
	"freeze",
	"from",
	"full",
	"grant",
	"greatest",
	"group",
	"grouping",
	"having",
	"ilike",
	"in",
	"initially",
	"inner",
	"inout",
	"int",
	"integer",
	"intersect",
	"interval",
	"into",
	"is",
	"isnull",
	"join",
	"lateral",
	"leading",
	"least",
	"left",
	"like",
	"limit",
	"localtime",
	"localtimestamp",
	"national",
	"natural",
	"nchar",
	"none",
	"normalize",
	"not",
	"notnull",
	"null",
	"nullif",
	"numeric",
	"offset",
	"on",
	"only",
	"or",
	"order",
	"out",
	"outer",
	"overlaps",
	"overlay",
	"placing",
	"position",
	"precision",
	"primary",
	"real",
	"references",
	"returning",
	"right",
	"row",
	"select",
	"session_user",
	"setof",
	"similar",
	"smallint",
	"some",
	"substring",
	"symmetric",
	"table",
	"tablesample",
	"then",
	"time",
	"timestamp",
	"to",
	"trailing",
	"treat",
	"trim",
	"true",
	"union",
	"unique",
	"user",
	"using",
	"values",
	"varchar",
	"variadic",
	"verbose",
	"when",
	"where",
	"window",
	"with",
	"xmlattributes",
	"xmlconcat",
	"xmlelement",
	"xmlexists",
	"xmlforest",
	"xmlnamespaces",
	"xmlparse",
	"xmlpi",
	"xmlroot",
	"xmlserialize",
	"xmltable",
};

static int cmp_kw(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool sql_is_keyword(const char *name)
{
	return bsearch(name, pg_keywords, sizeof(pg_keywords) / sizeof(*pg_keywords),
		       sizeof(*pg_keywords), cmp_kw) != NULL;
}

bool sql_ident_needs_quote(const char *name)
{
	if (!*name)
		return true;
	if (!((*name >= 'a' && *name <= 'z') || *name == '_'))
		return true;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '$'))
			return true;
	}
	return sql_is_keyword(name);
}

void sql_add_quoted(struct strbuf *sb, const char *name)
{
	strbuf_addch(sb, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '"');
}

void sql_add_ident(struct strbuf *sb, const char *name)
{
	if (sql_ident_needs_quote(name))
		sql_add_quoted(sb, name);
	else
		strbuf_addstr(sb, name);
}

void sql_add_qname(struct strbuf *sb, const char *schema, const char *name)
{
	if (schema && strcmp(schema, SQL_DEFAULT_SCHEMA) != 0) {
		sql_add_ident(sb, schema);
		strbuf_addch(sb, '.');
	}
	sql_add_ident(sb, name);
}

void sql_add_full_qname(struct strbuf *sb, const char *schema,
			const char *name)
{
	sql_add_ident(sb, schema);
	strbuf_addch(sb, '.');
	sql_add_ident(sb, name);
}

void sql_add_literal(struct strbuf *sb, const char *text)
{
	/* Like quote_literal(): with a backslash present, use the E'' form so
	 * the value is the same whatever standard_conforming_strings says. */
	bool escape = strchr(text, '\\') != NULL;
	if (escape)
		strbuf_addch(sb, 'E');
	strbuf_addch(sb, '\'');
	for (const char *p = text; *p; p++) {
		if (*p == '\'' || (escape && *p == '\\'))
			strbuf_addch(sb, *p);
		strbuf_addch(sb, *p);
	}
	strbuf_addch(sb, '\'');
}

void sql_add_create_extension(struct strbuf *sb, const char *name,
			      const char *schema)
{
	strbuf_addstr(sb, "CREATE EXTENSION IF NOT EXISTS ");
	sql_add_ident(sb, name);
	if (schema) {
		strbuf_addstr(sb, " WITH SCHEMA ");
		sql_add_ident(sb, schema);
	}
	strbuf_addstr(sb, ";\n");
}
