#include "pg/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fs.h"
#include "base/strbuf.h"
#include "pg/conn.h"

#define DEFAULT_PORT 5432
/* sun_path is 108 bytes; the socket file adds "/.s.PGSQL.5432". */
#define SOCKET_DIR_MAX 90
/* Per-project scratch directories under /tmp: TMP_PREFIX<uid>-<16 hex>. */
#define TMP_PREFIX "/tmp/c7gen-"
#define TAG_LEN 16

struct scratch {
	struct arena *a;
	const char *bindir;
	const char *dir;     /* cluster directory: data/, socket, logs */
	const char *data;
	bool as_postgres;    /* drop to the postgres user for server programs */
	uid_t uid;
	gid_t gid;
	int lock_fd;
	int port;            /* the server's, or the one to start it on */
	pid_t postmaster;
	bool started_here;   /* this command stops it */
	bool serving;        /* kept running for the application (dev start) */
};

static void fail(struct pg_error *err, struct arena *a, const char *fmt,
		 const char *arg)
{
	memset(err, 0, sizeof(*err));
	err->message = arena_printf(a, fmt, arg);
}

static const char *find_bindir(struct arena *a)
{
	FILE *p = popen("pg_config --bindir 2>/dev/null", "r");
	if (p) {
		char buf[PATH_MAX];
		bool got = fgets(buf, sizeof(buf), p) != NULL;
		pclose(p);
		if (got) {
			buf[strcspn(buf, "\n")] = '\0';
			const char *initdb = fs_join(a, buf, "initdb");
			if (access(initdb, X_OK) == 0)
				return arena_strdup(a, buf);
		}
	}
	/* Debian installs servers per major version; take the newest. */
	glob_t g;
	const char *found = NULL;
	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *path = g.gl_pathv[i];
			found = arena_strndup(a, path, strlen(path) - strlen("/initdb"));
		}
		globfree(&g);
	}
	return found;
}

/* Runs a program, as postgres if needed, output appended to `log`.
 * Returns its exit status, or -1 if it could not run. */
static int run(const struct scratch *s, const char *const *argv, const char *log)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (in < 0 || out < 0)
			_exit(126);
		dup2(in, 0);
		dup2(out, 1);
		dup2(out, 2);
		if (s->as_postgres &&
		    (setgroups(0, NULL) != 0 || setgid(s->gid) != 0 || setuid(s->uid) != 0))
			_exit(126);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *prog(const struct scratch *s, const char *name)
{
	return fs_join(s->a, s->bindir, name);
}

/* The project's real path: what its scratch directory is named after and
 * records, so an orphaned directory can be recognised. */
static const char *project_real(struct arena *a, const char *root)
{
	char real[PATH_MAX];
	return arena_strdup(a, realpath(root, real) ? real : root);
}

/* FNV-1a of the project's real path, to name its directory under /tmp. */
static const char *project_tag(struct arena *a, const char *real)
{
	unsigned long long h = 14695981039346656037ULL;
	for (const char *p = real; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return arena_printf(a, "%016llx", h);
}

/* Makes `dir` (mode 0700) and gives it to the server's user. */
static int make_private_dir(const struct scratch *s, const char *dir)
{
	int err = fs_mkdir_p(dir, 0700);
	if (err)
		return err;
	if (s->as_postgres && chown(dir, s->uid, s->gid) != 0)
		return errno;
	return 0;
}

static const char *choose_dir(struct scratch *s, const char *root)
{
	const char *forced = getenv("C7GEN_SCRATCH_DIR");
	if (forced && *forced)
		return forced;
	/* The socket directory must be absolute: libpq takes a host that
	 * starts with '/' for one. */
	char real[PATH_MAX];
	if (!s->as_postgres && realpath(root, real)) {
		const char *abs = fs_join(s->a, real, ".c7gen/cluster");
		if (strlen(abs) <= SOCKET_DIR_MAX)
			return abs;
	}
	return arena_printf(s->a, TMP_PREFIX "%u-%s", (unsigned)getuid(),
			    project_tag(s->a, project_real(s->a, root)));
}

static int read_major(const struct scratch *s, const char *data)
{
	char *text;
	size_t len;
	if (fs_read(s->a, fs_join(s->a, data, "PG_VERSION"), &text, &len) != 0)
		return 0;
	return atoi(text);
}

/* The binaries' major version, from "initdb (PostgreSQL) 15.4 (Debian ...)". */
static int binary_major(const struct scratch *s)
{
	struct strbuf cmd = STRBUF_INIT;
	strbuf_addf(&cmd, "'%s' --version 2>/dev/null", prog(s, "initdb"));
	FILE *p = popen(cmd.buf, "r");
	strbuf_release(&cmd);
	if (!p)
		return 0;
	char buf[128] = "";
	if (!fgets(buf, sizeof(buf), p))
		buf[0] = '\0';
	pclose(p);
	const char *v = strstr(buf, "(PostgreSQL)");
	return v ? atoi(v + strlen("(PostgreSQL)")) : 0;
}

/* An initdb'd template shared by every scratch cluster of this user and
 * server version; copying it is ten times faster than initdb. */
static bool ensure_template(struct scratch *s, int major, const char **out,
			    struct pg_error *err)
{
	const char *tdir = arena_printf(s->a, "/tmp/c7gen-template-%u-%d",
					(unsigned)getuid(), major);
	const char *tdata = fs_join(s->a, tdir, "data");
	*out = tdata;
	if (read_major(s, tdata) == major)
		return true;
	const char *tmp = arena_printf(s->a, "%s.%d", tdir, (int)getpid());
	if (make_private_dir(s, tmp) != 0) {
		fail(err, s->a, "cannot create '%s'", tmp);
		return false;
	}
	const char *log = fs_join(s->a, tmp, "initdb.log");
	const char *argv[] = { prog(s, "initdb"), "-D", fs_join(s->a, tmp, "data"),
			       "-U", "postgres", "-A", "trust", "-E", "UTF8",
			       "--locale=C.UTF-8", "--no-sync", NULL };
	if (run(s, argv, log) != 0) {
		fail(err, s->a, "initdb failed; see %s", log);
		return false;
	}
	/* Another c7gen may have won the race: either template is fine. */
	if (rename(tmp, tdir) != 0) {
		const char *rm[] = { "/bin/rm", "-rf", tmp, NULL };
		run(s, rm, "/dev/null");
	}
	return true;
}

static bool init_cluster(struct scratch *s, struct pg_error *err)
{
	int major = binary_major(s);
	if (!major) {
		fail(err, s->a, "cannot tell the version of %s", prog(s, "initdb"));
		return false;
	}
	int have = read_major(s, s->data);
	if (have && have == major)
		return true;
	if (have) {
		/* Made by another server version: start over. */
		const char *rm[] = { "/bin/rm", "-rf", s->data, NULL };
		run(s, rm, "/dev/null");
	}
	const char *tdata;
	if (!ensure_template(s, major, &tdata, err))
		return false;
	const char *log = fs_join(s->a, s->dir, "initdb.log");
	const char *cp[] = { "/bin/cp", "-a", tdata, s->data, NULL };
	if (run(s, cp, log) != 0) {
		fail(err, s->a, "cannot copy the template cluster; see %s", log);
		return false;
	}
	return true;
}

/* postmaster.pid: the pid on line 1, the port on line 4. */
static void read_postmaster_pid(struct scratch *s)
{
	char *text;
	size_t len;
	if (fs_read(s->a, fs_join(s->a, s->data, "postmaster.pid"), &text, &len) != 0)
		return;
	s->postmaster = (pid_t)atol(text);
	const char *line = text;
	for (int i = 1; i < 4 && line; i++) {
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	if (line && atoi(line) > 0)
		s->port = atoi(line);
}

/* The marker `dev start` leaves: the running server is the application's
 * and outlives commands. */
static const char *serving_marker(const struct scratch *s)
{
	return fs_join(s->a, s->dir, "serving");
}

static bool server_running(const struct scratch *s)
{
	const char *status[] = { prog(s, "pg_ctl"), "-D", s->data, "status", NULL };
	return run(s, status, "/dev/null") == 0;
}

static bool stop_server(struct scratch *s)
{
	const char *argv[] = { prog(s, "pg_ctl"), "-D", s->data, "-m", "fast",
			       "-w", "stop", NULL };
	bool ok = run(s, argv, fs_join(s->a, s->dir, "pg_ctl.log")) == 0;
	unlink(serving_marker(s));
	s->started_here = false;
	s->serving = false;
	s->postmaster = 0;
	return ok;
}

/* Starts the server: Unix socket only, or also TCP on localhost for
 * the application when `tcp`. */
static bool launch_server(struct scratch *s, bool tcp, struct pg_error *err)
{
	const char *log = fs_join(s->a, s->dir, "server.log");
	/* A baseline revision creates a whole schema in one transaction: a
	 * thousand tables take several thousand locks, well over the default
	 * lock table of 20 connections.  This cluster is c7gen's alone. */
	const char *opts = arena_printf(s->a,
		"-k '%s' -p %d -c listen_addresses=%s -c fsync=off "
		"-c synchronous_commit=off -c full_page_writes=off -c max_connections=20 "
		"-c max_locks_per_transaction=1024",
		s->dir, s->port, tcp ? "localhost" : "");
	const char *argv[] = { prog(s, "pg_ctl"), "-D", s->data, "-l", log, "-w",
			       "-t", "60", "-o", opts, "start", NULL };
	if (run(s, argv, fs_join(s->a, s->dir, "pg_ctl.log")) != 0) {
		fail(err, s->a, "the scratch PostgreSQL did not start; see %s", log);
		return false;
	}
	read_postmaster_pid(s);
	return true;
}

static bool start_server(struct scratch *s, struct pg_error *err)
{
	if (server_running(s)) {
		read_postmaster_pid(s);
		/* Kept for the application by `dev start`, or left running by
		 * a c7gen that was killed: we hold the lock, so no other
		 * c7gen is using it, and only the second is ours to stop. */
		s->serving = fs_exists(serving_marker(s));
		s->started_here = !s->serving;
		return true;
	}
	unlink(serving_marker(s));
	if (!launch_server(s, false, err))
		return false;
	s->started_here = true;
	return true;
}

/* The lock file is still the one at `path`: a sweep (below) may have
 * removed the directory between our open() and our flock(). */
static bool lock_is_current(int fd, const char *path)
{
	struct stat held, now;
	return fstat(fd, &held) == 0 && stat(path, &now) == 0 &&
	       held.st_dev == now.st_dev && held.st_ino == now.st_ino;
}

enum lock_result { LOCK_TAKEN, LOCK_GONE, LOCK_FAILED };

static enum lock_result take_lock(struct scratch *s, void (*on_wait)(void *), void *arg)
{
	const char *path = fs_join(s->a, s->dir, "lock");
	s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0)
		return errno == ENOENT ? LOCK_GONE : LOCK_FAILED;
	if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		if (on_wait)
			on_wait(arg);
		while (flock(s->lock_fd, LOCK_EX) != 0)
			if (errno != EINTR)
				return LOCK_FAILED;
	}
	if (lock_is_current(s->lock_fd, path))
		return LOCK_TAKEN;
	close(s->lock_fd);
	s->lock_fd = -1;
	return LOCK_GONE;
}

/* Makes the directory and locks it, again if a sweep removed it under us. */
static bool claim_dir(struct scratch *s, void (*on_wait)(void *), void *arg,
		      struct pg_error *err)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		if (make_private_dir(s, s->dir) != 0) {
			fail(err, s->a, "cannot create the scratch directory '%s'", s->dir);
			return false;
		}
		enum lock_result r = take_lock(s, on_wait, arg);
		if (r == LOCK_TAKEN)
			return true;
		if (r == LOCK_FAILED)
			break;
	}
	fail(err, s->a, "cannot lock '%s'", s->dir);
	return false;
}

/* Writes the project's path into its directory (once: the name is derived
 * from it), for the sweep. */
static void record_project(struct scratch *s, const char *real)
{
	struct strbuf text = STRBUF_INIT;
	strbuf_addf(&text, "%s\n", real);
	fs_write_new(fs_join(s->a, s->dir, "project"), text.buf, text.len);
	strbuf_release(&text);
}

/* The directory is a scratch directory for a project that still exists.
 * A directory that records none was made before projects were recorded,
 * or by a c7gen killed before it wrote the record; both are disposable
 * once unlocked. */
static bool project_lives(struct scratch *s, const char *dir)
{
	char *text;
	size_t len;
	if (fs_read(s->a, fs_join(s->a, dir, "project"), &text, &len) != 0)
		return false;
	text[strcspn(text, "\n")] = '\0';
	return *text == '/' && fs_is_dir(text);
}

static bool is_tag(const char *p)
{
	size_t n = strspn(p, "0123456789abcdef");
	return n == TAG_LEN && p[n] == '\0';
}

/* Removes one scratch directory under /tmp if its project is gone and no
 * c7gen holds it.  Its lock is held while it is removed, so a c7gen that
 * opened the lock file meanwhile finds it stale (lock_is_current). */
static void sweep_one(struct scratch *s, const char *dir)
{
	struct stat st;
	uid_t owner = s->as_postgres ? s->uid : getuid();
	if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != owner)
		return;
	int fd = open(fs_join(s->a, dir, "lock"), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && !project_lives(s, dir)) {
		/* A server left running (dev start, or a killed c7gen) goes
		 * first; it would hold files open and write into them. */
		const char *data = fs_join(s->a, dir, "data");
		if (fs_exists(fs_join(s->a, data, "postmaster.pid"))) {
			const char *stop[] = { prog(s, "pg_ctl"), "-D", data, "-m",
					       "immediate", "-w", "stop", NULL };
			run(s, stop, "/dev/null");
		}
		const char *rm[] = { "/bin/rm", "-rf", dir, NULL };
		run(s, rm, "/dev/null");
	}
	close(fd);
}

/* Scratch directories of this user whose projects no longer exist: test
 * suites and throwaway checkouts make many, each a whole cluster. */
static void sweep_orphans(struct scratch *s)
{
	const char *pattern = arena_printf(s->a, TMP_PREFIX "%u-*", (unsigned)getuid());
	size_t skip = strlen(pattern) - 1;
	glob_t g;
	if (glob(pattern, GLOB_NOSORT, NULL, &g) != 0)
		return;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *dir = g.gl_pathv[i];
		if (is_tag(dir + skip) && strcmp(dir, s->dir) != 0)
			sweep_one(s, dir);
	}
	globfree(&g);
}

static bool server_user(struct scratch *s, struct pg_error *err)
{
	s->as_postgres = geteuid() == 0;
	if (!s->as_postgres)
		return true;
	struct passwd *pw = getpwnam("postgres");
	if (!pw) {
		fail(err, s->a, "running as root, but there is no 'postgres' user to run "
				"the scratch server%s", "");
		return false;
	}
	s->uid = pw->pw_uid;
	s->gid = pw->pw_gid;
	return true;
}

struct scratch *scratch_start(struct arena *a, const char *project_root, int port,
			      void (*on_wait)(void *), void *arg,
			      struct pg_error *err)
{
	struct scratch *s = arena_alloc(a, sizeof(*s));
	s->a = a;
	s->port = port > 0 ? port : DEFAULT_PORT;
	s->lock_fd = -1;
	s->bindir = find_bindir(a);
	if (!s->bindir) {
		fail(err, a, "PostgreSQL server binaries not found (initdb, pg_ctl); "
			     "install the Debian package 'postgresql'%s", "");
		return NULL;
	}
	if (!server_user(s, err))
		return NULL;
	s->dir = choose_dir(s, project_root);
	s->data = fs_join(a, s->dir, "data");
	sweep_orphans(s);
	if (!claim_dir(s, on_wait, arg, err))
		return NULL;
	record_project(s, project_real(a, project_root));
	if (!init_cluster(s, err) || !start_server(s, err)) {
		scratch_stop(s);
		return NULL;
	}
	return s;
}

bool scratch_serve(struct scratch *s, bool tcp, struct pg_error *err)
{
	if (s->serving && !tcp)
		return true;
	/* Started for this command on the socket alone, or serving without
	 * TCP when the application now wants it: start it over. */
	if (tcp || s->serving)
		stop_server(s);
	if (!s->postmaster && !launch_server(s, tcp, err))
		return false;
	if (fs_write_new(serving_marker(s), "", 0) != 0 && !fs_exists(serving_marker(s))) {
		fail(err, s->a, "cannot write '%s'", serving_marker(s));
		return false;
	}
	s->serving = true;
	s->started_here = false;
	return true;
}

bool scratch_serving(const struct scratch *s)
{
	return s->serving;
}

bool scratch_shutdown(struct scratch *s)
{
	return stop_server(s);
}

const char *scratch_conninfo(const struct scratch *s, const char *dbname)
{
	return arena_printf(s->a, "host='%s' port=%d user=postgres dbname='%s'",
			    s->dir, s->port, dbname);
}

/* Percent-encodes all but unreserved characters and '/', for a URI. */
static void add_uri_part(struct strbuf *sb, const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (strchr("-._~/", *p) || (*p >= '0' && *p <= '9') ||
		    ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			strbuf_addch(sb, (char)*p);
		else
			strbuf_addf(sb, "%%%02X", *p);
	}
}

const char *scratch_uri(const struct scratch *s, const char *dbname, bool tcp)
{
	struct strbuf sb = STRBUF_INIT;
	if (tcp) {
		strbuf_addf(&sb, "postgresql://postgres@localhost:%d/", s->port);
		add_uri_part(&sb, dbname);
	} else {
		strbuf_addstr(&sb, "postgresql://postgres@/");
		add_uri_part(&sb, dbname);
		strbuf_addstr(&sb, "?host=");
		add_uri_part(&sb, s->dir);
		strbuf_addf(&sb, "&port=%d", s->port);
	}
	const char *uri = arena_strdup(s->a, sb.buf);
	strbuf_release(&sb);
	return uri;
}

const char *scratch_dir(const struct scratch *s)
{
	return s->dir;
}

const char *scratch_program(const struct scratch *s, const char *name)
{
	return prog(s, name);
}

pid_t scratch_postmaster(const struct scratch *s)
{
	return s->started_here ? s->postmaster : 0;
}

void scratch_stop(struct scratch *s)
{
	if (!s)
		return;
	if (s->started_here)
		stop_server(s);
	if (s->lock_fd >= 0) {
		close(s->lock_fd);
		s->lock_fd = -1;
	}
}
