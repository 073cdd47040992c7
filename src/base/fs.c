#include "base/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "base/xalloc.h"

int fs_read(struct arena *a, const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	struct strbuf sb = STRBUF_INIT;
	int err = 0;
	for (;;) {
		strbuf_grow(&sb, 65536);
		ssize_t n = read(fd, sb.buf + sb.len, sb.cap - sb.len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
	}
	close(fd);
	if (!err) {
		*len = sb.len;
		*text = arena_strndup(a, strbuf_str(&sb), sb.len);
	}
	strbuf_release(&sb);
	return err;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int cmp_path(const void *x, const void *y)
{
	return strcmp(x, y);
}

static int list_into(struct arena *a, const char *dir, const char *suffix,
		     struct vec *out, int depth)
{
	/* Symlink loops could otherwise recurse forever. */
	if (depth > 64)
		return ELOOP;
	DIR *d = opendir(dir);
	if (!d)
		return errno;
	int err = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char *path = fs_join(a, dir, e->d_name);
		struct stat st;
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			err = list_into(a, path, suffix, out, depth + 1);
			if (err)
				break;
		} else if (S_ISREG(st.st_mode) && has_suffix(e->d_name, suffix)) {
			vec_push(a, out, path);
		}
	}
	closedir(d);
	return err;
}

int fs_list(struct arena *a, const char *dir, const char *suffix,
	    struct vec *out)
{
	size_t first = out->len;
	int err = list_into(a, dir, suffix, out, 0);
	if (err)
		return err;
	struct vec tail = { out->items + first, out->len - first,
			    out->len - first };
	vec_sort(a, &tail, cmp_path);
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_write_new(const char *path, const char *data, size_t len)
{
	struct strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		strbuf_release(&tmp);
		return err;
	}
	int err = write_all(fd, data, len);
	if (!err && fchmod(fd, 0644) != 0)
		err = errno;
	if (!err && fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	/* link() refuses to replace an existing file, which is exactly the
	 * never-overwrite rule, and is atomic. */
	if (!err && link(tmp.buf, path) != 0)
		err = errno;
	unlink(tmp.buf);
	strbuf_release(&tmp);
	return err;
}

int fs_replace(const char *path, const char *data, size_t len)
{
	/* A symbolic link keeps pointing at the file, which is replaced. */
	char *real = realpath(path, NULL);
	struct stat st;
	if (!real || stat(real, &st) != 0) {
		int err = errno;
		free(real);
		return err;
	}
	struct strbuf tmp = STRBUF_INIT;
	strbuf_addf(&tmp, "%s.tmp.XXXXXX", real);
	int fd = mkostemp(tmp.buf, O_CLOEXEC);
	if (fd < 0) {
		int err = errno;
		strbuf_release(&tmp);
		free(real);
		return err;
	}
	int err = write_all(fd, data, len);
	if (!err && fchmod(fd, st.st_mode & 07777) != 0)
		err = errno;
	if (!err && fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp.buf, real) != 0)
		err = errno;
	if (err)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	free(real);
	return err;
}

int fs_mkdir_p(const char *path, mode_t mode)
{
	if (!*path)
		return EINVAL;
	char *p = xstrdup(path);
	int err = 0;
	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			err = errno;
			break;
		}
		*s = saved;
		if (saved == '\0')
			break;
	}
	if (!err && !fs_is_dir(path))
		err = ENOTDIR;
	free(p);
	return err;
}

bool fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool fs_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

char *fs_join(struct arena *a, const char *dir, const char *name)
{
	size_t n = strlen(dir);
	if (n && dir[n - 1] == '/')
		return arena_printf(a, "%s%s", dir, name);
	return arena_printf(a, "%s/%s", dir, name);
}
