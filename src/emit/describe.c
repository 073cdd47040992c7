#include "emit/describe.h"

#include <string.h>

#include "base/strbuf.h"
#include "diff/change.h"
#include "emit/sqlgen.h"
#include "ir/sqlname.h"

static const struct ir_table *table_of(const struct change *c)
{
	return c->tafter ? c->tafter : c->tbefore;
}

static void qualified(struct strbuf *sb, const struct ir_table *t)
{
	sql_add_qname(sb, t->schema, t->name);
}

void describe_object(struct strbuf *sb, const struct change *c)
{
	const struct ir_table *t = table_of(c);
	switch (c->kind) {
	case CHANGE_SCHEMA:
		strbuf_addstr(sb, "schema ");
		sql_add_ident(sb, c->safter ? c->safter : c->sbefore);
		return;
	case CHANGE_EXTENSION:
	case CHANGE_EXTENSION_SCHEMA: {
		const struct ir_extension *x = c->after ? c->after : c->before;
		strbuf_addstr(sb, "extension ");
		sql_add_ident(sb, x->name);
		return;
	}
	case CHANGE_ENUM:
	case CHANGE_ENUM_LABELS: {
		const struct ir_enum *e = c->after ? c->after : c->before;
		strbuf_addstr(sb, "enum ");
		sql_add_qname(sb, e->schema, e->name);
		return;
	}
	case CHANGE_SEQUENCE:
	case CHANGE_SEQUENCE_ALTER: {
		const struct ir_sequence *q = c->after ? c->after : c->before;
		strbuf_addstr(sb, "sequence ");
		sql_add_qname(sb, q->schema, q->name);
		return;
	}
	case CHANGE_TABLE:
	case CHANGE_TABLE_RENAME:
	case CHANGE_TABLE_COMMENT:
		qualified(sb, c->tafter && c->kind != CHANGE_TABLE_RENAME ? c->tafter
			  : c->tbefore ? c->tbefore : c->tafter);
		return;
	case CHANGE_COLUMN:
	case CHANGE_COLUMN_RENAME:
	case CHANGE_COLUMN_ALTER:
	case CHANGE_COLUMN_COMMENT: {
		const struct ir_column *col = c->after ? c->after : c->before;
		if (c->kind == CHANGE_COLUMN_RENAME)
			col = c->before;
		qualified(sb, t);
		strbuf_addch(sb, '.');
		sql_add_ident(sb, col->name);
		return;
	}
	case CHANGE_CONSTRAINT:
	case CHANGE_CONSTRAINT_RENAME: {
		const struct ir_constraint *k = c->before ? c->before : c->after;
		qualified(sb, t);
		strbuf_addstr(sb, " constraint ");
		sql_add_ident(sb, k->name);
		return;
	}
	case CHANGE_INDEX:
	case CHANGE_INDEX_RENAME: {
		const struct ir_index *ix = c->before ? c->before : c->after;
		qualified(sb, t);
		strbuf_addstr(sb, " index ");
		sql_add_ident(sb, ix->name);
		return;
	}
	}
}

static const char *presence(const struct change *c)
{
	return c->after ? "in models, missing from database"
			: "in database, not in models";
}

static void sep(struct strbuf *sb, size_t start)
{
	if (sb->len > start)
		strbuf_addstr(sb, "; ");
}

static void type_text(struct strbuf *sb, const struct ir_column *c)
{
	ir_type_render(sb, &c->type);
	if (c->collation) {
		strbuf_addstr(sb, " collate ");
		sql_add_ident(sb, c->collation);
	}
}

static void expr_or_none(struct strbuf *sb, const struct ir_expr *e)
{
	strbuf_addstr(sb, e->src ? e->src : "none");
}

static void column_aspects(struct strbuf *sb, const struct change *c)
{
	const struct ir_column *db = c->before, *m = c->after;
	size_t start = sb->len;
	if (strcmp(db->type.canon, m->type.canon) != 0 || db->type.serial != m->type.serial ||
	    (db->collation == NULL) != (m->collation == NULL) ||
	    (db->collation && strcmp(db->collation, m->collation) != 0)) {
		strbuf_addstr(sb, "type ");
		type_text(sb, m);
		strbuf_addstr(sb, " in models, ");
		type_text(sb, db);
		strbuf_addstr(sb, " in database");
	}
	if (db->not_null != m->not_null) {
		sep(sb, start);
		strbuf_addstr(sb, m->not_null ? "NOT NULL in models, nullable in database"
					      : "nullable in models, NOT NULL in database");
	}
	if (!c->skip_default && !ir_expr_equal(&db->def, &m->def)) {
		sep(sb, start);
		strbuf_addstr(sb, "default ");
		expr_or_none(sb, &m->def);
		strbuf_addstr(sb, " in models, ");
		expr_or_none(sb, &db->def);
		strbuf_addstr(sb, " in database");
	}
	if (db->identity != m->identity) {
		sep(sb, start);
		strbuf_addf(sb, "identity %s in models, %s in database",
			    m->identity == 'a' ? "always" : m->identity == 'd' ? "by default" : "none",
			    db->identity == 'a' ? "always" : db->identity == 'd' ? "by default" : "none");
	}
	if (!ir_expr_equal(&db->generated, &m->generated)) {
		sep(sb, start);
		strbuf_addstr(sb, "generated as ");
		expr_or_none(sb, &m->generated);
		strbuf_addstr(sb, " in models, ");
		expr_or_none(sb, &db->generated);
		strbuf_addstr(sb, " in database");
	}
}

static void labels(struct strbuf *sb, const struct ir_enum *e)
{
	strbuf_addch(sb, '(');
	for (size_t i = 0; i < e->labels.len; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		sql_add_literal(sb, e->labels.items[i]);
	}
	strbuf_addch(sb, ')');
}

static void comment_aspect(struct strbuf *sb, const struct change *c)
{
	strbuf_addstr(sb, "comment ");
	if (c->safter)
		sql_add_literal(sb, c->safter);
	else
		strbuf_addstr(sb, "none");
	strbuf_addstr(sb, " in models, ");
	if (c->sbefore)
		sql_add_literal(sb, c->sbefore);
	else
		strbuf_addstr(sb, "none");
	strbuf_addstr(sb, " in database");
}

void describe_difference(struct strbuf *sb, const struct change *c)
{
	switch (c->kind) {
	case CHANGE_SCHEMA:
		strbuf_addstr(sb, c->safter ? "in models, missing from database"
					    : "in database, not in models");
		return;
	case CHANGE_EXTENSION_SCHEMA:
		strbuf_addstr(sb, "in schema ");
		sql_add_ident(sb, ((const struct ir_extension *)c->after)->schema);
		strbuf_addstr(sb, " in models, ");
		sql_add_ident(sb, ((const struct ir_extension *)c->before)->schema);
		strbuf_addstr(sb, " in database");
		return;
	case CHANGE_ENUM_LABELS:
		strbuf_addstr(sb, "labels ");
		labels(sb, c->after);
		strbuf_addstr(sb, " in models, ");
		labels(sb, c->before);
		strbuf_addstr(sb, " in database");
		return;
	case CHANGE_TABLE_RENAME:
		strbuf_addstr(sb, "renamed to ");
		qualified(sb, c->tafter);
		strbuf_addstr(sb, " in models");
		return;
	case CHANGE_COLUMN_RENAME:
		strbuf_addstr(sb, "renamed to ");
		sql_add_ident(sb, ((const struct ir_column *)c->after)->name);
		strbuf_addstr(sb, " in models");
		return;
	case CHANGE_CONSTRAINT_RENAME:
	case CHANGE_INDEX_RENAME:
		strbuf_addstr(sb, "named ");
		sql_add_ident(sb, c->kind == CHANGE_INDEX_RENAME
				  ? ((const struct ir_index *)c->after)->name
				  : ((const struct ir_constraint *)c->after)->name);
		strbuf_addstr(sb, " in models");
		return;
	case CHANGE_COLUMN_ALTER:
		column_aspects(sb, c);
		return;
	case CHANGE_TABLE_COMMENT:
	case CHANGE_COLUMN_COMMENT:
		comment_aspect(sb, c);
		return;
	case CHANGE_CONSTRAINT:
		strbuf_addstr(sb, presence(c));
		strbuf_addstr(sb, ": ");
		sqlgen_constraint_body(sb, c->after ? c->after : c->before);
		return;
	case CHANGE_SEQUENCE_ALTER:
		strbuf_addstr(sb, "options");
		sqlgen_sequence_options(sb, c->after, true);
		strbuf_addstr(sb, " in models,");
		sqlgen_sequence_options(sb, c->before, true);
		strbuf_addstr(sb, " in database");
		return;
	case CHANGE_EXTENSION:
	case CHANGE_ENUM:
	case CHANGE_SEQUENCE:
	case CHANGE_TABLE:
	case CHANGE_COLUMN:
	case CHANGE_INDEX:
		strbuf_addstr(sb, presence(c));
		return;
	}
}
