/*
 * The compiled tree as text (-d, as tcpdump -d shows its program): one
 * node a line, children indented under and/or/not, then the fields the
 * tree reads. For checking what an expression means, precedence first.
 */
#ifndef FLOWFILTER_DUMP_H
#define FLOWFILTER_DUMP_H

#include <stdio.h>

#include "ftree.h"

/* 0, or -1 with errno on a write error. */
int ftree_dump(const struct ftree *t, FILE *fp);

#endif
