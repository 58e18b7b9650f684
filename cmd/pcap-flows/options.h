/* pcap-flows' command line. */
#ifndef PCAP_FLOWS_OPTIONS_H
#define PCAP_FLOWS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "flowtable.h"

struct options {
	const char **files;		/* -r, in order (argv pointers) */
	int nfiles;
	const char *iface;		/* -i */
	bool promisc;			/* not -p */
	const char *user;		/* -Z */
	int snaplen;			/* -s, live only */
	char *filter;			/* trailing BPF expression, or NULL */
	flow_fieldset fields;		/* -o */
	bool header;			/* not -H */
	bool strict;
	bool key_vlan;			/* -T vlan */
	struct flow_params params;	/* -t, -m */
	struct flow_addr exaddr;	/* -x */
	uint8_t engine_type, engine_id;	/* -e */
	bool have_ifindex;		/* -I */
	uint32_t ifindex;
};

/*
 * Fills *o from argv. Returns 0 to run, 1 when -h/--version was
 * answered, 2 after a usage message.
 */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

#endif
