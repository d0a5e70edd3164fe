#include "audit/bigmem.h"

#include <stdlib.h>
#include <sys/mman.h>

/* Below this, malloc's own memory is as good. */
#define BIG (2u << 20)

void *big_alloc(size_t n)
{
    if (n < BIG)
        return calloc(1, n ? n : 1);
    void *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, n, MADV_HUGEPAGE); /* a hint: without huge pages the memory works the same */
#endif
    return p;
}

void big_free(void *p, size_t n)
{
    if (!p)
        return;
    if (n < BIG)
        free(p);
    else
        munmap(p, n);
}
