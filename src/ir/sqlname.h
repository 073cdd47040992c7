/*
 * The one place SQL identifiers and literals are quoted.  Identifiers are
 * quoted only when PostgreSQL requires it (case, characters, keywords), so
 * generated SQL reads like hand-written SQL.
 */
#ifndef C7_IR_SQLNAME_H
#define C7_IR_SQLNAME_H

#include <stdbool.h>

struct strbuf;

#define SQL_DEFAULT_SCHEMA "public"

bool sql_is_keyword(const char *name);
bool sql_ident_needs_quote(const char *name);
/* "name" with inner quotes doubled, whatever the name. */
void sql_add_quoted(struct strbuf *sb, const char *name);
void sql_add_ident(struct strbuf *sb, const char *name);
/* schema.name, leaving out the default schema. */
void sql_add_qname(struct strbuf *sb, const char *schema, const char *name);
/* schema.name, always qualified. */
void sql_add_full_qname(struct strbuf *sb, const char *schema,
			const char *name);
void sql_add_literal(struct strbuf *sb, const char *text);

/* The statement both the revision and the normaliser's throwaway build
 * create an extension with: IF NOT EXISTS, since an extension belongs to
 * the whole database and may be there already. */
void sql_add_create_extension(struct strbuf *sb, const char *name,
			      const char *schema);

#endif
