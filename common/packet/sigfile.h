/*
 * A pipe or standard input as a stdio stream that lets SIGINT, SIGTERM
 * and SIGUSR1 (blocked everywhere else) in at every read, and waits for
 * data in run_poll(): a stop ends the input (EOF) whether the pipe keeps
 * the reader busy or has gone quiet, and no write is ever interrupted.
 * A SIGUSR1 seen at a read calls on_usr1 there and then: a pipe gone
 * quiet may not give the reader back to its loop for hours.
 * (capture.c reads a named regular file through plain stdio instead.)
 */
#ifndef FLOWPIPES_SIGFILE_H
#define FLOWPIPES_SIGFILE_H

#include <stdio.h>

/*
 * Wraps fd (closed with the stream unless it is 0). on_usr1(ctx) runs
 * while run_usr1 is set, before each wait (it clears the flag when it has
 * reported); it runs inside a read of the stream, so it must not read
 * the stream. NULL with errno.
 */
FILE *sigfile_open(int fd, void (*on_usr1)(void *ctx), void *ctx);

#endif
