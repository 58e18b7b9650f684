/*
 * Running a compiled filter on a record: and/or short-circuit, leaves
 * read only the fields the tree's needs names (the others may hold
 * anything).
 */
#ifndef FLOWFILTER_EVAL_H
#define FLOWFILTER_EVAL_H

#include <stdbool.h>

#include "ftree.h"

bool ftree_match(const struct ftree *t, const struct flowrec *r);
/* One value a leaf reads (a field, or duration, bps, ... ). */
uint64_t fvalue_of(const struct flowrec *r, enum fvalue v);

#endif
