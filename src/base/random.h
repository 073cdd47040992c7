/* Secure random bytes from the kernel (getrandom(2)). */
#ifndef C7_BASE_RANDOM_H
#define C7_BASE_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

bool random_bytes(void *buf, size_t n);
/* `nbytes` random bytes as lower-case hex into `out` (2*nbytes+1 chars). */
bool random_hex(char *out, size_t nbytes);

#endif
