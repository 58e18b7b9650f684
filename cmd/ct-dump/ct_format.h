/*
 * An event as `conntrack -E -o timestamp,extended,id` (conntrack-tools
 * 1.4.7) prints it: "[secs.usecs]\t" (receive time), libnetfilter_conntrack's
 * default text with the layer 3 protocol and the id, and for events a
 * process caused, " [USERSPACE] portid=N progname=NAME".
 */
#ifndef CTDUMP_CT_FORMAT_H
#define CTDUMP_CT_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "ct_progname.h"

/* conntrack formats into 1024 bytes; the same size truncates the same way */
#define CT_LINE_MAX 1024

/* Formats one line (no newline) into buf (CT_LINE_MAX + 128 bytes); returns its length. */
size_t ct_format_event(char *buf, size_t size, const struct timeval *tv,
    const struct nf_conntrack *ct, enum nf_conntrack_msg_type type, uint32_t portid,
    struct ct_progname_cache *names);

#endif
