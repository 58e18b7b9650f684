/*
 * A capture file or pipe as a stdio stream whose reads wait in run_poll(),
 * so SIGINT/SIGTERM/SIGUSR1 (blocked everywhere else) are let in while
 * libpcap reads a saved capture: a stop ends the input (EOF) even when a
 * pipe feeding us has gone quiet, and no write is ever interrupted.
 */
#ifndef FLOWPIPES_SIGFILE_H
#define FLOWPIPES_SIGFILE_H

#include <stdio.h>

/* Wraps fd (closed with the stream unless it is 0). NULL with errno. */
FILE *sigfile_open(int fd);

#endif
