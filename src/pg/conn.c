#include "pg/conn.h"

#include <errno.h>
#include <libpq-fe.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

struct pg_conn {
	PGconn *conn;
	struct arena *arena;
	const char *described;
	size_t round_trips;
	FILE *log;
	struct pg_conn *observer; /* pg_exec_probed's second connection */
	bool observer_failed;
};

void pg_set_query_log(struct pg_conn *c, FILE *log)
{
	c->log = log;
}

FILE *pg_query_log(const struct pg_conn *c)
{
	return c->log;
}

/* The statement with $n replaced by quoted literals, for replay by psql. */
static void log_query(struct pg_conn *c, const char *sql, int nparams,
		      const char *const *params)
{
	if (!c->log)
		return;
	for (const char *p = sql; *p; p++) {
		if (*p == '$' && p[1] >= '1' && p[1] <= '9') {
			char *end;
			long k = strtol(p + 1, &end, 10);
			if (k >= 1 && k <= nparams) {
				const char *v = params[k - 1];
				if (!v) {
					fputs("NULL", c->log);
				} else {
					fputc('\'', c->log);
					for (; *v; v++) {
						if (*v == '\'')
							fputc('\'', c->log);
						fputc(*v, c->log);
					}
					fputc('\'', c->log);
				}
				p = end - 1;
				continue;
			}
		}
		fputc(*p, c->log);
	}
	fputs(";\n", c->log);
}

struct pg_result {
	PGresult *res;
};

/* Notices ("schema ... already exists, skipping") are not errors and
 * would garble c7gen's own output. */
static void ignore_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static const char *first_line(struct arena *a, const char *msg)
{
	if (!msg)
		return "";
	size_t n = strcspn(msg, "\n");
	return arena_strndup(a, msg, n);
}

static const char *describe(struct arena *a, PGconn *conn)
{
	const char *host = PQhost(conn), *port = PQport(conn), *db = PQdb(conn),
		   *user = PQuser(conn);
	return arena_printf(a, "host=%s port=%s dbname=%s user=%s",
			    host && *host ? host : "(default)",
			    port && *port ? port : "5432", db ? db : "", user ? user : "");
}

struct pg_conn *pg_connect(struct arena *a, const char *conninfo,
			   struct pg_error *err)
{
	memset(err, 0, sizeof(*err));
	const char *keys[] = { "dbname", "application_name", NULL };
	const char *vals[] = { conninfo ? conninfo : "", "c7gen", NULL };
	/* expand_dbname lets dbname carry a full connection string or URI;
	 * the application_name after it wins over one in the string (or in
	 * PGAPPNAME), so every session c7gen opens is known on the server by
	 * the same name (a fleet run's connection limit is checked by it). */
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	if (!conn) {
		err->message = "cannot allocate a connection";
		return NULL;
	}
	if (PQstatus(conn) != CONNECTION_OK) {
		/* libpq's text names the socket or address; passwords never
		 * appear in it.  Keep the first line and say where we went. */
		err->message = arena_printf(a, "cannot connect to %s: %s",
					    describe(a, conn),
					    first_line(a, PQerrorMessage(conn)));
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	/* If c7gen dies mid-revision (kill -9, a lost CI runner), the server
	 * would otherwise finish a long statement before noticing, holding the
	 * revision's locks and the migration lock meanwhile.  PostgreSQL 14+
	 * can look for the vanished client while a statement runs. */
	if (PQserverVersion(conn) >= 140000) {
		PGresult *r = PQexec(conn, "SET client_connection_check_interval = 1000");
		PQclear(r);
	}
	struct pg_conn *c = arena_alloc(a, sizeof(*c));
	c->conn = conn;
	c->arena = a;
	c->described = describe(a, conn);
	return c;
}

void pg_close(struct pg_conn *c)
{
	if (c && c->observer) {
		pg_close(c->observer);
		c->observer = NULL;
	}
	if (c && c->conn) {
		PQfinish(c->conn);
		c->conn = NULL;
	}
}

const char *pg_describe(const struct pg_conn *c)
{
	return c->described;
}

int pg_server_version(const struct pg_conn *c)
{
	return PQserverVersion(c->conn);
}

size_t pg_round_trips(const struct pg_conn *c)
{
	return c->round_trips;
}

bool pg_in_transaction(const struct pg_conn *c)
{
	PGTransactionStatusType st = PQtransactionStatus(c->conn);
	return st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

bool pg_ok(const struct pg_conn *c)
{
	return c && c->conn && PQstatus(c->conn) == CONNECTION_OK;
}

void pg_cancel(struct pg_conn *c)
{
	if (!pg_ok(c))
		return;
	PGcancel *cancel = PQgetCancel(c->conn);
	if (cancel) {
		char buf[256];
		PQcancel(cancel, buf, sizeof(buf));
		PQfreeCancel(cancel);
	}
}

static const char *field(struct arena *a, const PGresult *res, int code)
{
	const char *v = PQresultErrorField(res, code);
	return v ? arena_strdup(a, v) : NULL;
}

static void fill_error(struct pg_conn *c, const PGresult *res,
		       struct pg_error *err)
{
	memset(err, 0, sizeof(*err));
	if (!res) {
		err->message = first_line(c->arena, PQerrorMessage(c->conn));
		return;
	}
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (state)
		snprintf(err->sqlstate, sizeof(err->sqlstate), "%s", state);
	err->message = field(c->arena, res, PG_DIAG_MESSAGE_PRIMARY);
	if (!err->message)
		err->message = first_line(c->arena, PQresultErrorMessage(res));
	if (!err->message || !*err->message)
		err->message = first_line(c->arena, PQerrorMessage(c->conn));
	err->detail = field(c->arena, res, PG_DIAG_MESSAGE_DETAIL);
	err->hint = field(c->arena, res, PG_DIAG_MESSAGE_HINT);
	err->context = field(c->arena, res, PG_DIAG_CONTEXT);
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	err->position = pos ? atoi(pos) : 0;
}

bool pg_exec(struct pg_conn *c, const char *sql, struct pg_error *err)
{
	c->round_trips++;
	log_query(c, sql, 0, NULL);
	PGresult *res = PQexec(c->conn, sql);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
		  st == PGRES_EMPTY_QUERY;
	if (!ok)
		fill_error(c, res, err);
	PQclear(res);
	return ok;
}

/* A new session with the parameters libpq resolved for `c` (host, port,
 * user, database, password, whichever source they came from); NULL if it
 * cannot be opened. */
static PGconn *connect_same(struct pg_conn *c, const char *application_name)
{
	PQconninfoOption *opts = PQconninfo(c->conn);
	size_t n = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++)
		n++;
	const char **keys = arena_array(c->arena, n + 2, sizeof(char *));
	const char **vals = arena_array(c->arena, n + 2, sizeof(char *));
	size_t k = 0;
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || strcmp(o->keyword, "application_name") == 0)
			continue;
		keys[k] = arena_strdup(c->arena, o->keyword);
		vals[k++] = arena_strdup(c->arena, o->val);
	}
	keys[k] = "application_name";
	vals[k++] = application_name;
	PQconninfoFree(opts);
	PGconn *conn = PQconnectdbParams(keys, vals, 0);
	if (!conn || PQstatus(conn) != CONNECTION_OK) {
		PQfinish(conn);
		return NULL;
	}
	PQsetNoticeProcessor(conn, ignore_notice, NULL);
	return conn;
}

/* A second session to the same server as the same user, for watching the
 * first; opened once, NULL if it cannot be. */
static struct pg_conn *observer_of(struct pg_conn *c)
{
	if (c->observer || c->observer_failed)
		return c->observer;
	PGconn *conn = connect_same(c, "c7gen (lock watch)");
	if (!conn) {
		c->observer_failed = true;
		return NULL;
	}
	struct pg_conn *o = arena_alloc(c->arena, sizeof(*o));
	o->conn = conn;
	o->arena = c->arena;
	o->described = c->described;
	c->observer = o;
	return o;
}

static long ms_until(const struct timespec *when)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (when->tv_sec - now.tv_sec) * 1000L + (when->tv_nsec - now.tv_nsec) / 1000000L;
	return ms > 0 ? ms : 0;
}

static void add_ms(struct timespec *t, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

bool pg_exec_probed(struct pg_conn *c, const char *sql, long probe_ms,
		    void (*probe)(struct pg_conn *observer, int pid, void *arg),
		    void *arg, struct pg_error *err)
{
	c->round_trips++;
	log_query(c, sql, 0, NULL);
	if (!PQsendQuery(c->conn, sql)) {
		fill_error(c, NULL, err);
		return false;
	}
	struct timespec next;
	add_ms(&next, probe_ms);
	bool lost = false;
	while (!lost && PQisBusy(c->conn)) {
		struct pollfd p = { PQsocket(c->conn), POLLIN, 0 };
		int n = poll(&p, 1, (int)ms_until(&next));
		if (n > 0) {
			lost = !PQconsumeInput(c->conn);
		} else if (n == 0) {
			struct pg_conn *o = observer_of(c);
			if (o)
				probe(o, PQbackendPID(c->conn), arg);
			add_ms(&next, probe_ms);
		} else if (errno != EINTR) {
			lost = true;
		}
	}
	/* Every result must be read before the connection takes the next
	 * statement; the first error is the one to report. */
	bool ok = true, any = false;
	PGresult *res;
	while ((res = PQgetResult(c->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		any = true;
		if (ok && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
		    st != PGRES_EMPTY_QUERY) {
			fill_error(c, res, err);
			ok = false;
		}
		PQclear(res);
	}
	if (ok && (lost || !any) && PQstatus(c->conn) != CONNECTION_OK) {
		fill_error(c, NULL, err);
		ok = false;
	}
	return ok;
}

struct pg_result *pg_query(struct pg_conn *c, const char *sql, int nparams,
			   const char *const *params, struct pg_error *err)
{
	c->round_trips++;
	log_query(c, sql, nparams, params);
	PGresult *res = PQexecParams(c->conn, sql, nparams, NULL, params, NULL,
				     NULL, 0);
	if (!res || PQresultStatus(res) != PGRES_TUPLES_OK) {
		fill_error(c, res, err);
		PQclear(res);
		return NULL;
	}
	struct pg_result *r = xmalloc(sizeof(*r));
	r->res = res;
	return r;
}

struct pg_conn *pg_connect_like(struct pg_conn *c, struct pg_error *err)
{
	memset(err, 0, sizeof(*err));
	PGconn *conn = connect_same(c, "c7gen (catalog reader)");
	if (!conn) {
		err->message = arena_printf(c->arena, "cannot open a second connection to %s",
					    c->described);
		return NULL;
	}
	struct pg_conn *copy = arena_alloc(c->arena, sizeof(*copy));
	copy->conn = conn;
	copy->arena = c->arena;
	copy->described = c->described;
	copy->log = c->log;
	return copy;
}

bool pg_send(struct pg_conn *c, const char *sql, int nparams, const char *const *params,
	     struct pg_error *err)
{
	c->round_trips++;
	log_query(c, sql, nparams, params);
	if (PQsendQueryParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0))
		return true;
	fill_error(c, NULL, err);
	return false;
}

struct pg_result *pg_receive(struct pg_conn *c, struct pg_error *err)
{
	PGresult *res, *got = NULL;
	bool failed = false;
	/* Every result must be read before the connection is idle again. */
	while ((res = PQgetResult(c->conn)) != NULL) {
		if (!failed && PQresultStatus(res) == PGRES_TUPLES_OK && !got) {
			got = res;
			continue;
		}
		if (!failed) {
			fill_error(c, res, err);
			failed = true;
		}
		PQclear(res);
	}
	if (failed || !got) {
		if (!failed)
			fill_error(c, NULL, err);
		PQclear(got);
		return NULL;
	}
	struct pg_result *r = xmalloc(sizeof(*r));
	r->res = got;
	return r;
}

bool pg_query_rows(struct pg_conn *c, const char *sql, int nparams,
		   const char *const *params,
		   void (*row)(void *arg, const struct pg_result *r), void *arg,
		   struct pg_error *err)
{
	c->round_trips++;
	log_query(c, sql, nparams, params);
	if (!PQsendQueryParams(c->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
		fill_error(c, NULL, err);
		return false;
	}
	bool ok = PQsetSingleRowMode(c->conn);
	if (!ok)
		err->message = "cannot read the result row by row";
	PGresult *res;
	/* Every result must be read, an error's included, before the
	 * connection takes the next query. */
	while ((res = PQgetResult(c->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_SINGLE_TUPLE && ok) {
			struct pg_result one = { res };
			row(arg, &one);
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && ok) {
			fill_error(c, res, err);
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

int pg_nrows(const struct pg_result *r)
{
	return PQntuples(r->res);
}

int pg_col(const struct pg_result *r, const char *name)
{
	int n = PQfnumber(r->res, name);
	if (n < 0)
		BUG("catalog query lacks an expected column");
	return n;
}

int pg_col_find(const struct pg_result *r, const char *name)
{
	return PQfnumber(r->res, name);
}

const char *pg_value(const struct pg_result *r, int row, int col)
{
	if (PQgetisnull(r->res, row, col))
		return NULL;
	return PQgetvalue(r->res, row, col);
}

bool pg_bool(const struct pg_result *r, int row, int col)
{
	const char *v = pg_value(r, row, col);
	return v && v[0] == 't';
}

void pg_result_free(struct pg_result *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

int pg_parse_array(struct arena *a, const char *text, const char ***out)
{
	size_t len = strlen(text);
	if (len < 2 || text[0] != '{' || text[len - 1] != '}')
		return -1;
	struct strbuf item = STRBUF_INIT;
	const char **items = arena_array(a, len / 2 + 1, sizeof(char *));
	int n = 0;
	size_t i = 1;
	if (text[i] == '}') {
		*out = items;
		return 0;
	}
	for (;;) {
		strbuf_reset(&item);
		bool quoted = text[i] == '"';
		if (quoted) {
			for (i++; i < len && text[i] != '"'; i++) {
				if (text[i] == '\\' && i + 1 < len)
					i++;
				strbuf_addch(&item, text[i]);
			}
			i++; /* closing quote */
		} else {
			while (i < len - 1 && text[i] != ',') {
				if (text[i] == '{') {
					strbuf_release(&item);
					return -1; /* nested: not 1-D */
				}
				strbuf_addch(&item, text[i++]);
			}
		}
		bool is_null = !quoted && strcmp(strbuf_str(&item), "NULL") == 0;
		items[n++] = is_null ? NULL : arena_strdup(a, strbuf_str(&item));
		if (i >= len - 1)
			break;
		if (text[i] != ',') {
			strbuf_release(&item);
			return -1;
		}
		i++;
	}
	strbuf_release(&item);
	*out = items;
	return n;
}

const char *pg_array_literal(struct arena *a, const char *const *items,
			     size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&sb, ',');
		strbuf_addch(&sb, '"');
		for (const char *p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				strbuf_addch(&sb, '\\');
			strbuf_addch(&sb, *p);
		}
		strbuf_addch(&sb, '"');
	}
	strbuf_addch(&sb, '}');
	const char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
}
