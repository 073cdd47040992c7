/*
 * File-system helpers.  Functions return 0 or an errno value; they never
 * print.  Writes go to a temporary name first and are linked or renamed into
 * place, so a reader never sees half a file.
 */
#ifndef C7_BASE_FS_H
#define C7_BASE_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct arena;
struct vec;

/* Reads the whole file into `a` (NUL-terminated; `*len` excludes the NUL). */
int fs_read(struct arena *a, const char *path, char **text, size_t *len);
/* Appends to `out` (arena strings) every regular file under `dir` whose name
 * ends in `suffix`, recursively, sorted by path.  Hidden entries are skipped. */
int fs_list(struct arena *a, const char *dir, const char *suffix,
	    struct vec *out);
/* Creates `path` with `data`; fails with EEXIST instead of overwriting. */
int fs_write_new(const char *path, const char *data, size_t len);
/* Replaces the file at `path` with `data` (a temporary file renamed over
 * it), keeping its permission bits. */
int fs_replace(const char *path, const char *data, size_t len);
int fs_mkdir_p(const char *path, mode_t mode);
bool fs_is_dir(const char *path);
bool fs_exists(const char *path);
/* "dir/name" in `a`, without doubling the slash. */
char *fs_join(struct arena *a, const char *dir, const char *name);

#endif
