/* pcap-flows' command line. */
#ifndef PCAP_FLOWS_OPTIONS_H
#define PCAP_FLOWS_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "flowtable.h"
#include "packet/capture_args.h"

/* Defaults, named once: set by options_parse, shown by the usage. */
#define PF_MAX_FLOWS_DEFAULT 1000000u
#define PF_INACTIVE_DEFAULT_S 15u
#define PF_ACTIVE_DEFAULT_S 1800u
#define PF_TCP_END_DEFAULT_S 2u
#define PF_TIMEOUT_MAX_S 1e9

struct options {
	struct capture_args capture;	/* -r, -i, -p, -s, -Z, the expression */
	flow_fieldset fields;		/* -o */
	bool header;			/* not -H */
	bool strict;
	bool key_vlan;			/* -T vlan */
	bool key_tunnel;		/* -T tunnel */
	bool tunnels_outer;		/* --tunnels outer: no decapsulation */
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
