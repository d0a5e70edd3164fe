/* bigmem.h: zeroed memory for large tables that are probed at random (a hash of a
 * million case ids). Backed by huge pages where the system offers them: with 4 KiB
 * pages every probe of a table larger than the TLB's reach costs a page walk, which
 * on a virtual machine is most of a million-row import's hashing. */
#ifndef CASEAUDIT_BIGMEM_H
#define CASEAUDIT_BIGMEM_H

#include <stddef.h>

/* n zeroed bytes, owned by the caller (big_free with the same n); NULL when out of memory. */
void *big_alloc(size_t n);
void big_free(void *p, size_t n);   /* NULL is fine */

#endif
