/* Allocation test workload: after a line on stdin, allocates argv[1] blocks of argv[2] bytes in
 * main -> a -> allocate_here and prints "allocated"; after another line frees them all in
 * free_here and prints "freed"; after a third line exits. Built like chain.c. */
#include <stdio.h>
#include <stdlib.h>

static void **blocks;

__attribute__((noinline)) void allocate_here(int n, size_t size)
{
	for (int i = 0; i < n; i++)
		blocks[i] = malloc(size);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void a(int n, size_t size)
{
	allocate_here(n, size);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void free_here(int n)
{
	for (int i = 0; i < n; i++)
		free(blocks[i]);
	__asm__ volatile("" ::: "memory");
}

static void wait_line(void)
{
	char line[16];
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 4096;
	size_t size = argc > 2 ? strtoul(argv[2], 0, 10) : 65536;
	blocks = calloc(n, sizeof(void *));
	wait_line();
	a(n, size);
	printf("allocated\n");
	fflush(stdout);
	wait_line();
	free_here(n);
	printf("freed\n");
	fflush(stdout);
	wait_line();
	return 0;
}
