/* pcap-sessions' command line (see pcap-sessions(1)). */
#ifndef PCAP_SESSIONS_OPTIONS_H
#define PCAP_SESSIONS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "packet/capture_args.h"
#include "session.h"

/* Defaults, named once: set by options_parse, shown by the usage. */
#define PS_IDLE_DEFAULT_S 300u
#define PS_MAX_SESSIONS_DEFAULT 1000000u
#define PS_MAX_BUFFERED_DEFAULT (256u << 20)
#define PS_MAX_HELD_DEFAULT (4u << 20)
#define PS_MAX_HIST_DEFAULT (256u << 10)
#define PS_MAX_AHEAD (1ull << 30)
#define PS_MAX_OPEN_DEFAULT 256u
#define PS_TIMEOUT_MAX_S 1e9

struct options {
	struct capture_args capture;	/* -r, -i, -p, -s, -Z, the expression */
	bool header;			/* not -H */
	bool strict;
	const char *dump_dir;		/* --dump */
	const char *stream_dir;		/* --stream */
	size_t max_open;		/* --max-open */
	int verbose;			/* -v, repeated */
	struct sess_params params;	/* -t, -m, --max-session-size, -k */
};

/*
 * Fills *o from argv. Returns 0 to run, 1 when -h/--version was
 * answered, 2 after a usage message.
 */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

#endif
