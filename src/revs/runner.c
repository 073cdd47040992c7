#include "revs/runner.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/random.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "pg/conn.h"
#include "pg/locks.h"
#include "pg/versions.h"
#include "revs/plan.h"
#include "revs/stmtinfo.h"
#include "sql/sql.h"

#define SQLSTATE_LOCK_NOT_AVAILABLE "55P03"
/* Backoff between retries: doubling from the first, capped. */
#define RETRY_FIRST_MS 100L
#define RETRY_MAX_MS 10000L

/* One revision being run in one direction. */
struct job {
	const struct step *s;
	const struct revision *rev;
	const struct section *sec;
	const char *dir;      /* "upgrade", "downgrade" */
	const char *started;  /* for the history */
	struct timespec t0;
	long timeout;         /* lock_timeout of its statements, 0 none */
	bool per_step_lines;  /* a line for each step, not one for the revision */
	bool row_exists;      /* a downgrade stopped part way kept the version row */
};

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

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* The wait before retry `n` (1-based): doubling, capped, and jittered
 * into its upper half so that several deploys do not retry in step. */
static long backoff_ms(int n)
{
	long wait = RETRY_FIRST_MS;
	for (int i = 1; i < n && wait < RETRY_MAX_MS; i++)
		wait *= 2;
	if (wait > RETRY_MAX_MS)
		wait = RETRY_MAX_MS;
	unsigned int rnd = 0;
	random_bytes(&rnd, sizeof(rnd));
	return wait / 2 + (long)(rnd % (unsigned int)(wait / 2 + 1));
}

/* Starts a progress line that a later "ok" or "FAILED" finishes. */
static void open_line(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void open_line(struct runner *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fflush(r->out);
	r->line_open = true;
}

/* A line of its own, indented under the one it interrupts. */
static void aside(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void aside(struct runner *r, const char *fmt, ...)
{
	if (r->line_open)
		fputc('\n', r->out);
	fputs("    ", r->out);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	fflush(r->out);
	r->line_open = false;
}

/* Finishes the open progress line ("  ok (5 ms)"), or writes the word on
 * a line of its own after an aside. */
static void close_line(struct runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void close_line(struct runner *r, const char *fmt, ...)
{
	fputs("  ", r->out);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	fflush(r->out);
	r->line_open = false;
}

/* "{a,b}": the revisions a squash revision replaced, as a text[] (ids
 * are hex, nothing to quote). */
static const char *replaced_ids(struct arena *a, const struct revision *rev)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addch(&sb, '{');
	for (size_t i = 0; i < rev->nreplaces; i++)
		strbuf_addf(&sb, "%s%s", i ? "," : "", rev->replaces[i]);
	strbuf_addch(&sb, '}');
	const char *out = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return out;
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

/* The offset of the first character at or after `at` that is neither
 * blank nor inside an SQL comment (-- to the end of the line, nested
 * block comments): where the statement itself starts. */
static size_t skip_comments(const char *text, size_t len, size_t at)
{
	while (at < len) {
		if (strchr(" \t\r\n", text[at])) {
			at++;
		} else if (at + 1 < len && text[at] == '-' && text[at + 1] == '-') {
			while (at < len && text[at] != '\n')
				at++;
		} else if (at + 1 < len && text[at] == '/' && text[at + 1] == '*') {
			int depth = 0;
			do {
				if (at + 1 < len && text[at] == '/' && text[at + 1] == '*') {
					depth++;
					at += 2;
				} else if (at + 1 < len && text[at] == '*' && text[at + 1] == '/') {
					depth--;
					at += 2;
				} else {
					at++;
				}
			} while (depth > 0 && at < len);
		} else {
			break;
		}
	}
	return at;
}

/* The server's complaint, pointed at the statement in the file. */
static struct diag *report_sql_error(struct runner *r, const struct job *j,
				     const struct rev_step *step,
				     const struct sql_stmt *st,
				     const struct pg_error *err)
{
	const struct srcfile *f = j->rev->file;
	size_t at = step->offset + st->offset;
	size_t end;
	if (err->position > 0) {
		at += char_offset(st->text, st->len, err->position);
		end = at + 1;
	} else {
		/* No position: the statement's first line, past the comments
		 * (a generated -- WARNING:) written above it. */
		at = skip_comments(f->text, step->offset + st->offset + st->len, at);
		end = at;
		while (end < f->len && f->text[end] != '\n')
			end++;
	}
	struct span sp = { j->rev->file, (uint32_t)at, (uint32_t)end };
	struct diag *g = diag_error(r->d, sp, "%s", err->message);
	if (err->detail)
		diag_note(r->d, g, SPAN_NONE, "DETAIL: %s", err->detail);
	if (err->context)
		diag_note(r->d, g, SPAN_NONE, "CONTEXT: %s", err->context);
	if (err->hint)
		diag_hint(r->d, g, "%s", err->hint);
	return g;
}

/* "step 2 of 3", or NULL for a section that is one unmarked step. */
static const char *step_name(struct runner *r, const struct job *j, size_t i)
{
	if (!j->sec->marked)
		return NULL;
	return arena_printf(r->a, "step %zu of %zu", i + 1, j->sec->nsteps);
}

/* Where the revision stands after a failure in step `i` with `stmts`
 * statements of it done, for the user to decide what next. */
static void note_partial(struct runner *r, const struct job *j, struct diag *g,
			 size_t i, size_t stmts)
{
	const char *name = step_name(r, j, i);
	if (name)
		diag_note(r->d, g, SPAN_NONE, "in %s of the %s", name, j->dir);
	if (r->single_transaction || (i == 0 && stmts == 0 && !j->s->resume))
		return;
	if (i == 0 && stmts == 0) {
		diag_note(r->d, g, SPAN_NONE, "nothing of the %s is applied now", j->dir);
		return;
	}
	struct strbuf sb = STRBUF_INIT;
	if (i)
		strbuf_addf(&sb, "steps 1 to %zu of the %s are applied", i, j->dir);
	if (stmts)
		strbuf_addf(&sb, "%s%zu statement%s of step %zu ran outside a transaction",
			    i ? ", and " : "", stmts, stmts == 1 ? "" : "s", i + 1);
	diag_note(r->d, g, SPAN_NONE, "%s; the next 'c7gen %s' resumes at step %zu, "
		  "'c7gen %s' undoes what is done", strbuf_str(&sb), j->dir, i + 1,
		  j->s->up ? "downgrade" : "upgrade");
	strbuf_release(&sb);
}

static bool record(struct runner *r, const struct job *j, struct pg_error *err)
{
	struct history_entry h = { 0 };
	h.direction = r->stamp ? "stamp" : j->dir;
	h.revision = j->rev->id;
	h.started_at = j->started;
	h.success = true;
	struct applied row = { 0 };
	row.revision = j->rev->id;
	row.parents = join_parents(r->a, j->rev);
	row.checksum = j->rev->checksum;
	row.duration_ms = (int)elapsed_ms(&j->t0);
	row.replaces = replaced_ids(r->a, j->rev);
	return pg_versions_record(r->c, r->vt, j->s->up, r->stamp || j->row_exists,
				  &row, &h, err);
}

static void record_failure(struct runner *r, const struct job *j, size_t i,
			   const struct pg_error *failure)
{
	if (r->single_transaction)
		return;
	struct history_entry h = { 0 };
	h.direction = j->dir;
	h.revision = j->rev->id;
	h.started_at = j->started;
	h.success = false;
	h.sqlstate = failure->sqlstate[0] ? failure->sqlstate : NULL;
	const char *name = step_name(r, j, i);
	h.error = name ? arena_printf(r->a, "%s: %s", name, failure->message)
		       : failure->message;
	struct pg_error ignored;
	/* Best effort: the history must not hide the real error. */
	pg_history_append(r->c, r->vt, &h, &ignored);
}

static bool save_progress(struct runner *r, const struct job *j, size_t done,
			  size_t stmts, struct pg_error *err)
{
	if (r->single_transaction)
		return true;
	struct progress p = { 0 };
	p.revision = j->rev->id;
	p.direction = j->dir;
	p.steps_done = (int)done;
	p.steps = (int)j->sec->nsteps;
	p.statements_done = (int)stmts;
	p.checksum = j->rev->checksum;
	return pg_progress_save(r->c, r->vt, &p, err);
}

/* Makes the session's lock_timeout `ms`; 0 gives it back its own. */
static bool set_lock_timeout(struct runner *r, long ms, struct pg_error *err)
{
	if (ms == r->session_timeout_ms)
		return true;
	char sql[64];
	if (ms)
		snprintf(sql, sizeof(sql), "SET lock_timeout = %ld", ms);
	else
		snprintf(sql, sizeof(sql), "RESET lock_timeout");
	if (!pg_exec(r->c, sql, err))
		return false;
	r->session_timeout_ms = ms;
	return true;
}

/* A revision's own `SET lock_timeout` lasts until the end of its step:
 * after SQL that mentions it, the session's value is no longer known and
 * is set again before the next statement. */
static void forget_timeout_if_set_by(struct runner *r, const char *sql)
{
	if (strcasestr(sql, "lock_timeout"))
		r->session_timeout_ms = -1;
}

/* Sends one statement; under a lock timeout it is watched, so that a
 * timeout can say what it waited for. */
static bool exec_stmt(struct runner *r, const char *sql, long timeout,
		      const char **waited, struct pg_error *err)
{
	*waited = NULL;
	if (timeout <= 0 || r->one_session)
		return pg_exec(r->c, sql, err);
	long probe = timeout / 2;
	probe = probe < 20 ? 20 : probe > 1000 ? 1000 : probe;
	return pg_exec_watching_locks(r->c, r->a, sql, probe, waited, err);
}

static bool lock_timed_out(const struct pg_error *err)
{
	return strcmp(err->sqlstate, SQLSTATE_LOCK_NOT_AVAILABLE) == 0;
}

/* After a lock timeout: says what the statement waited for and sleeps
 * before the next try.  False when the retries are used up. */
static bool retry_after_timeout(struct runner *r, const char *waited, long timeout,
				int *retries)
{
	if (*retries >= r->ddl_retries)
		return false;
	long wait = backoff_ms(++*retries);
	aside(r, "lock timeout after %ld ms, retry %d of %d in %.1f s: waited for %s",
	      timeout, *retries, r->ddl_retries, (double)wait / 1000.0,
	      waited ? waited : "a lock released before c7gen could see which");
	sleep_ms(wait);
	return true;
}

/* After a lock timeout of c7gen's own (`timeout` set): what it waited for
 * when the watching session saw it, and the retries spent.  A timeout the
 * revision set itself gets no such notes. */
static void gave_up(struct runner *r, struct diag *g, long timeout, int retries,
		    const char *waited)
{
	if (timeout <= 0 && !waited)
		return;
	if (waited)
		diag_note(r->d, g, SPAN_NONE, "it waited for %s", waited);
	diag_note(r->d, g, SPAN_NONE, "gave up after %d retr%s", retries,
		  retries == 1 ? "y" : "ies");
	diag_hint(r->d, g, "end the session holding the lock, or raise ddl_retries or "
			   "ddl_lock_timeout (c7gen.ini, --ddl-retries, --ddl-lock-timeout)");
}

static void split(struct runner *r, const struct rev_step *step, struct vec *stmts)
{
	struct sql_error err;
	if (!sql_split(r->a, step->sql, strlen(step->sql), stmts, &err))
		BUG("a step the parser rejects was loaded (revs_parse checks them)");
}

enum txn_verb { TXN_BEGIN, TXN_COMMIT, TXN_ROLLBACK };

/* A step's own transaction, or under --single-transaction the savepoint
 * that stands in for it. */
static const char *txn_sql(bool single, enum txn_verb v)
{
	static const char *const sql[2][3] = {
		{ "BEGIN", "COMMIT", "ROLLBACK" },
		{ "SAVEPOINT c7gen_step", "RELEASE SAVEPOINT c7gen_step",
		  "ROLLBACK TO SAVEPOINT c7gen_step" },
	};
	return sql[single][v];
}

/* Step `i`, in one transaction with its bookkeeping. */
static enum run_result run_txn_step(struct runner *r, const struct job *j,
				    size_t i, bool last, struct pg_error *err)
{
	const struct rev_step *step = &j->sec->steps[i];
	struct vec stmts = { 0 };
	split(r, step, &stmts);
	/* With --single-transaction a savepoint stands in for the step's own
	 * transaction, and only when a lock timeout may need to undo it. */
	bool single = r->single_transaction;
	bool mark = !single || (j->timeout > 0 && r->ddl_retries > 0);
	int retries = 0;
	for (;;) {
		if (!set_lock_timeout(r, j->timeout, err))
			return RUN_DB_FAILED;
		if (mark && !pg_exec(r->c, txn_sql(single, TXN_BEGIN), err))
			return RUN_DB_FAILED;
		size_t k = 0;
		const char *waited = NULL;
		for (; k < stmts.len; k++)
			if (!exec_stmt(r, ((struct sql_stmt *)stmts.items[k])->text,
				       j->timeout, &waited, err))
				break;
		if (k == stmts.len)
			break;
		struct pg_error failure = *err, ignored;
		if (mark)
			pg_exec(r->c, txn_sql(single, TXN_ROLLBACK), &ignored);
		if (mark && lock_timed_out(&failure) &&
		    retry_after_timeout(r, waited, j->timeout, &retries))
			continue;
		close_line(r, "FAILED");
		struct diag *g = report_sql_error(r, j, step, stmts.items[k], &failure);
		if (lock_timed_out(&failure))
			gave_up(r, g, j->timeout, retries, waited);
		note_partial(r, j, g, i, 0);
		record_failure(r, j, i, &failure);
		*err = failure;
		return RUN_SQL_FAILED;
	}
	if (!pg_in_transaction(r->c)) {
		struct span sp = { j->rev->file, (uint32_t)step->line_start,
				   (uint32_t)step->line_start };
		diag_error(r->d, sp, "the revision ended c7gen's transaction (COMMIT or "
				     "ROLLBACK in its SQL); run such statements in a step "
				     "marked '-- +step transaction: none' instead");
		close_line(r, "FAILED");
		return RUN_SQL_FAILED;
	}
	bool ok = last ? record(r, j, err) : save_progress(r, j, i + 1, 0, err);
	if (!ok || (mark && !pg_exec(r->c, txn_sql(single, TXN_COMMIT), err))) {
		struct pg_error ignored;
		if (!single && pg_in_transaction(r->c))
			pg_exec(r->c, "ROLLBACK", &ignored);
		return RUN_DB_FAILED;
	}
	return RUN_OK;
}

/* Before a CREATE INDEX CONCURRENTLY runs (again): an INVALID index of
 * that name, left by a build that failed or was killed, would make it
 * fail, or with IF NOT EXISTS be kept as it is. */
static bool clear_invalid_index(struct runner *r, const char *sql,
				struct pg_error *err)
{
	struct index_build ib;
	if (!stmt_index_build(r->a, sql, strlen(sql), &ib))
		return true;
	const char *dropped;
	if (!pg_drop_invalid_index(r->c, r->a, ib.table, ib.index, &dropped, err))
		return false;
	if (dropped)
		aside(r, "dropped the INVALID index %s left by an interrupted build", dropped);
	return true;
}

/* One statement of a step outside a transaction, retried after lock
 * timeouts.  CONCURRENTLY commands run without c7gen's lock_timeout: their
 * waits never queue the application, and a timeout would throw away a
 * build that may have taken long. */
static bool run_autocommit(struct runner *r, const struct job *j, const char *sql,
			   int *retries, const char **waited, struct pg_error *err)
{
	bool concurrent = stmt_is_concurrent(r->a, sql, strlen(sql));
	long timeout = concurrent ? 0 : j->timeout;
	for (;;) {
		if (!set_lock_timeout(r, timeout, err))
			return false;
		if (concurrent && !clear_invalid_index(r, sql, err))
			return false;
		if (exec_stmt(r, sql, timeout, waited, err))
			return true;
		struct pg_error failure = *err, ignored;
		if (concurrent)
			clear_invalid_index(r, sql, &ignored);
		*err = failure;
		if (!timeout || !lock_timed_out(err) ||
		    !retry_after_timeout(r, *waited, timeout, retries))
			return false;
	}
}

/* Step `i` outside a transaction: each statement on its own, progress
 * recorded after each, so a rerun starts at the statement that failed. */
static enum run_result run_none_step(struct runner *r, const struct job *j,
				     size_t i, size_t skip, bool last,
				     struct pg_error *err)
{
	const struct rev_step *step = &j->sec->steps[i];
	struct vec stmts = { 0 };
	split(r, step, &stmts);
	int retries = 0;
	for (size_t k = skip; k < stmts.len; k++) {
		const struct sql_stmt *st = stmts.items[k];
		const char *waited = NULL;
		if (!run_autocommit(r, j, st->text, &retries, &waited, err)) {
			close_line(r, "FAILED");
			struct diag *g = report_sql_error(r, j, step, st, err);
			if (lock_timed_out(err))
				gave_up(r, g, j->timeout, retries, waited);
			note_partial(r, j, g, i, k);
			record_failure(r, j, i, err);
			return RUN_SQL_FAILED;
		}
		forget_timeout_if_set_by(r, st->text);
		if (k + 1 < stmts.len && !save_progress(r, j, i, k + 1, err))
			return RUN_DB_FAILED;
	}
	if (!last)
		return save_progress(r, j, i + 1, 0, err) ? RUN_OK : RUN_DB_FAILED;
	struct pg_error ignored;
	if (!pg_exec(r->c, "BEGIN", err))
		return RUN_DB_FAILED;
	if (!record(r, j, err) || !pg_exec(r->c, "COMMIT", err)) {
		if (pg_in_transaction(r->c))
			pg_exec(r->c, "ROLLBACK", &ignored);
		return RUN_DB_FAILED;
	}
	return RUN_OK;
}

/* The first step to run and the statements of it already done.  Resuming
 * the other direction pairs the sections' steps in reverse (downgrade step
 * 1 undoes the upgrade's last step); false after reporting when they
 * cannot be paired. */
static bool resume_point(struct runner *r, const struct job *j, size_t *first,
			 size_t *skip)
{
	const struct rev_progress *p = j->s->resume;
	size_t n = j->sec->nsteps;
	*first = 0;
	*skip = 0;
	if (!p)
		return true;
	if (p->up == j->s->up) {
		*first = p->steps_done < n ? p->steps_done : n;
		*skip = p->statements_done;
		return true;
	}
	const struct section *other = p->up ? &j->rev->up : &j->rev->down;
	if (p->steps_done == 0) {
		*first = n; /* nothing complete to undo */
		return true;
	}
	if (other->nsteps == n) {
		*first = n - (p->steps_done < n ? p->steps_done : n);
		return true;
	}
	struct span sp = { j->rev->file, 0, 0 };
	struct diag *g = diag_error(r->d, sp, "cannot %s revision %s: its %s stopped after "
				    "step %zu of %zu, and its %s has %zu step%s, so which of "
				    "them undo the steps done is not known", j->dir, j->rev->id,
				    p->up ? "upgrade" : "downgrade", p->steps_done,
				    other->nsteps, j->dir, n, n == 1 ? "" : "s");
	diag_note(r->d, g, SPAN_NONE, "c7gen pairs the steps of the two sections in "
		  "reverse order, which needs as many in each");
	diag_hint(r->d, g, "finish the %s with 'c7gen %s', or undo its steps by hand "
		  "and then 'c7gen stamp' the revision before it",
		  p->up ? "upgrade" : "downgrade", p->up ? "upgrade" : "downgrade");
	return false;
}

static void print_start(struct runner *r, const struct job *j, size_t first, size_t skip)
{
	const struct rev_progress *p = j->s->resume;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "%s %s  %s", r->stamp ? "Stamping" : j->s->up ? "Upgrading" : "Downgrading",
		    j->rev->id, j->rev->message);
	if (!r->stamp && p && p->up == j->s->up && (first || skip)) {
		if (skip)
			strbuf_addf(&sb, "  (resuming at statement %zu of step %zu of %zu)",
				    skip + 1, first + 1, j->sec->nsteps);
		else
			strbuf_addf(&sb, "  (resuming at step %zu of %zu)", first + 1,
				    j->sec->nsteps);
	} else if (!r->stamp && p && p->up != j->s->up) {
		size_t todo = j->sec->nsteps - first;
		strbuf_addf(&sb, "  (%s the %zu step%s its %s %s before it stopped)",
			    j->s->up ? "redoing" : "undoing", todo, todo == 1 ? "" : "s",
			    p->up ? "upgrade" : "downgrade", p->up ? "did" : "undid");
	}
	if (!r->stamp && !j->per_step_lines && j->sec->steps[0].no_transaction)
		strbuf_addstr(&sb, "  (outside a transaction)");
	open_line(r, "%s", strbuf_str(&sb));
	strbuf_release(&sb);
	if (!r->stamp && p && p->up != j->s->up && p->statements_done)
		aside(r, "warning: %zu statement%s of its step %zu ran outside a transaction "
		      "and %s not undone", p->statements_done, p->statements_done == 1 ? "" : "s",
		      p->steps_done + 1, p->statements_done == 1 ? "is" : "are");
	if (j->per_step_lines && r->line_open) {
		fputc('\n', r->out);
		r->line_open = false;
	}
}

static enum run_result run_stamp(struct runner *r, const struct job *j,
				 struct pg_error *err)
{
	if (!r->single_transaction && !pg_exec(r->c, "BEGIN", err))
		return RUN_DB_FAILED;
	if (!record(r, j, err) ||
	    (!r->single_transaction && !pg_exec(r->c, "COMMIT", err))) {
		struct pg_error ignored;
		if (!r->single_transaction && pg_in_transaction(r->c))
			pg_exec(r->c, "ROLLBACK", &ignored);
		return RUN_DB_FAILED;
	}
	return RUN_OK;
}

static enum run_result run_revision(struct runner *r, const struct step *s,
				    struct pg_error *err)
{
	struct job j = { 0 };
	j.s = s;
	j.rev = s->rev;
	j.sec = s->up ? &s->rev->up : &s->rev->down;
	j.dir = s->up ? "upgrade" : "downgrade";
	j.started = utc_now(r->a);
	clock_gettime(CLOCK_MONOTONIC, &j.t0);
	j.timeout = s->rev->has_ddl_lock_timeout ? s->rev->ddl_lock_timeout_ms
						 : r->ddl_lock_timeout_ms;
	j.per_step_lines = j.sec->marked && !r->stamp;
	j.row_exists = s->resume && !s->resume->up;
	size_t first, skip;
	if (!resume_point(r, &j, &first, &skip))
		return RUN_SQL_FAILED;
	print_start(r, &j, first, skip);
	if (r->stamp || first == j.sec->nsteps) {
		/* Nothing to run, only the bookkeeping. */
		enum run_result rc = run_stamp(r, &j, err);
		if (rc == RUN_OK)
			close_line(r, "ok (%ld ms)%s", elapsed_ms(&j.t0),
				   r->stamp ? "" : ", nothing left to run");
		else
			close_line(r, "FAILED");
		return rc;
	}
	for (size_t i = first; i < j.sec->nsteps; i++) {
		const struct rev_step *step = &j.sec->steps[i];
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (j.per_step_lines)
			open_line(r, "  step %zu of %zu%s", i + 1, j.sec->nsteps,
				  step->no_transaction ? "  (outside a transaction)" : "");
		bool last = i + 1 == j.sec->nsteps;
		enum run_result rc = step->no_transaction
			? run_none_step(r, &j, i, i == first ? skip : 0, last, err)
			: run_txn_step(r, &j, i, last, err);
		forget_timeout_if_set_by(r, step->sql);
		if (rc == RUN_DB_FAILED)
			close_line(r, "FAILED");
		if (rc != RUN_OK)
			return rc;
		close_line(r, "ok (%ld ms)", elapsed_ms(j.per_step_lines ? &t0 : &j.t0));
	}
	return RUN_OK;
}

enum run_result runner_run(struct runner *r, const struct vec *steps,
			   struct pg_error *err)
{
	r->session_timeout_ms = 0;
	r->line_open = false;
	if (r->single_transaction && !pg_exec(r->c, "BEGIN", err))
		return RUN_DB_FAILED;
	enum run_result rc = RUN_OK;
	for (size_t i = 0; i < steps->len && rc == RUN_OK; i++)
		rc = run_revision(r, steps->items[i], err);
	struct pg_error ignored;
	if (rc != RUN_OK && r->single_transaction && pg_in_transaction(r->c))
		pg_exec(r->c, "ROLLBACK", &ignored);
	if (rc == RUN_OK && r->single_transaction && !pg_exec(r->c, "COMMIT", err))
		rc = RUN_DB_FAILED;
	if (r->session_timeout_ms && pg_ok(r->c) && !pg_in_transaction(r->c))
		pg_exec(r->c, "RESET lock_timeout", &ignored);
	return rc;
}
