#include "pg/conninfo.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"

/* A value that needs quoting in keyword=value form gets libpq's quoting:
 * single quotes, with \ and ' escaped. */
static void add_value(struct strbuf *sb, const char *v)
{
	bool plain = v[0] != '\0' && !strpbrk(v, " \t\n'\\");
	if (plain) {
		strbuf_addstr(sb, v);
		return;
	}
	strbuf_addch(sb, '\'');
	for (; *v; v++) {
		if (*v == '\'' || *v == '\\')
			strbuf_addch(sb, '\\');
		strbuf_addch(sb, *v);
	}
	strbuf_addch(sb, '\'');
}

const char *pg_conninfo_redacted(struct arena *a, const char *conninfo)
{
	char *errmsg = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &errmsg);
	if (!opts) {
		PQfreemem(errmsg);
		return NULL;
	}
	struct strbuf sb = STRBUF_INIT;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		/* The "D" (debug) options include the password; "*" marks it
		 * as secret, whatever its name. */
		if (!o->val || strcmp(o->keyword, "password") == 0 ||
		    (o->dispchar && strchr(o->dispchar, '*')))
			continue;
		if (sb.len)
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s=", o->keyword);
		add_value(&sb, o->val);
	}
	PQconninfoFree(opts);
	char *text = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return text;
}
