/* SHA-256 (OpenSSL's libcrypto), as 64 lower-case hex digits. */
#ifndef C7_BASE_SHA256_H
#define C7_BASE_SHA256_H

#include <stddef.h>

void sha256_hex(const void *data, size_t len, char out[65]);

#endif
