/*
 * JSON-RPC messages over a byte stream, framed as the Language Server
 * Protocol's base protocol says: "Content-Length: N" and other header
 * lines, an empty line, then N bytes of JSON.  Reading never trusts the
 * input: header lines and bodies have limits, and a body too large is
 * skipped, so the stream stays in step.
 */
#ifndef C7_LSP_RPC_H
#define C7_LSP_RPC_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct strbuf;

/* Bodies larger than this are refused (and skipped). */
#define RPC_MAX_BODY ((size_t)16 << 20)

enum rpc_status {
	RPC_OK,         /* a body was read */
	RPC_EOF,        /* the input ended (also in the middle of a message) */
	RPC_BAD_HEADER, /* no usable Content-Length; what follows is read as
			 * the next header */
	RPC_TOO_LARGE,  /* Content-Length over the limit; the body was skipped */
};

struct rpc_reader {
	FILE *in;
	size_t max_body;
};

/* Reads the next message's body into `body` (reset first). */
enum rpc_status rpc_read(struct rpc_reader *r, struct strbuf *body);

/* Writes `msg` as one framed message (compact JSON) and flushes. */
void rpc_write(FILE *out, const json_t *msg);

#endif
