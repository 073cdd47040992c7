/*
 * The fleet runner: one process per target, at most --parallel at once
 * (see fleet.h for why processes).  The parent only forks, waits and
 * reports; it holds no connection while targets run.
 */
#include "cmd/fleet.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "base/arena.h"
#include "base/json.h"
#include "base/strbuf.h"
#include "cmd/revisions.h"
#include "ir/sqlname.h"
#include "pg/conn.h"

#define FLEET_DEFAULT_PARALLEL 4
#define FLEET_MAX_PARALLEL 256

bool fleet_wanted(const struct fleet_flags *f)
{
	return f->targets || f->parallel || f->canary || f->fail_fast;
}

const char *fleet_heads(struct cmd_ctx *ctx, const struct db_state *state)
{
	struct vec heads = { 0 };
	revs_applied_heads(ctx->arena, &state->st, &heads);
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < heads.len; i++) {
		const struct revision *r = heads.items[i];
		strbuf_addf(&sb, "%s%s%s", i ? "+" : "", r->id,
			    state->st.partial[r->order] ? "*" : "");
	}
	/* Part way revisions that are not heads (their parent is applied
	 * but they are not) still say where the database stands. */
	const struct revision_set *set = state->st.set;
	for (size_t i = 0; i < set->revs.len; i++) {
		const struct revision *r = set->revs.items[i];
		bool listed = false;
		for (size_t k = 0; k < heads.len; k++)
			listed = listed || heads.items[k] == r;
		if (state->st.partial[i] && !listed)
			strbuf_addf(&sb, "%s%s*", sb.len ? "+" : "", r->id);
	}
	for (size_t i = 0; i < state->st.missing.len; i++)
		strbuf_addf(&sb, "%s%s?", sb.len ? "+" : "",
			    (const char *)state->st.missing.items[i]);
	if (!sb.len)
		strbuf_addstr(&sb, "base");
	char *text = strbuf_to_arena(&sb, ctx->arena);
	strbuf_release(&sb);
	return text;
}

const char *fleet_standing(struct cmd_ctx *ctx, const struct db_state *state,
			   bool *good)
{
	const struct revs_state *st = &state->st;
	*good = false;
	if (st->missing.len || state->edited.len)
		return "diverged";
	size_t behind = 0, partial = 0;
	for (size_t i = 0; i < st->set->revs.len; i++) {
		behind += !st->applied[i] && !st->partial[i];
		partial += st->partial[i] != NULL;
	}
	if (partial)
		return "part way";
	if (behind)
		return arena_printf(ctx->arena, "behind by %zu", behind);
	*good = true;
	return "at head";
}

static bool parse_count(struct cmd_ctx *ctx, const char *flag, const char *text,
			int least, int most, int *out)
{
	char *end;
	long n = strtol(text, &end, 10);
	if (!*text || *end || n < least || n > most) {
		cmd_error(ctx, "--%s takes a number from %d to %d, not '%s'", flag, least,
			  most, text);
		return false;
	}
	*out = (int)n;
	return true;
}

/* ---- one target, in its own process ---- */

struct slot {
	const struct target *t;
	pid_t pid;
	FILE *log;    /* the target's stdout and stderr */
	FILE *result; /* its struct fleet_outcome, one field a line */
	double started;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A schema-per-tenant target works in its schema: unqualified names in
 * the revisions resolve there first (public stays behind it for shared
 * extensions' types and functions). */
static bool open_target(struct cmd_ctx *ctx, const struct target *t,
			struct db_session *db)
{
	memset(db, 0, sizeof(*db));
	db->arena = ctx->arena;
	struct pg_error err;
	db->conn = pg_connect(ctx->arena, t->url, &err);
	if (!db->conn) {
		report_db_error(ctx, NULL, &err);
		return false;
	}
	fprintf(stderr, "c7gen: target %s: %s%s%s\n", t->name, pg_describe(db->conn),
		t->schema ? " schema=" : "", t->schema ? t->schema : "");
	if (!t->schema)
		return true;
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SET search_path = ");
	sql_add_ident(&sql, t->schema);
	strbuf_addstr(&sql, ", public");
	bool ok = pg_exec(db->conn, strbuf_str(&sql), &err);
	strbuf_release(&sql);
	if (!ok)
		report_db_error(ctx, "cannot set the search_path", &err);
	return ok;
}

static void run_target(struct cmd_ctx *ctx, const struct fleet_job *job,
		       const struct target *t, FILE *result)
{
	struct fleet_outcome out = { FLEET_FAILED, "failed", "?", "?" };
	ctx->cfg.url = t->url;
	ctx->cfg.url_source = t->name;
	struct db_session db;
	if (!open_target(ctx, t, &db)) {
		out.cls = db.conn ? FLEET_FAILED : FLEET_UNREACHABLE;
		out.result = out.cls == FLEET_UNREACHABLE ? "unreachable" : "failed";
	} else {
		struct version_tables vt;
		version_tables_of(ctx, &vt);
		if (t->schema)
			vt.schema = t->schema;
		job->run(ctx, &db, &vt, job->arg, &out);
	}
	pg_close(db.conn);
	cmd_report(ctx);
	fprintf(result, "%d\n%s\n%s\n%s\n", (int)out.cls, out.result,
		out.from ? out.from : "?", out.to ? out.to : "?");
}

/* Starts the target's process; false (reported, nothing left open) if the
 * system would not let it start. */
static bool spawn(struct cmd_ctx *ctx, const struct fleet_job *job, struct slot *s)
{
	s->log = tmpfile();
	s->result = tmpfile();
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	s->started = now_seconds();
	s->pid = s->log && s->result ? fork() : -1;
	if (s->pid < 0) {
		cmd_error(ctx, "cannot start the process for target '%s': %s", s->t->name,
			  strerror(errno));
		if (s->log)
			fclose(s->log);
		if (s->result)
			fclose(s->result);
		s->pid = 0;
		return false;
	}
	if (s->pid > 0)
		return true;
#ifdef __linux__
	/* Killed with the parent (kill -9 included): the target is left as
	 * a killed single-target run leaves it, and no orphan keeps going. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	if (getppid() != parent)
		_exit(EXIT_DATABASE);
	dup2(fileno(s->log), STDOUT_FILENO);
	dup2(fileno(s->log), STDERR_FILENO);
	ctx->color_err = false;
	run_target(ctx, job, s->t, s->result);
	fflush(NULL);
	_exit(0);
}

static char *read_all(struct arena *a, FILE *f)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	rewind(f);
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	char *text = strbuf_to_arena(&sb, a);
	strbuf_release(&sb);
	return text;
}

/* ---- the report ---- */

struct row {
	const struct target *t;
	struct fleet_outcome out;
	double seconds;
	const char *log;    /* everything the target's process printed */
	const char *detail; /* its first error line, for the progress line */
};

/* The first "error:" line of a target's output, without the prefix
 * c7gen puts before it. */
static const char *first_error(struct arena *a, const char *log)
{
	const char *p = strstr(log, "error: ");
	if (!p)
		return NULL;
	p += strlen("error: ");
	return arena_strndup(a, p, strcspn(p, "\n"));
}

static void reap(struct cmd_ctx *ctx, struct slot *s, int status, struct row *row)
{
	row->seconds = now_seconds() - s->started;
	row->log = read_all(ctx->arena, s->log);
	char *res = read_all(ctx->arena, s->result);
	fclose(s->log);
	fclose(s->result);
	const char *fields[4] = { 0 };
	char *p = res;
	for (int i = 0; i < 4 && p && *p; i++) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		fields[i] = p;
		p = nl ? nl + 1 : NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fields[3]) {
		/* The process died before it could say how the target came out. */
		row->out = (struct fleet_outcome){ FLEET_FAILED, "failed", "?", "?" };
		row->detail = WIFSIGNALED(status)
			? arena_printf(ctx->arena, "c7gen's process for this target died "
				       "of signal %d", WTERMSIG(status))
			: "c7gen's process for this target stopped early";
		return;
	}
	row->out.cls = (enum fleet_class)atoi(fields[0]);
	row->out.result = fields[1];
	row->out.from = fields[2];
	row->out.to = fields[3];
	row->detail = first_error(ctx->arena, row->log);
}

static void progress(const struct row *row, size_t done, size_t total, size_t running)
{
	const struct fleet_outcome *o = &row->out;
	fprintf(stderr, "[%zu/%zu] %s: %s", done, total, row->t->name, o->result);
	if (o->cls != FLEET_UNREACHABLE)
		fprintf(stderr, " (%s -> %s)", o->from, o->to);
	fprintf(stderr, " in %.2f s", row->seconds);
	if (row->detail && o->cls != FLEET_GOOD)
		fprintf(stderr, ": %s", row->detail);
	fprintf(stderr, "; %zu running\n", running);
	fflush(stderr);
}

static int exit_status(const struct row *rows, size_t n)
{
	int status = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].out.cls == FLEET_UNREACHABLE)
			return EXIT_DATABASE;
		if (rows[i].out.cls != FLEET_GOOD)
			status = EXIT_FINDINGS;
	}
	return status;
}

/* The distinct results, each as the row where it first appears: good
 * ones first, then failures, unreachable, skipped; in table order within
 * each.  Returns how many. */
static size_t states(struct cmd_ctx *ctx, const struct row *rows, size_t n,
		     const struct row ***out)
{
	const struct row **firsts = arena_array(ctx->arena, n + 1, sizeof(*firsts));
	size_t k = 0;
	for (int cls = FLEET_GOOD; cls <= FLEET_SKIPPED; cls++) {
		for (size_t i = 0; i < n; i++) {
			if ((int)rows[i].out.cls != cls)
				continue;
			bool seen = false;
			for (size_t j = 0; j < k && !seen; j++)
				seen = strcmp(firsts[j]->out.result, rows[i].out.result) == 0;
			if (!seen)
				firsts[k++] = &rows[i];
		}
	}
	*out = firsts;
	return k;
}

/* "7 upgraded, 2 unchanged, 1 failed" */
static const char *summary(struct cmd_ctx *ctx, const struct row *rows, size_t n)
{
	const struct row **firsts;
	size_t k = states(ctx, rows, n, &firsts);
	struct strbuf sb = STRBUF_INIT;
	for (size_t j = 0; j < k; j++) {
		size_t count = 0;
		for (size_t i = 0; i < n; i++)
			count += strcmp(rows[i].out.result, firsts[j]->out.result) == 0;
		strbuf_addf(&sb, "%s%zu %s", sb.len ? ", " : "", count, firsts[j]->out.result);
	}
	char *text = strbuf_to_arena(&sb, ctx->arena);
	strbuf_release(&sb);
	return text;
}

/* The targets in each state, one line a state: "behind by 1: t2, t7". */
static void print_states(struct cmd_ctx *ctx, const struct row *rows, size_t n)
{
	const struct row **firsts;
	size_t k = states(ctx, rows, n, &firsts);
	for (size_t j = 0; j < k; j++) {
		printf("  %s:", firsts[j]->out.result);
		const char *sep = " ";
		for (size_t i = 0; i < n; i++) {
			if (strcmp(rows[i].out.result, firsts[j]->out.result) != 0)
				continue;
			printf("%s%s", sep, rows[i].t->name);
			sep = ", ";
		}
		printf("\n");
	}
}

static void print_table(struct cmd_ctx *ctx, const struct fleet_job *job,
			const struct row *rows, size_t n)
{
	int w[4] = { 6, 4, 2, 6 };
	for (size_t i = 0; i < n; i++) {
		const char *cols[4] = { rows[i].t->name, rows[i].out.from, rows[i].out.to,
					rows[i].out.result };
		for (int k = 0; k < 4; k++)
			if ((int)strlen(cols[k]) > w[k])
				w[k] = (int)strlen(cols[k]);
	}
	printf("%-*s  %-*s  %-*s  %8s  %s\n", w[0], "TARGET", w[1], "FROM", w[2], "TO",
	       "DURATION", "RESULT");
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		char dur[32];
		if (r->out.cls == FLEET_SKIPPED)
			snprintf(dur, sizeof(dur), "-");
		else
			snprintf(dur, sizeof(dur), "%.2f s", r->seconds);
		printf("%-*s  %-*s  %-*s  %8s  %s\n", w[0], r->t->name, w[1], r->out.from,
		       w[2], r->out.to, dur, r->out.result);
	}
	printf("%s: %zu target%s: %s\n", job->verb, n, n == 1 ? "" : "s",
	       summary(ctx, rows, n));
	print_states(ctx, rows, n);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		if (r->out.cls == FLEET_GOOD || r->out.cls == FLEET_SKIPPED || !r->log)
			continue;
		printf("\n--- %s (%s) ---\n%s", r->t->name, r->out.result, r->log);
	}
}

static void print_json(struct cmd_ctx *ctx, const struct fleet_job *job,
		       const struct row *rows, size_t n, int status)
{
	json_t *root = json_obj_new();
	json_obj_put(root, "command", json_str_new(job->verb));
	json_obj_put(root, "requested", json_str_new(job->requested));
	json_t *list = json_arr_new();
	static const char *const classes[] = { "ok", "failed", "unreachable", "skipped" };
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		json_t *o = json_obj_new();
		json_obj_put(o, "target", json_str_new(r->t->name));
		json_obj_put(o, "group", json_str_new(r->t->group));
		json_obj_put(o, "schema", json_str_new(r->t->schema));
		json_obj_put(o, "from", json_str_new(r->out.from));
		json_obj_put(o, "to", json_str_new(r->out.to));
		json_obj_put(o, "duration_ms", r->out.cls == FLEET_SKIPPED ? json_null()
					       : json_int_new((long long)(r->seconds * 1000)));
		json_obj_put(o, "result", json_str_new(r->out.result));
		json_obj_put(o, "status", json_str_new(classes[r->out.cls]));
		json_obj_put(o, "error", json_str_new(r->out.cls == FLEET_GOOD ? NULL : r->detail));
		json_obj_put(o, "output", json_str_new(r->out.cls == FLEET_GOOD ? NULL : r->log));
		json_arr_put(list, o);
	}
	json_obj_put(root, "targets", list);
	json_obj_put(root, "summary", json_str_new(summary(ctx, rows, n)));
	json_obj_put(root, "exit_status", json_int_new(status));
	struct strbuf sb = STRBUF_INIT;
	json_to_strbuf(&sb, root, JSON_INDENT(2));
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	json_decref(root);
}

/* ---- the schedule ---- */

struct schedule {
	int parallel, canary;
	bool fail_fast;
};

static bool settle(struct cmd_ctx *ctx, const struct fleet_flags *f, struct schedule *s)
{
	s->parallel = FLEET_DEFAULT_PARALLEL;
	s->canary = 0;
	s->fail_fast = f->fail_fast;
	if (!f->targets) {
		cmd_error(ctx, "%s: --parallel, --canary, --fail-fast and --format need "
			       "--targets NAME|GROUP|all", ctx->argv[0]);
		return false;
	}
	if (f->parallel && !parse_count(ctx, "parallel", f->parallel, 1,
					FLEET_MAX_PARALLEL, &s->parallel))
		return false;
	if (f->canary && !parse_count(ctx, "canary", f->canary, 1, 1000000, &s->canary))
		return false;
	if (f->format && strcmp(f->format, "json") != 0 && strcmp(f->format, "text") != 0) {
		cmd_error(ctx, "--format takes text or json, not '%s'", f->format);
		return false;
	}
	return true;
}

/* Starts targets while there is room, reaps one, and repeats: the canary
 * targets first (all of them finished before any other starts), then the
 * rest, unless a canary failed or --fail-fast saw a failure. */
static void schedule_run(struct cmd_ctx *ctx, const struct fleet_job *job,
			 const struct schedule *sc, const struct vec *targets,
			 struct row *rows)
{
	size_t n = targets->len, next = 0, running = 0, done = 0;
	size_t phase_end = sc->canary > 0 && (size_t)sc->canary < n ? (size_t)sc->canary : n;
	struct slot *slots = arena_array(ctx->arena, n + 1, sizeof(*slots));
	bool halted = false;
	for (;;) {
		while (!halted && running < (size_t)sc->parallel && next < phase_end) {
			slots[next].t = rows[next].t = targets->items[next];
			if (!spawn(ctx, job, &slots[next])) {
				/* Out of processes or files: wind down what runs. */
				rows[next].out = (struct fleet_outcome){ FLEET_FAILED, "failed", "?", "?" };
				next++;
				halted = true;
				break;
			}
			next++;
			running++;
		}
		if (!running) {
			if (halted || phase_end == n)
				break;
			for (size_t i = 0; i < phase_end; i++)
				halted = halted || rows[i].out.cls != FLEET_GOOD;
			if (halted)
				fprintf(stderr, "c7gen: a canary target did not succeed; "
						"the other %zu targets were not started\n", n - next);
			phase_end = n;
			continue;
		}
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		size_t i = 0;
		while (i < next && slots[i].pid != pid)
			i++;
		if (i == next)
			continue; /* not one of ours */
		slots[i].pid = 0;
		rows[i].t = slots[i].t;
		reap(ctx, &slots[i], status, &rows[i]);
		running--;
		progress(&rows[i], ++done, n, running);
		if (sc->fail_fast && rows[i].out.cls != FLEET_GOOD && !halted) {
			halted = true;
			fprintf(stderr, "c7gen: --fail-fast: not starting the other %zu "
					"targets\n", n - next);
		}
	}
	for (size_t i = next; i < n; i++) {
		rows[i].t = targets->items[i];
		rows[i].out = (struct fleet_outcome){ FLEET_SKIPPED, "skipped", "-", "-" };
	}
}

int fleet_run(struct cmd_ctx *ctx, const struct fleet_flags *f,
	      const struct fleet_job *job)
{
	struct schedule sc;
	if (!settle(ctx, f, &sc))
		return EXIT_USAGE;
	struct vec all, targets;
	int rc = targets_resolve(ctx, &all);
	if (rc >= 0)
		return rc;
	if (!targets_select(ctx, &all, f->targets, &targets))
		return EXIT_USAGE;
	struct row *rows = arena_array(ctx->arena, targets.len + 1, sizeof(*rows));
	fprintf(stderr, "c7gen: %s on %zu target%s, %d at a time%s\n", job->verb,
		targets.len, targets.len == 1 ? "" : "s", sc.parallel,
		sc.canary ? arena_printf(ctx->arena, ", the first %d as canaries", sc.canary) : "");
	schedule_run(ctx, job, &sc, &targets, rows);
	int status = exit_status(rows, targets.len);
	if (f->format && strcmp(f->format, "json") == 0)
		print_json(ctx, job, rows, targets.len, status);
	else
		print_table(ctx, job, rows, targets.len);
	return cmd_finish(ctx, status);
}
