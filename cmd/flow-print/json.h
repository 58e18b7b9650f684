/*
 * -f json: one JSON object a line, what log shippers and jq read.
 * Times are RFC 3339 strings (local with offset, or Z with -u), the
 * duration a number of seconds, every counter and field a JSON number,
 * addresses, protocol name and flag letters strings. ICMP adds
 * icmp_type and icmp_code; a paired input adds the reverse fields.
 */
#ifndef FLOWPRINT_JSON_H
#define FLOWPRINT_JSON_H

#include <stdio.h>

#include "flowview.h"
#include "timefmt.h"

/* 0, or -1 when writing failed. */
int json_write(FILE *fp, const struct flowview *v, struct timefmt *tf, bool paired);

#endif
