/*
 * ct-storm: a storm of short TCP connections on loopback, for measuring
 * conntrack event readers (scripts/bench.d/ct). Run it inside a network
 * namespace: it listens on 127.0.0.1 ports BASE..BASE+P-1, and a client
 * connects to them round robin at RATE connections per second for SECS
 * seconds, closing each at once with a reset (SO_LINGER 0) so no port
 * lingers in TIME_WAIT. A forked child accepts and closes. Every connect()
 * sends a SYN, which the kernel tracks as one new connection.
 *
 *   ct-storm [-r RATE] [-t SECS] [-p PORTS] [-b BASE]
 *
 * Prints "attempts N connected N failed N seconds S rate R" at the end.
 * Built by scripts/ct-storm on first use.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PORTS 64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int listen_on(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
	    bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 4096) < 0) {
		perror("ct-storm: listen");
		exit(2);
	}
	return fd;
}

/* The acceptor: takes every connection off the queues and closes it. */
static void acceptor(const int *fds, int n)
{
	struct pollfd p[MAX_PORTS];

	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ .fd = fds[i], .events = POLLIN };
	for (;;) {
		if (poll(p, (nfds_t)n, -1) < 0 && errno != EINTR)
			exit(2);
		for (int i = 0; i < n; i++) {
			int c;
			while ((c = accept(fds[i], NULL, NULL)) >= 0)
				close(c);
		}
	}
}

int main(int argc, char **argv)
{
	double rate = 30000, secs = 5;
	int nports = 8, base = 40000, opt, fds[MAX_PORTS];
	unsigned long attempts = 0, connected = 0, failed = 0;
	struct linger lg = { 1, 0 };
	pid_t child;

	while ((opt = getopt(argc, argv, "r:t:p:b:")) != -1) {
		switch (opt) {
		case 'r': rate = atof(optarg); break;
		case 't': secs = atof(optarg); break;
		case 'p': nports = atoi(optarg); break;
		case 'b': base = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: ct-storm [-r RATE] [-t SECS] [-p PORTS] [-b BASE]\n");
			return 2;
		}
	}
	if (nports < 1 || nports > MAX_PORTS || rate <= 0 || secs <= 0) {
		fprintf(stderr, "ct-storm: bad arguments\n");
		return 2;
	}
	for (int i = 0; i < nports; i++)
		fds[i] = listen_on(base + i);
	child = fork();
	if (child == 0)
		acceptor(fds, nports);
	for (int i = 0; i < nports; i++)
		close(fds[i]);

	double start = now(), end = start + secs;
	for (;;) {
		double t = now();
		if (t >= end)
			break;
		/* pace: never ahead of rate * elapsed */
		if ((double)attempts > (t - start) * rate) {
			struct timespec ts = { 0, 50000 };
			nanosleep(&ts, NULL);
			continue;
		}
		struct sockaddr_in a = { .sin_family = AF_INET,
		    .sin_port = htons((uint16_t)(base + (int)(attempts % (unsigned long)nports))) };
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0) {
			perror("ct-storm: socket");
			break;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
		attempts++;
		if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
			connected++;
		else
			failed++;
		close(fd);	/* reset: no TIME_WAIT, the port is free again */
	}
	double took = now() - start;
	kill(child, SIGTERM);
	waitpid(child, NULL, 0);
	printf("attempts %lu connected %lu failed %lu seconds %.2f rate %.0f\n",
	    attempts, connected, failed, took, (double)attempts / took);
	return 0;
}
