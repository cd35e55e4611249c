/* Test workload: main -> a -> b -> hot, built with -O2 -fomit-frame-pointer (no frame pointers, as
 * on Debian). noinline keeps every function; the empty asm after each call keeps the call from
 * becoming a tail call, so each caller's frame stays on the stack. Runs for argv[1] seconds. */
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) void hot(void)
{
	unsigned long x = sink;
	for (int i = 0; i < 1000000; i++)
		x = x * 6364136223846793005UL + 1442695040888963407UL;
	sink = x;
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void b(void)
{
	hot();
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void a(void)
{
	b();
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		for (int i = 0; i < 10; i++)
			a();
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - start.tv_sec) + (now.tv_nsec - start.tv_nsec) / 1e9 < seconds);
	return 0;
}
