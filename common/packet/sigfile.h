/*
 * A pipe or standard input as a stdio stream that lets SIGINT, SIGTERM
 * and SIGUSR1 (blocked everywhere else) in at every read, and waits for
 * data in run_poll(): a stop ends the input (EOF) whether the pipe keeps
 * the reader busy or has gone quiet, and no write is ever interrupted.
 * (capture.c reads a named regular file through plain stdio instead.)
 */
#ifndef FLOWPIPES_SIGFILE_H
#define FLOWPIPES_SIGFILE_H

#include <stdio.h>

/* Wraps fd (closed with the stream unless it is 0). NULL with errno. */
FILE *sigfile_open(int fd);

#endif
