/* Memory on huge pages (see hugemem.h). */
#include <stdlib.h>
#include <sys/mman.h>

#include "base/hugemem.h"

#define HUGE_PAGE (2u << 20)

void *huge_alloc(size_t bytes)
{
	void *p = aligned_alloc(bytes < HUGE_PAGE ? bytes : HUGE_PAGE, bytes);

	if (p != NULL)
		(void)madvise(p, bytes, MADV_HUGEPAGE);	/* advice only */
	return p;
}
