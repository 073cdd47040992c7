/*
 * Positions and file names as the Language Server Protocol has them:
 * (line, character) pairs counted in UTF-16 code units unless the client
 * agreed to UTF-8 bytes, and file:// URIs.  c7gen itself works in byte
 * offsets.
 */
#ifndef C7_LSP_TEXT_H
#define C7_LSP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

enum lsp_encoding { LSP_UTF16, LSP_UTF8 };

/* Where each line of a text starts. */
struct lsp_lines {
	size_t *starts; /* heap */
	size_t n;
};

void lsp_lines_build(struct lsp_lines *l, const char *text, size_t len);
void lsp_lines_release(struct lsp_lines *l);

struct lsp_pos {
	long line, character;
};

/* The position of byte `offset` (clamped to the text). */
struct lsp_pos lsp_pos_of(const char *text, size_t len,
			  const struct lsp_lines *l, enum lsp_encoding enc,
			  size_t offset);
/* The byte offset of a position; past the end of a line means its end,
 * past the last line the end of the text. */
size_t lsp_offset_of(const char *text, size_t len, const struct lsp_lines *l,
		     enum lsp_encoding enc, struct lsp_pos p);

/* "file:///a%20b/c.c7" -> "/a b/c.c7" (heap); NULL if it is no file URI
 * or names no absolute path. */
char *lsp_uri_to_path(const char *uri);
/* An absolute path as a file URI (heap). */
char *lsp_path_to_uri(const char *path);

#endif
