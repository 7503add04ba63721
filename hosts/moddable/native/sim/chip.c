/*
 * mqtt-pair/chip on the desktop simulators: the native half of sim/chip.js.
 *
 * XS's Math.random is the C library's rand(), which nothing seeds: every simulator would draw
 * the same client id and the same backoff jitter, and two of them would kick each other off the
 * broker. Seeding it from the system's entropy makes each instance its own.
 */

#include "xsmc.h"
#include <stdlib.h>
#include <time.h>
#ifdef _WIN32
	#include <process.h>
#else
	#include <stdio.h>
	#include <unistd.h>
#endif

void xs_mqttpair_seed(xsMachine *the)
{
	unsigned int seed = (unsigned int)time(NULL) ^ ((unsigned int)clock() << 12);
#ifdef _WIN32
	seed ^= (unsigned int)_getpid() << 16;
#else
	unsigned int r;
	FILE *f = fopen("/dev/urandom", "rb");
	if (f) {
		if (1 == fread(&r, sizeof(r), 1, f))
			seed ^= r;
		fclose(f);
	}
	seed ^= (unsigned int)getpid() << 16;
#endif
	srand(seed);
}
