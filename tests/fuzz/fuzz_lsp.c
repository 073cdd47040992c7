/*
 * libFuzzer target: the language server reading a byte stream as its
 * client would send it, framing, JSON and all, with replies going nowhere.
 * Whatever the bytes, every message must get its answer (or be ignored,
 * for notifications) and the server must not crash or leak.  Formatting
 * goes through fmt's checked formatter, as in `c7gen lsp`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/fmt.h"
#include "lsp/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *in = fmemopen((void *)data, size, "rb");
	FILE *out = fopen("/dev/null", "w");
	if (in && out) {
		/* No models directory: nothing is read from disk.  A small
		 * limit makes "too large" reachable. */
		struct lsp_options o = { "/nonexistent/c7gen-fuzz/models", fmt_text, 4096 };
		lsp_serve(&o, in, out);
	}
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	return 0;
}
