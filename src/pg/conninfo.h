/*
 * Connection strings as text: what can be shown of one without its
 * secrets.  Parsing is libpq's own (keyword=value strings and URIs alike).
 */
#ifndef C7_PG_CONNINFO_H
#define C7_PG_CONNINFO_H

struct arena;

/* The connection string's settings as "keyword=value ..." in libpq's
 * order, the password left out: safe to print.  NULL if libpq cannot parse
 * it (its message is not passed on: it may quote the text, password and
 * all). */
const char *pg_conninfo_redacted(struct arena *a, const char *conninfo);

#endif
