/*
 * c7gen's language server: the Language Server Protocol 3.17 over a pair
 * of streams, for the model files of one project (the models directory)
 * and any other model file the editor opens (each checked on its own).
 * Diagnostics are the command line's, published on open and on every
 * change; navigation, hover, completion, symbols and formatting work on
 * the last analysis.  Everything is in memory; nothing touches a
 * database.  Malformed, oversized or out-of-order messages get the
 * protocol's error responses; none ends the server.
 */
#ifndef C7_LSP_SERVER_H
#define C7_LSP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diags;
struct srcfile;
struct strbuf;

struct lsp_options {
	/* Absolute path of the models directory (need not exist). */
	const char *models_dir;
	/* Formats one file (fmt_text); false with diagnostics when it
	 * cannot.  NULL: no formatting. */
	bool (*format)(struct diags *d, struct srcfile *f, struct strbuf *out);
	/* Largest message accepted; 0 for the default (RPC_MAX_BODY). */
	size_t max_body;
};

/* Serves until the client's "exit" notification or the end of `in`.
 * Returns the exit status the protocol asks for: 0 if a shutdown request
 * came first, 1 otherwise. */
int lsp_serve(const struct lsp_options *opt, FILE *in, FILE *out);

#endif
