/*
 * cputime: runs a command and prints the CPU time it and its children
 * used (user + system, in seconds to the microsecond) and its peak RSS in
 * KB, as "SECONDS KB" on the file named by -o. GNU time prints CPU time
 * to the hundredth, a tenth of the bare libpcap loop the bench times.
 * usage: cputime -o FILE COMMAND [ARG...]; exits with the command's status.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 4 || strcmp(argv[1], "-o") != 0) {
		fprintf(stderr, "usage: cputime -o FILE COMMAND [ARG...]\n");
		return 127;
	}
	pid = fork();
	if (pid < 0) {
		perror("cputime: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[3], argv + 3);
		perror(argv[3]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("cputime: wait4");
		return 127;
	}
	out = fopen(argv[2], "w");
	if (out == NULL) {
		perror(argv[2]);
		return 127;
	}
	fprintf(out, "%.6f %ld\n", (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6, ru.ru_maxrss);
	if (fclose(out) != 0) {
		perror(argv[2]);
		return 127;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
