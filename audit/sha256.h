/* sha256.h: SHA-256 (FIPS 180-4), for recognising a case-list file imported twice.
 * Small enough to keep here rather than add a cryptography library for one hash. */
#ifndef CASEAUDIT_SHA256_H
#define CASEAUDIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_hex(sha256_ctx *c, char out[65]);   /* finishes: lower-case hex and a NUL */

#endif
