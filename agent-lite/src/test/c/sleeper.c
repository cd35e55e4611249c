/* Off-CPU test workload: waits for a line on stdin (in wait_for_go), then sleeps argv[1] times
 * argv[2] milliseconds in main -> a -> sleep_here, prints "done" and exits. Built like chain.c. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) void sleep_here(int ms)
{
	usleep(ms * 1000);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void a(int n, int ms)
{
	for (int i = 0; i < n; i++)
		sleep_here(ms);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void wait_for_go(void)
{
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10, ms = argc > 2 ? atoi(argv[2]) : 200;
	wait_for_go();
	a(n, ms);
	printf("done\n");
	fflush(stdout);
	return 0;
}
