#include "lang/types.h"

#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "ir/ir.h"
#include "lang/ast.h"
#include "lang/suggest.h"

enum mods {
	MODS_NONE,      /* no modifiers accepted */
	MODS_LENGTH,    /* (n): varchar, char, bit */
	MODS_PRECISION, /* (p) 0..6: time, timestamp, interval */
	MODS_NUMERIC,   /* (p[,s]) */
	MODS_FLOAT,     /* (p) 1..53 picks real or double precision */
};

struct builtin {
	const char *spelling;
	const char *canon;
	enum mods mods;
	char serial;
};

/* Sorted by spelling.  "time"/"timestamp" get their zone suffix later.
 * Every base type of pg_catalog a column can have is here, the system's
 * own included (tid, xid, regclass, ...): what inspect writes, the
 * language reads. */
static const struct builtin builtins[] = {
	{ "aclitem", "aclitem", MODS_NONE, 0 },
	{ "bigint", "bigint", MODS_NONE, 0 },
	{ "bigserial", "bigint", MODS_NONE, 'b' },
	{ "bit", "bit", MODS_LENGTH, 0 },
	{ "bool", "boolean", MODS_NONE, 0 },
	{ "boolean", "boolean", MODS_NONE, 0 },
	{ "box", "box", MODS_NONE, 0 },
	{ "bpchar", "character", MODS_LENGTH, 0 },
	{ "bytea", "bytea", MODS_NONE, 0 },
	{ "char", "character", MODS_LENGTH, 0 },
	{ "character", "character", MODS_LENGTH, 0 },
	{ "character varying", "character varying", MODS_LENGTH, 0 },
	{ "cid", "cid", MODS_NONE, 0 },
	{ "cidr", "cidr", MODS_NONE, 0 },
	{ "circle", "circle", MODS_NONE, 0 },
	{ "date", "date", MODS_NONE, 0 },
	{ "datemultirange", "datemultirange", MODS_NONE, 0 },
	{ "daterange", "daterange", MODS_NONE, 0 },
	{ "decimal", "numeric", MODS_NUMERIC, 0 },
	{ "double precision", "double precision", MODS_NONE, 0 },
	{ "float", "double precision", MODS_FLOAT, 0 },
	{ "float4", "real", MODS_NONE, 0 },
	{ "float8", "double precision", MODS_NONE, 0 },
	{ "gtsvector", "gtsvector", MODS_NONE, 0 },
	{ "inet", "inet", MODS_NONE, 0 },
	{ "int", "integer", MODS_NONE, 0 },
	{ "int2", "smallint", MODS_NONE, 0 },
	{ "int2vector", "int2vector", MODS_NONE, 0 },
	{ "int4", "integer", MODS_NONE, 0 },
	{ "int4multirange", "int4multirange", MODS_NONE, 0 },
	{ "int4range", "int4range", MODS_NONE, 0 },
	{ "int8", "bigint", MODS_NONE, 0 },
	{ "int8multirange", "int8multirange", MODS_NONE, 0 },
	{ "int8range", "int8range", MODS_NONE, 0 },
	{ "integer", "integer", MODS_NONE, 0 },
	{ "interval", "interval", MODS_PRECISION, 0 },
	{ "json", "json", MODS_NONE, 0 },
	{ "jsonb", "jsonb", MODS_NONE, 0 },
	{ "jsonpath", "jsonpath", MODS_NONE, 0 },
	{ "line", "line", MODS_NONE, 0 },
	{ "lseg", "lseg", MODS_NONE, 0 },
	{ "macaddr", "macaddr", MODS_NONE, 0 },
	{ "macaddr8", "macaddr8", MODS_NONE, 0 },
	{ "money", "money", MODS_NONE, 0 },
	{ "name", "name", MODS_NONE, 0 },
	{ "numeric", "numeric", MODS_NUMERIC, 0 },
	{ "nummultirange", "nummultirange", MODS_NONE, 0 },
	{ "numrange", "numrange", MODS_NONE, 0 },
	{ "oid", "oid", MODS_NONE, 0 },
	{ "oidvector", "oidvector", MODS_NONE, 0 },
	{ "path", "path", MODS_NONE, 0 },
	{ "pg_lsn", "pg_lsn", MODS_NONE, 0 },
	{ "pg_snapshot", "pg_snapshot", MODS_NONE, 0 },
	{ "point", "point", MODS_NONE, 0 },
	{ "polygon", "polygon", MODS_NONE, 0 },
	{ "real", "real", MODS_NONE, 0 },
	{ "refcursor", "refcursor", MODS_NONE, 0 },
	{ "regclass", "regclass", MODS_NONE, 0 },
	{ "regcollation", "regcollation", MODS_NONE, 0 },
	{ "regconfig", "regconfig", MODS_NONE, 0 },
	{ "regdictionary", "regdictionary", MODS_NONE, 0 },
	{ "regnamespace", "regnamespace", MODS_NONE, 0 },
	{ "regoper", "regoper", MODS_NONE, 0 },
	{ "regoperator", "regoperator", MODS_NONE, 0 },
	{ "regproc", "regproc", MODS_NONE, 0 },
	{ "regprocedure", "regprocedure", MODS_NONE, 0 },
	{ "regrole", "regrole", MODS_NONE, 0 },
	{ "regtype", "regtype", MODS_NONE, 0 },
	{ "serial", "integer", MODS_NONE, 'i' },
	{ "serial2", "smallint", MODS_NONE, 's' },
	{ "serial4", "integer", MODS_NONE, 'i' },
	{ "serial8", "bigint", MODS_NONE, 'b' },
	{ "smallint", "smallint", MODS_NONE, 0 },
	{ "smallserial", "smallint", MODS_NONE, 's' },
	{ "text", "text", MODS_NONE, 0 },
	{ "tid", "tid", MODS_NONE, 0 },
	{ "time", "time", MODS_PRECISION, 0 },
	{ "timestamp", "timestamp", MODS_PRECISION, 0 },
	{ "timestamptz", "timestamptz", MODS_PRECISION, 0 },
	{ "timetz", "timetz", MODS_PRECISION, 0 },
	{ "tsmultirange", "tsmultirange", MODS_NONE, 0 },
	{ "tsquery", "tsquery", MODS_NONE, 0 },
	{ "tsrange", "tsrange", MODS_NONE, 0 },
	{ "tstzmultirange", "tstzmultirange", MODS_NONE, 0 },
	{ "tstzrange", "tstzrange", MODS_NONE, 0 },
	{ "tsvector", "tsvector", MODS_NONE, 0 },
	{ "txid_snapshot", "txid_snapshot", MODS_NONE, 0 },
	{ "uuid", "uuid", MODS_NONE, 0 },
	{ "varbit", "bit varying", MODS_LENGTH, 0 },
	{ "varchar", "character varying", MODS_LENGTH, 0 },
	{ "xid", "xid", MODS_NONE, 0 },
	{ "xid8", "xid8", MODS_NONE, 0 },
	{ "xml", "xml", MODS_NONE, 0 },
};

#define NBUILTINS (sizeof(builtins) / sizeof(*builtins))

static const struct builtin *find_builtin(const char *spelling)
{
	size_t lo = 0, hi = NBUILTINS;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(spelling, builtins[mid].spelling);
		if (c == 0)
			return &builtins[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void types_suggest(struct suggest *s)
{
	for (size_t i = 0; i < NBUILTINS; i++)
		suggest_consider(s, builtins[i].spelling);
}

const char *types_builtin(size_t i)
{
	return i < NBUILTINS ? builtins[i].spelling : NULL;
}

bool types_is_integer(const char *canon)
{
	return strcmp(canon, "smallint") == 0 || strcmp(canon, "integer") == 0 ||
	       strcmp(canon, "bigint") == 0;
}

static bool check_mods(struct diags *d, const struct ast_type *t,
		       const struct builtin *b)
{
	if (t->nmods == 0)
		return true;
	switch (b->mods) {
	case MODS_NONE:
		diag_error(d, t->span, "type '%s' does not take modifiers",
			   t->name);
		return false;
	case MODS_LENGTH:
		if (t->nmods != 1 || t->mods[0] < 1 || t->mods[0] > 10485760) {
			diag_error(d, t->span,
				   "length for type '%s' must be between 1 and 10485760",
				   t->name);
			return false;
		}
		return true;
	case MODS_PRECISION:
		if (t->nmods != 1 || t->mods[0] > 6) {
			diag_error(d, t->span,
				   "precision for type '%s' must be between 0 and 6",
				   t->name);
			return false;
		}
		return true;
	case MODS_NUMERIC:
		if (t->mods[0] < 1 || t->mods[0] > 1000 ||
		    (t->nmods == 2 && t->mods[1] > t->mods[0])) {
			diag_error(d, t->span,
				   "numeric precision must be between 1 and 1000, "
				   "and the scale at most the precision");
			return false;
		}
		return true;
	case MODS_FLOAT:
		if (t->nmods != 1 || t->mods[0] < 1 || t->mods[0] > 53) {
			diag_error(d, t->span,
				   "precision for type float must be between 1 and 53");
			return false;
		}
		return true;
	}
	return true;
}

/* time/timestamp: "timestamp(3) with time zone" as format_type prints. */
static const char *zoned(struct arena *a, const char *base, bool with_tz,
			 const struct ast_type *t)
{
	if (t->nmods)
		return arena_printf(a, "%s(%ld) %s time zone", base, t->mods[0],
				    with_tz ? "with" : "without");
	return arena_printf(a, "%s %s time zone", base,
			    with_tz ? "with" : "without");
}

static const char *canonical(struct arena *a, const struct ast_type *t,
			     const struct builtin *b)
{
	const char *c = b->canon;
	if (strcmp(c, "time") == 0 || strcmp(c, "timestamp") == 0)
		return zoned(a, c, t->tz && strcmp(t->tz, "with") == 0, t);
	if (strcmp(c, "timetz") == 0)
		return zoned(a, "time", true, t);
	if (strcmp(c, "timestamptz") == 0)
		return zoned(a, "timestamp", true, t);
	if (b->mods == MODS_FLOAT)
		return t->nmods && t->mods[0] <= 24 ? "real" : "double precision";
	if (b->mods == MODS_NUMERIC && t->nmods)
		return arena_printf(a, "numeric(%ld,%ld)", t->mods[0],
				    t->nmods == 2 ? t->mods[1] : 0L);
	if (t->nmods)
		return arena_printf(a, "%s(%ld)", c, t->mods[0]);
	/* bpchar without a length is blank-padded text of any length. */
	if (strcmp(t->name, "bpchar") == 0)
		return "bpchar";
	/* A bare char means char(1); a bare bit means bit(1). */
	if (strcmp(t->name, "char") == 0 || strcmp(t->name, "character") == 0 ||
	    strcmp(c, "bit") == 0)
		return arena_printf(a, "%s(1)", c);
	return c;
}

static const char *const interval_fields[] = {
	"year", "month", "day", "hour", "minute", "second",
	"year to month", "day to hour", "day to minute", "day to second",
	"hour to minute", "hour to second", "minute to second",
};

/* "interval day to second(3)", as format_type prints it; NULL after an
 * error. */
static const char *interval_type(struct arena *a, struct diags *d,
				 const struct ast_type *t)
{
	const char *f = t->fields;
	bool known = false;
	for (size_t i = 0; i < sizeof(interval_fields) / sizeof(*interval_fields); i++)
		known = known || strcmp(f, interval_fields[i]) == 0;
	if (!known) {
		diag_error(d, t->span, "'%s' is not an interval field", f);
		return NULL;
	}
	size_t n = strlen(f);
	if (t->nmods && (n < 6 || strcmp(f + n - 6, "second") != 0)) {
		diag_error(d, t->span,
			   "only interval fields ending in second take a precision");
		return NULL;
	}
	if (t->nmods)
		return arena_printf(a, "interval %s(%ld)", f, t->mods[0]);
	return arena_printf(a, "interval %s", f);
}

enum types_result types_resolve_builtin(struct arena *a, struct diags *d,
					const struct ast_type *t,
					struct ir_type *out)
{
	/* "char", quoted, is the one-byte system type, not char(1). */
	if (t->quoted && !t->schema && strcmp(t->name, "char") == 0 && !t->nmods) {
		out->canon = "\"char\"";
		return TYPES_OK;
	}
	if (t->quoted || t->schema)
		return TYPES_UNKNOWN;
	const struct builtin *b = find_builtin(t->name);
	if (!b)
		return TYPES_UNKNOWN;
	if (!check_mods(d, t, b))
		return TYPES_INVALID;
	if (b->serial && t->array_dims) {
		diag_error(d, t->span, "array of %s is not supported", t->name);
		return TYPES_INVALID;
	}
	if (t->fields) {
		out->canon = interval_type(a, d, t);
		return out->canon ? TYPES_OK : TYPES_INVALID;
	}
	out->canon = canonical(a, t, b);
	out->serial = b->serial;
	return TYPES_OK;
}
