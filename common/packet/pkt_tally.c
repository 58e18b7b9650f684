/* Counting pkt_decode()'s verdicts (see pkt_tally.h). */
#include "packet/pkt_tally.h"

bool pkt_tally_count(struct pkt_tally *t, enum pkt_status st, uint32_t caplen,
    uint32_t wirelen, bool *bad)
{
	*bad = false;
	switch (st) {
	case PKT_OK:
		return true;
	case PKT_NOT_IP:
		t->non_ip++;
		return false;
	case PKT_BAD_LINK:
		t->undecodable++;
		return false;
	case PKT_CUT:		/* the snapshot length cut it before the addresses */
		t->snap_cut++;
		t->cut_keyless++;
		return false;
	case PKT_BAD:
		t->undecodable++;
		*bad = true;
		return false;
	case PKT_OVERLONG:	/* the IP header lies: counted with the frame's length */
		t->broken++;
		*bad = true;
		return true;
	case PKT_TRUNCATED:
		break;
	}
	if (caplen < wirelen) {	/* the snapshot length cut it: a capture choice */
		t->snap_cut++;
		return true;
	}
	t->broken++;
	*bad = true;
	return true;
}
