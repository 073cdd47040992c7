/*
 * The embedded scratch database: a private PostgreSQL cluster c7gen runs
 * when no database is configured, so autogenerate and check work on a
 * fresh checkout and in CI with no database service.
 *
 * Where: .c7gen/ in the project, or — when running as root, whose project
 * directory the `postgres` user may not be able to enter, or when the path
 * is too long for a Unix socket — a private directory under /tmp named
 * after the project.  C7GEN_SCRATCH_DIR overrides both.  The server
 * listens on a Unix socket only, runs with fsync off, and as the
 * `postgres` user when c7gen runs as root.  initdb runs once into a shared
 * template that later clusters copy.  Directories under /tmp record their
 * project and are swept once it is gone (see docs/design.md).  `c7gen
 * dev` keeps a persistent database `dev` in the same cluster and may keep
 * the server running (the `serving` marker) for the application.
 */
#ifndef C7_PG_CLUSTER_H
#define C7_PG_CLUSTER_H

#include <stdbool.h>
#include <sys/types.h>

struct arena;
struct pg_error;

struct scratch;

/* Starts (initialising if needed) the project's scratch cluster and holds
 * its lock until scratch_stop().  `port` (0: 5432) is the server's port,
 * unless one is already running (then its own).  `on_wait` is called once
 * if another c7gen holds the lock.  On failure returns NULL with
 * err->message. */
struct scratch *scratch_start(struct arena *a, const char *project_root, int port,
			      void (*on_wait)(void *), void *arg,
			      struct pg_error *err);

/* Keeps the server running after this command for the application
 * (`dev start`), listening on TCP at localhost too when `tcp`. */
bool scratch_serve(struct scratch *s, bool tcp, struct pg_error *err);
/* The server was kept running by scratch_serve() (now or earlier). */
bool scratch_serving(const struct scratch *s);
/* Stops the server whoever started it (`dev stop`). */
bool scratch_shutdown(struct scratch *s);

/* Connection string for `dbname` on the scratch server. */
const char *scratch_conninfo(const struct scratch *s, const char *dbname);
/* The same as a libpq URI for applications: over TCP to localhost when
 * `tcp`, else through the Unix socket. */
const char *scratch_uri(const struct scratch *s, const char *dbname, bool tcp);
/* Where the cluster lives, for messages. */
const char *scratch_dir(const struct scratch *s);
/* The path of one of the server's programs ("psql"). */
const char *scratch_program(const struct scratch *s, const char *name);
/* The postmaster's pid when this command is to stop it (0 otherwise), so
 * a signal handler can stop it. */
pid_t scratch_postmaster(const struct scratch *s);
/* Stops the server unless it is kept running, and releases the lock.
 * NULL is accepted. */
void scratch_stop(struct scratch *s);

#endif
