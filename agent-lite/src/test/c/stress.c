/* Benchmark workloads, one per profile type: stress MODE SECONDS [DIR] prints "ops/s N".
 *   cpu     arithmetic in a loop (CPU samples)
 *   switch  two threads ping-pong a byte over pipes (context switches: off-CPU)
 *   malloc  malloc and free of 16..4096 bytes in a loop (allocator uprobes)
 *   fsync   4 KiB write + fdatasync to DIR/stress.dat in a loop (block IO) */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double seconds;
static int ping[2], pong[2];
static volatile unsigned long sink;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *echo(void *arg)
{
	char c;
	(void)arg;
	while (read(ping[0], &c, 1) == 1 && write(pong[1], &c, 1) == 1)
		;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *mode = argv[1];
	seconds = atof(argv[2]);
	unsigned long ops = 0;
	double start = now(), end = start + seconds;
	if (!strcmp(mode, "cpu")) {
		unsigned long x = 1;
		while (now() < end) {
			for (int i = 0; i < 100000; i++)
				x = x * 6364136223846793005UL + 1442695040888963407UL;
			sink = x;
			ops++;
		}
	} else if (!strcmp(mode, "switch")) {
		pthread_t t;
		if (pipe(ping) || pipe(pong) || pthread_create(&t, 0, echo, 0))
			return 1;
		char c = 'x';
		while (now() < end) {
			for (int i = 0; i < 100; i++)
				if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
					return 1;
			ops += 100;
		}
	} else if (!strcmp(mode, "malloc")) {
		unsigned int r = 1;
		while (now() < end) {
			for (int i = 0; i < 1000; i++) {
				r = r * 1103515245 + 12345;
				void *p = malloc(16 + (r >> 16) % 4080);
				sink += (unsigned long)p;
				free(p);
			}
			ops += 1000;
		}
	} else if (!strcmp(mode, "fsync")) {
		char path[4096], buf[4096];
		snprintf(path, sizeof(path), "%s/stress.dat", argc > 3 ? argv[3] : ".");
		memset(buf, 's', sizeof(buf));
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			return 1;
		while (now() < end) {
			if (pwrite(fd, buf, sizeof(buf), (ops % 256) * sizeof(buf)) != sizeof(buf) ||
			    fdatasync(fd))
				return 1;
			ops++;
		}
		close(fd);
		unlink(path);
	} else {
		return 2;
	}
	printf("ops/s %.0f\n", ops / (now() - start));
	return 0;
}
