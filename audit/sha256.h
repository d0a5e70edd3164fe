/* sha256.h: SHA-256 of a case-list file, for recognising a file imported twice.
 * OpenSSL's libcrypto does the hashing (with the processor's SHA instructions where
 * it has them: a million-row file hashes in a few milliseconds). */
#ifndef CASEAUDIT_SHA256_H
#define CASEAUDIT_SHA256_H

#include <stddef.h>

typedef struct sha256_ctx sha256_ctx;

/* A new hash; owned by the caller (sha256_free). NULL when out of memory. */
sha256_ctx *sha256_new(void);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_hex(sha256_ctx *c, char out[65]);   /* finishes: lower-case hex and a NUL */
void sha256_free(sha256_ctx *c);                /* NULL is fine */

#endif
