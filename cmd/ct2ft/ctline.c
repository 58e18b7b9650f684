/* Conntrack event line parser (see ctline.h). */
#include <string.h>
#include <time.h>

#include "ctline.h"
#include "base/bytescan.h"
#include "base/decnum.h"
#include "flow/flowaddr.h"
#include "flow/protoname.h"

/* A word of the line: text[0..len), and where its first '=' is (len: none). */
struct word {
	const char *s;
	size_t len;
	size_t eq;
	size_t next;		/* where to look for the word after it */
	bool next_is_word;	/* next is that word's start, no blanks to skip */
};

/* Compares with a string literal; its length is known at compile time. */
#define key_is(s, len, lit) ((len) == sizeof(lit) - 1 && memcmp(s, lit, sizeof(lit) - 1) == 0)
#define word_is(w, lit) key_is((w)->s, (w)->len, lit)

static bool all_digits(const struct word *w)
{
	if (w->len == 0)
		return false;
	for (size_t i = 0; i < w->len; i++)
		if (w->s[i] < '0' || w->s[i] > '9')
			return false;
	return true;
}

/* "[secs.frac]": the event time conntrack -o timestamp and ct-dump print. */
static int parse_event_time(const struct word *w, uint64_t *us)
{
	const char *dot = memchr(w->s, '.', w->len);
	uint64_t secs, frac;
	size_t flen;

	if (w->len < 4 || w->s[w->len - 1] != ']' || dot == NULL)
		return -1;
	flen = (size_t)(w->s + w->len - 1 - (dot + 1));
	if (dec_parse_u64(w->s + 1, (size_t)(dot - (w->s + 1)), UINT64_MAX / 2000000u, &secs) < 0 ||
	    flen == 0 || flen > 9 || dec_parse_u64(dot + 1, flen, UINT64_MAX, &frac) < 0)
		return -1;
	/* the fraction's digits scaled to microseconds */
	for (size_t i = flen; i < 6; i++)
		frac *= 10;
	for (size_t i = 6; i < flen; i++)
		frac /= 10;
	*us = secs * 1000000u + frac;
	return 0;
}

/*
 * "Sun Nov 22 19:52:47 2026": ctime() text, the writer's local time, as
 * libnetfilter_conntrack prints it. *secs reads it in the reader's zone
 * (mktime), *wall as if it were UTC (timegm): the caller, which knows the
 * event's own UTC time, can find the writer's zone from the latter.
 */
static int parse_ctime(const char *s, size_t len, uint64_t *secs, int64_t *wall)
{
	char buf[64];
	struct tm tm, utc;
	const char *end;
	time_t t;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(&tm, 0, sizeof tm);
	end = strptime(buf, "%a %b %d %H:%M:%S %Y", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	utc = tm;
	*wall = (int64_t)timegm(&utc);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	if (t == (time_t)-1 || t < 0)
		return -1;
	*secs = (uint64_t)t;
	return 0;
}

static int parse_type(const struct word *w, enum ct_evtype *t)
{
	if (word_is(w, "[NEW]"))
		*t = CT_EV_NEW;
	else if (word_is(w, "[UPDATE]"))
		*t = CT_EV_UPDATE;
	else if (word_is(w, "[DESTROY]"))
		*t = CT_EV_DESTROY;
	else
		return -1;
	return 0;
}

/* Protocol keyword as conntrack names it (IANA's, and its own "icmpv6"). */
static int proto_by_conntrack_name(const struct word *w)
{
	char name[24];

	if (w->len >= sizeof name)
		return -1;
	memcpy(name, w->s, w->len);
	name[w->len] = '\0';
	return proto_number(name);
}

/* What the parser expects of the next bare word. */
enum bare_state { BARE_PROTO_NAME, BARE_L3_NUM, BARE_PROTO_NUM, BARE_REST };

struct parse {
	struct ct_event *ev;
	int ntuples;			/* src= seen: 1 original, 2 reply */
	bool icmp_id_done[2];		/* this tuple's ICMP id= was read */
	enum bare_state bare;
	struct word proto_name;		/* resolved only when no number follows it */
	bool type_seen;
	/*
	 * The reply tuple has ended (a word that is none of its fields came
	 * after it): later dst=, packets= ... are not the tuple's, they are
	 * text such as a [USERSPACE] progname= holding blanks.
	 */
	bool tuples_done;
};

/* The keys the parser knows; a tuple's own run from CT_K_DST to CT_K_ZONE_REPLY. */
enum ct_key {
	CT_K_OTHER, CT_K_SRC, CT_K_DELTA_TIME, CT_K_ZONE,
	CT_K_DST, CT_K_SPORT, CT_K_DPORT, CT_K_TYPE, CT_K_CODE, CT_K_ID,
	CT_K_PACKETS, CT_K_BYTES, CT_K_ZONE_ORIG, CT_K_ZONE_REPLY
};

/* A key by its length first: one or two compares instead of a chain. */
static enum ct_key key_of(const char *s, size_t len)
{
	switch (len) {
	case 2:
		return key_is(s, len, "id") ? CT_K_ID : CT_K_OTHER;
	case 3:
		return key_is(s, len, "src") ? CT_K_SRC : key_is(s, len, "dst") ? CT_K_DST : CT_K_OTHER;
	case 4:
		return key_is(s, len, "type") ? CT_K_TYPE : key_is(s, len, "code") ? CT_K_CODE :
		    key_is(s, len, "zone") ? CT_K_ZONE : CT_K_OTHER;
	case 5:
		return key_is(s, len, "sport") ? CT_K_SPORT : key_is(s, len, "dport") ? CT_K_DPORT :
		    key_is(s, len, "bytes") ? CT_K_BYTES : CT_K_OTHER;
	case 7:
		return key_is(s, len, "packets") ? CT_K_PACKETS : CT_K_OTHER;
	case 9:
		return key_is(s, len, "zone-orig") ? CT_K_ZONE_ORIG : CT_K_OTHER;
	case 10:
		return key_is(s, len, "zone-reply") ? CT_K_ZONE_REPLY :
		    key_is(s, len, "delta-time") ? CT_K_DELTA_TIME : CT_K_OTHER;
	default:
		return CT_K_OTHER;
	}
}

/* Keys a tuple holds after its src=; id= only as an ICMP tuple's own. */
static bool tuple_key(enum ct_key k)
{
	return k >= CT_K_DST && k <= CT_K_ZONE_REPLY;
}

static struct ct_tuple *cur_tuple(struct parse *p)
{
	if (p->ntuples == 0)
		return NULL;
	return p->ntuples == 1 ? &p->ev->orig : &p->ev->reply;
}

static int kv_addr(struct ct_tuple *t, bool src, const char *v, size_t vlen, struct why *why)
{
	struct flow_addr *a = src ? &t->src : &t->dst;

	if (flow_addr_parse(a, v, vlen) < 0)
		return why_set(why, "%s", src ? "bad src= address" : "bad dst= address");
	if (src)
		t->has_src = true;
	else
		t->has_dst = true;
	return 0;
}

static int kv_u16(uint16_t *out, const char *v, size_t vlen, struct why *why, const char *what)
{
	uint64_t x;
	if (dec_parse_u64(v, vlen, 65535, &x) < 0)
		return why_set(why, "%s", what);
	*out = (uint16_t)x;
	return 0;
}

static int kv_u8(uint8_t *out, const char *v, size_t vlen, struct why *why, const char *what)
{
	uint64_t x;
	if (dec_parse_u64(v, vlen, 255, &x) < 0)
		return why_set(why, "%s", what);
	*out = (uint8_t)x;
	return 0;
}

/* One key=value word; keys conntrack prints that flows do not need are ignored. */
static int parse_kv(struct parse *p, const struct word *w, struct why *why)
{
	enum ct_key k = key_of(w->s, w->eq);
	const char *v = w->s + w->eq + 1;
	size_t vlen = w->len - w->eq - 1;
	struct ct_tuple *t = cur_tuple(p);
	uint64_t x;
	/* with two tuples, an id= may still be the reply's ICMP id */
	bool icmp_id_next = t != NULL && t->has_icmp && !p->icmp_id_done[1];

	if (p->ntuples == 2 && !p->tuples_done &&
	    ((!tuple_key(k) && k != CT_K_SRC) || (k == CT_K_ID && !icmp_id_next)))
		p->tuples_done = true;
	if (p->tuples_done && (tuple_key(k) || k == CT_K_SRC) && k != CT_K_ID)
		return 0;
	if (k == CT_K_SRC) {
		if (p->ntuples == 2)
			return why_set(why, "more than two src= tuples");
		p->ntuples++;
		return kv_addr(cur_tuple(p), true, v, vlen, why);
	}
	if (k == CT_K_DELTA_TIME) {
		if (dec_parse_u64(v, vlen, UINT32_MAX, &p->ev->delta_s) < 0)
			return why_set(why, "bad delta-time=");
		p->ev->has_delta = true;
		return 0;
	}
	if (k == CT_K_ZONE) {
		if (dec_parse_u64(v, vlen, 65535, &x) < 0)
			return why_set(why, "bad zone=");
		p->ev->zone = (uint32_t)x;
		return 0;
	}
	if (k == CT_K_ID &&
	    (p->tuples_done || !(t != NULL && t->has_icmp && !p->icmp_id_done[p->ntuples - 1]))) {
		if (dec_parse_u64(v, vlen, UINT32_MAX, &x) < 0)
			return why_set(why, "bad id=");
		p->ev->id = (uint32_t)x;
		p->ev->has_id = true;
		return 0;
	}
	/* the rest belong to a tuple */
	if (!tuple_key(k) || k == CT_K_ZONE_ORIG || k == CT_K_ZONE_REPLY)
		return 0;
	if (t == NULL)
		return why_set(why, "tuple field before src=");
	switch (k) {
	case CT_K_DST:
		return kv_addr(t, false, v, vlen, why);
	case CT_K_SPORT:
		t->has_ports = true;
		return kv_u16(&t->sport, v, vlen, why, "bad sport=");
	case CT_K_DPORT:
		t->has_ports = true;
		return kv_u16(&t->dport, v, vlen, why, "bad dport=");
	case CT_K_TYPE:
		t->has_icmp = true;
		return kv_u8(&t->icmp_type, v, vlen, why, "bad type=");
	case CT_K_CODE:
		t->has_icmp = true;
		return kv_u8(&t->icmp_code, v, vlen, why, "bad code=");
	case CT_K_ID:
		p->icmp_id_done[p->ntuples - 1] = true;
		return kv_u16(&t->icmp_id, v, vlen, why, "bad ICMP id=");
	default:
		break;
	}
	if (dec_parse_u64(v, vlen, UINT64_MAX, &x) < 0)
		return why_set(why, "%s", k == CT_K_PACKETS ? "bad packets=" : "bad bytes=");
	t->has_counters = true;
	if (k == CT_K_PACKETS)
		t->packets = x;
	else
		t->bytes = x;
	return 0;
}

/* A word without '=' and not in brackets: address family, protocol, timeout, state. */
static int parse_bare(struct parse *p, const struct word *w, struct why *why)
{
	uint64_t x;

	switch (p->bare) {
	case BARE_PROTO_NAME:
		if (word_is(w, "ipv4") || word_is(w, "ipv6")) {
			p->bare = BARE_L3_NUM;
			return 0;
		}
		if (all_digits(w))
			return why_set(why, "number where a protocol name belongs");
		p->proto_name = *w;
		p->bare = BARE_PROTO_NUM;
		return 0;
	case BARE_L3_NUM:
		if (!all_digits(w))
			return why_set(why, "bad layer 3 protocol number");
		p->bare = BARE_PROTO_NAME;
		return 0;
	case BARE_PROTO_NUM:
		p->bare = BARE_REST;
		if (all_digits(w)) {
			if (dec_parse_u64(w->s, w->len, 255, &x) < 0)
				return why_set(why, "bad protocol number");
			p->ev->proto = (uint8_t)x;
			p->ev->has_proto = true;
			return 0;
		}
		break;
	case BARE_REST:
		break;
	}
	return 0;	/* timeout, TCP/SCTP/DCCP state */
}

/*
 * Where the word at i ends: its first blank, or len. Eight bytes a step.
 * The load that finds the blank mostly holds the next word's start too:
 * w->next gets it then, so finding that word does not wait on a second
 * load (the words of a line are a chain of such waits).
 */
static size_t word_end(const char *line, size_t len, size_t i, struct word *w)
{
#if BYTESCAN_WORDS
	for (; len - i >= 8; i += 8) {
		uint64_t x = bytescan_load(line + i);
		uint64_t blank = bytescan_eq(x, ' ') | bytescan_eq(x, '\t');

		if (blank != 0) {
			unsigned k = bytescan_first(blank);
			/* the bytes after the blank that are not blanks */
			uint64_t word = ~blank & ~BYTESCAN_LOW7 & (UINT64_MAX << 1 << (8 * k + 7));

			w->next_is_word = word != 0;
			w->next = word != 0 ? i + bytescan_first(word) : i + k;
			return i + k;
		}
	}
#endif
	while (i < len && line[i] != ' ' && line[i] != '\t')
		i++;
	w->next = i;
	w->next_is_word = false;
	return i;
}

/* Where the first '=' of s[0..len) is, or len: keys are short, so mostly one step. */
static size_t first_eq(const char *s, size_t len)
{
	return (size_t)(bytescan_find(s, s + len, '=') - s);
}

/*
 * The first byte at or after i that is not a blank. A run of blanks is
 * as long as conntrack's column padding, so one load finds its end
 * without a branch per byte.
 */
static size_t skip_blanks(const char *line, size_t len, size_t i)
{
#if BYTESCAN_WORDS
	if (len - i >= 8) {
		uint64_t x = bytescan_load(line + i);
		uint64_t other = ~(bytescan_eq(x, ' ') | bytescan_eq(x, '\t')) & ~BYTESCAN_LOW7;

		if (other != 0)
			return i + bytescan_first(other);
	}
#endif
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i;
}

/*
 * The word after w (w->next 0 and false: the first of the line). Words
 * split on blanks; [start=...] and [stop=...] hold blanks and are joined.
 */
static void next_word(const char *line, size_t len, struct word *w)
{
	size_t b = w->next_is_word ? w->next : skip_blanks(line, len, w->next), i = b;

	if (i < len && line[i] == '[' && len - i > 6 &&
	    (memcmp(line + i, "[start=", 7) == 0 || memcmp(line + i, "[stop=", 6) == 0)) {
		const char *close = memchr(line + i, ']', len - i);
		i = close ? (size_t)(close - line) + 1 : len;
		w->s = line + b;
		w->len = i - b;
		w->eq = w->len;	/* a time, never key=value */
		w->next = i;
		w->next_is_word = false;
		return;
	}
	i = word_end(line, len, i, w);
	w->s = line + b;
	w->len = i - b;
	w->eq = first_eq(w->s, w->len);
}

static int parse_bracket(struct parse *p, const struct word *w, struct why *why)
{
	struct ct_event *ev = p->ev;
	enum ct_evtype t;

	if (w->len > 7 && memcmp(w->s, "[start=", 7) == 0) {
		if (w->s[w->len - 1] != ']' || parse_ctime(w->s + 7, w->len - 8, &ev->start_s,
		    &ev->start_wall) < 0)
			return why_set(why, "bad [start=] time");
		ev->has_start = true;
		return 0;
	}
	if (w->len > 6 && memcmp(w->s, "[stop=", 6) == 0) {
		if (w->s[w->len - 1] != ']' || parse_ctime(w->s + 6, w->len - 7, &ev->stop_s,
		    &ev->stop_wall) < 0)
			return why_set(why, "bad [stop=] time");
		ev->has_stop = true;
		return 0;
	}
	if (parse_type(w, &t) == 0) {
		if (p->type_seen)
			return why_set(why, "two event types");
		p->type_seen = true;
		ev->type = t;
		return 0;
	}
	if (!p->type_seen && w->len > 2 && w->s[1] >= '0' && w->s[1] <= '9') {
		if (parse_event_time(w, &ev->time_us) < 0)
			return why_set(why, "bad [secs.usecs] event time");
		ev->has_time = true;
		return 0;
	}
	return 0;	/* [UNREPLIED], [ASSURED], [OFFLOAD], [USERSPACE] ... */
}

static int check_tuple(const struct ct_tuple *t, struct why *why)
{
	if (!t->has_src || !t->has_dst)
		return why_set(why, "tuple without src= and dst=");
	if (t->src.family != t->dst.family)
		return why_set(why, "src= and dst= of different address families");
	return 0;
}

int ct_line_parse(const char *line, size_t len, struct ct_event *ev, struct why *why)
{
	/* a copy of a zero event: gcc makes a memset this size "rep stos", slow to start */
	static const struct ct_event no_event;
	struct parse p = { .ev = ev, .bare = BARE_PROTO_NAME };
	struct word w = { .next = 0 };

	*ev = no_event;
	while (next_word(line, len, &w), w.len > 0) {
		int r;
		/* conntrack ends the line with it; the name may hold blanks and '=' */
		if (w.eq == sizeof "progname" - 1 && memcmp(w.s, "progname", w.eq) == 0)
			break;
		if (p.ntuples == 2 && (w.s[0] == '[' || w.eq == w.len))
			p.tuples_done = true;	/* a [FLAG] or bare word after the reply tuple */
		if (w.s[0] == '[')
			r = parse_bracket(&p, &w, why);
		else if (w.eq < w.len)
			r = parse_kv(&p, &w, why);
		else if (p.ntuples == 0)
			r = parse_bare(&p, &w, why);
		else
			r = 0;	/* e.g. a word after the tuples: nothing flows need */
		if (r < 0)
			return -1;
	}
	if (!p.type_seen)
		return why_set(why, "no [NEW], [UPDATE] or [DESTROY]");
	if (!ev->has_proto) {
		int name_proto = p.proto_name.len > 0 ? proto_by_conntrack_name(&p.proto_name) : -1;
		if (name_proto < 0)
			return why_set(why, "no protocol");
		ev->proto = (uint8_t)name_proto;
		ev->has_proto = true;
	}
	if (p.ntuples < 2)
		return why_set(why, "no reply tuple (needs two src=)");
	if (check_tuple(&ev->orig, why) < 0 || check_tuple(&ev->reply, why) < 0)
		return -1;
	if (ev->orig.src.family != ev->reply.src.family)
		return why_set(why, "original and reply tuples of different address families");
	return 0;
}

bool ct_event_natted(const struct ct_event *ev)
{
	const struct ct_tuple *o = &ev->orig, *r = &ev->reply;

	return !flow_addr_equal(&o->src, &r->dst) || !flow_addr_equal(&o->dst, &r->src) ||
	    o->sport != r->dport || o->dport != r->sport;
}
