/* Block IO test workload: after a line on stdin, writes argv[2] MiB to the file argv[1] in
 * main -> a -> write_and_sync (write(2) then fsync(2)), prints "done", and exits at the end of
 * stdin, so the test decides when it goes (its stack is unwound while it still runs). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) void write_and_sync(const char *path, int mib)
{
	static char buf[1 << 20];
	memset(buf, 'h', sizeof(buf));
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		exit(1);
	}
	for (int i = 0; i < mib; i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf)) {
			perror("write");
			exit(1);
		}
	if (fsync(fd)) {
		perror("fsync");
		exit(1);
	}
	close(fd);
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void a(const char *path, int mib)
{
	write_and_sync(path, mib);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	char line[16];
	if (argc < 3 || !fgets(line, sizeof(line), stdin))
		return 1;
	a(argv[1], atoi(argv[2]));
	printf("done\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
