/*
 * Times a flow record cannot have had: ending before it starts, or
 * after the datagram that carried it left (beyond the header's
 * one-second resolution). Such a record is still written as sent, and
 * the collector names and counts it: re-dating it would hide an
 * exporter's broken clock.
 */
#ifndef FLOWRECV_TIMECHECK_H
#define FLOWRECV_TIMECHECK_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

/*
 * NULL when r's times can be right for a datagram exported at
 * export_ms (its header, to the second); else the reason, in buf.
 */
const char *timecheck(const struct flowrec *r, uint64_t export_ms, char *buf, size_t len);

#endif
