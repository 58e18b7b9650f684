/*
 * Standard descriptors a tool was started without (`ptee >&-`): the next
 * open() would get that number, and a file opened for something else
 * would then receive the output meant for stdout (ptee wrote every line
 * twice into its -a file). stdfds_hold fills each closed one of 0, 1 and
 * 2 with /dev/null opened the wrong way round (write-only on 0, read-only
 * on 1 and 2), so using it still fails as a closed one does (EBADF, which
 * the tool reports) while no later open can land there. Call it first in
 * main.
 */
#ifndef FLOWPIPES_STDFDS_H
#define FLOWPIPES_STDFDS_H

/* 0, or -1 with errno when a placeholder could not be opened. */
int stdfds_hold(void);

#endif
