#include "audit/sha256.h"

#include <stdlib.h>

#include <openssl/evp.h>

struct sha256_ctx {
    EVP_MD_CTX *md;
};

sha256_ctx *sha256_new(void)
{
    sha256_ctx *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    if (!(c->md = EVP_MD_CTX_new()) || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) {
        sha256_free(c);
        return NULL;
    }
    return c;
}

void sha256_update(sha256_ctx *c, const void *data, size_t n)
{
    if (n)
        EVP_DigestUpdate(c->md, data, n);
}

void sha256_hex(sha256_ctx *c, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (EVP_DigestFinal_ex(c->md, d, &n) != 1)
        n = 0;
    for (unsigned i = 0; i < n && i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[n == 32 ? 64 : 0] = 0;
}

void sha256_free(sha256_ctx *c)
{
    if (!c)
        return;
    EVP_MD_CTX_free(c->md);
    free(c);
}
