/*
 * The replay cache: the scratch cluster keeps the databases replays built,
 * as templates named after the chain of revisions applied to them (ids
 * and checksums, in order), so a replay clones the longest cached prefix
 * of its chain (CREATE DATABASE ... TEMPLATE) and runs only the rest.  An
 * edited revision changes every key from its position on; another branch
 * has other keys.  See docs/design.md.
 */
#ifndef C7_CMD_REPLAYCACHE_H
#define C7_CMD_REPLAYCACHE_H

#include <stddef.h>

#include "cmd/workflow.h"

struct pg_conn;
struct pg_error;
struct vec;
struct version_tables;

struct replay_keys {
	const char **names; /* names[k]: the template holding steps 1..k */
	size_t n;           /* steps */
};

/* The template names for each prefix of `steps` (struct step *). */
void replay_keys_of(struct cmd_ctx *ctx, const struct version_tables *vt,
		    const struct vec *steps, struct replay_keys *keys);

/* The length of the longest prefix of the chain with a cached template
 * (0: none), or -1 on error. */
long replay_cache_find(struct pg_conn *admin, const struct replay_keys *keys,
		       struct pg_error *err);

/* Re-creates the session's (empty) scratch database from the template of
 * the longest cached prefix; returns its length (0: none cached, the
 * database untouched), or -1 after reporting an error. */
long replay_cache_clone(struct cmd_ctx *ctx, struct db_session *db,
			const struct replay_keys *keys);

/* Keeps the session's database, now holding every step, as the template
 * for the whole chain, and drops the oldest templates beyond a few.  A
 * cache that cannot be written is only slower, so failures are silent;
 * returns -1, or an exit status after reporting that the session's own
 * database could not be reopened. */
int replay_cache_save(struct cmd_ctx *ctx, struct db_session *db,
		      const struct replay_keys *keys);

#endif
