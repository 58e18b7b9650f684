/* IP protocol numbers and their names (the IANA keywords, lower case). */
#ifndef FLOWPIPES_PROTONAME_H
#define FLOWPIPES_PROTONAME_H

#include <stddef.h>

/* Name for a protocol number, or NULL when it has none here. */
const char *proto_name(unsigned proto);
/* Number for a name (any case) or decimal text, or -1. */
int proto_number(const char *name);

#endif
