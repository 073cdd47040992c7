#include "revs/runner.h"

#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/strbuf.h"
#include "pg/conn.h"
#include "pg/versions.h"
#include "revs/plan.h"
#include "revs/sqlsplit.h"

static const char *utc_now(struct arena *a)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char buf[40];
	size_t n = strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%03ld+00", ts.tv_nsec / 1000000L);
	return arena_strdup(a, buf);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000L +
	       (now.tv_nsec - start->tv_nsec) / 1000000L;
}

static const char *join_parents(struct arena *a, const struct revision *rev)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < rev->nparents; i++)
		strbuf_addf(&sb, "%s%s", i ? " " : "", rev->parents[i]);
	const char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
}

/* Byte offset of the 1-based character `position` in `text`. */
static size_t char_offset(const char *text, size_t len, int position)
{
	size_t chars = 0;
	for (size_t i = 0; i < len; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80 && ++chars == (size_t)position)
			return i;
	}
	return len;
}

/* The server's complaint, pointed at the statement in the file. */
static void report_sql_error(struct runner *r, const struct revision *rev,
			     const struct section *sec, const struct sql_stmt *st,
			     const struct pg_error *err)
{
	size_t at = sec->offset + st->offset;
	size_t end;
	if (err->position > 0) {
		at += char_offset(st->text, st->len, err->position);
		end = at + 1;
	} else {
		/* No position: the statement's first meaningful line. */
		while (at < rev->file->len && strchr(" \t\r\n", rev->file->text[at]))
			at++;
		end = at;
		while (end < rev->file->len && rev->file->text[end] != '\n')
			end++;
	}
	struct span sp = { rev->file, at, end };
	struct diag *g = diag_error(r->d, sp, "%s", err->message);
	if (err->detail)
		diag_note(r->d, g, SPAN_NONE, "DETAIL: %s", err->detail);
	if (err->context)
		diag_note(r->d, g, SPAN_NONE, "CONTEXT: %s", err->context);
	if (err->hint)
		diag_hint(r->d, g, "%s", err->hint);
}

/* Runs a section's statements; false with the error reported. */
static bool run_section(struct runner *r, const struct revision *rev,
			const struct section *sec, struct pg_error *err)
{
	struct vec stmts = { 0 };
	sql_split(r->a, sec->sql, strlen(sec->sql), &stmts);
	for (size_t i = 0; i < stmts.len; i++) {
		const struct sql_stmt *st = stmts.items[i];
		if (!pg_exec(r->c, st->text, err)) {
			report_sql_error(r, rev, sec, st, err);
			return false;
		}
	}
	return true;
}

static bool record(struct runner *r, const struct step *s, int ms,
		   const char *started, struct pg_error *err)
{
	struct history_entry h = { 0 };
	h.direction = r->stamp ? "stamp" : s->up ? "upgrade" : "downgrade";
	h.revision = s->rev->id;
	h.started_at = started;
	h.success = true;
	struct applied row = { 0 };
	row.revision = s->rev->id;
	row.parents = join_parents(r->a, s->rev);
	row.checksum = s->rev->checksum;
	row.duration_ms = ms;
	return pg_versions_record(r->c, r->vt, s->up, &row, &h, err);
}

static void record_failure(struct runner *r, const struct step *s,
			   const char *started, const struct pg_error *failure)
{
	struct history_entry h = { 0 };
	h.direction = s->up ? "upgrade" : "downgrade";
	h.revision = s->rev->id;
	h.started_at = started;
	h.success = false;
	h.sqlstate = failure->sqlstate[0] ? failure->sqlstate : NULL;
	h.error = failure->message;
	struct pg_error ignored;
	/* Best effort: the history must not hide the real error. */
	pg_history_append(r->c, r->vt, &h, &ignored);
}

static enum run_result run_step(struct runner *r, const struct step *s,
				struct pg_error *err)
{
	const struct revision *rev = s->rev;
	/* Outside a transaction only the revision's SQL runs; its bookkeeping
	 * is still atomic. */
	bool own_txn = !r->single_transaction && (r->stamp || !rev->no_transaction);
	bool record_txn = !r->single_transaction && !r->stamp && rev->no_transaction;
	const char *started = utc_now(r->a);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fprintf(r->out, "%s %s  %s", r->stamp ? "Stamping" : s->up ? "Upgrading" : "Downgrading",
		rev->id, rev->message);
	if (rev->no_transaction && !r->stamp)
		fprintf(r->out, "  (outside a transaction)");
	fflush(r->out);
	if (own_txn && !pg_exec(r->c, "BEGIN", err)) {
		fputc('\n', r->out);
		return RUN_DB_FAILED;
	}
	if (!r->stamp && !run_section(r, rev, s->up ? &rev->up : &rev->down, err)) {
		struct pg_error failure = *err, ignored;
		fputs("  FAILED\n", r->out);
		if (pg_in_transaction(r->c))
			pg_exec(r->c, "ROLLBACK", &ignored);
		if (!r->single_transaction)
			record_failure(r, s, started, &failure);
		return RUN_SQL_FAILED;
	}
	if ((own_txn || r->single_transaction) && !pg_in_transaction(r->c)) {
		struct span sp = { rev->file, 0, 0 };
		diag_error(r->d, sp, "the revision ended c7gen's transaction (COMMIT or "
				     "ROLLBACK in its SQL); mark it '-- transaction: none' instead");
		fputs("  FAILED\n", r->out);
		return RUN_SQL_FAILED;
	}
	long ms = elapsed_ms(&t0);
	if ((record_txn && !pg_exec(r->c, "BEGIN", err)) ||
	    !record(r, s, (int)ms, started, err) ||
	    ((own_txn || record_txn) && !pg_exec(r->c, "COMMIT", err))) {
		struct pg_error ignored;
		fputc('\n', r->out);
		if (pg_in_transaction(r->c) && !r->single_transaction)
			pg_exec(r->c, "ROLLBACK", &ignored);
		return RUN_DB_FAILED;
	}
	fprintf(r->out, "  ok (%ld ms)\n", ms);
	return RUN_OK;
}

enum run_result runner_run(struct runner *r, const struct vec *steps,
			   struct pg_error *err)
{
	if (r->single_transaction && !pg_exec(r->c, "BEGIN", err))
		return RUN_DB_FAILED;
	for (size_t i = 0; i < steps->len; i++) {
		enum run_result rc = run_step(r, steps->items[i], err);
		if (rc != RUN_OK) {
			struct pg_error ignored;
			if (r->single_transaction && pg_in_transaction(r->c))
				pg_exec(r->c, "ROLLBACK", &ignored);
			return rc;
		}
	}
	if (r->single_transaction && !pg_exec(r->c, "COMMIT", err))
		return RUN_DB_FAILED;
	return RUN_OK;
}
