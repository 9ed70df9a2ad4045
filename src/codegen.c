/* codegen.c: see codegen.h. */
#include <string.h>
#include <sys/mman.h>

#include "util.h"
#include "codegen.h"

static uint64_t *counters;
static uint64_t uncached;	/* without shared counters: always new */

static size_t
bucket(const char *s)
{
	return fnv1a(s) % CODEGEN_BUCKETS;
}

int
codegen_init(void)
{
	void *p;

	if (counters != NULL)
		return 0;
	p = mmap(NULL, CODEGEN_BUCKETS * sizeof(uint64_t),
	    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	counters = p;
	return 0;
}

uint64_t
codegen_read(const char *short_code)
{
	if (counters == NULL)
		return ++uncached;
	return __atomic_load_n(&counters[bucket(short_code)], __ATOMIC_ACQUIRE);
}

void
codegen_bump(const char *short_code)
{
	if (counters != NULL)
		__atomic_add_fetch(&counters[bucket(short_code)], 1,
		    __ATOMIC_RELEASE);
}
