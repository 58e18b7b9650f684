/* pcap-sessions' event lines (see events.h and pcap-sessions(1)). */
#include <inttypes.h>

#include "events.h"
#include "flow/flowaddr.h"

#define EV_FIELDS "event,time,key,client,cport,server,sport,dir,n,first,last,bytes,packets," \
	"offset,length,flags,reason,c_bytes,c_packets,c_missing,c_cut," \
	"s_bytes,s_packets,s_missing,s_cut"

void ev_writer_init(struct ev_writer *w, FILE *fp, bool header, bool flush_each)
{
	w->fp = fp;
	w->flush_each = flush_each;
	w->failed = false;
	w->lines = 0;
	if (header)
		fputs("#:" EV_FIELDS "\n", fp);
}

static void put_time(FILE *fp, uint64_t us)
{
	fprintf(fp, "%" PRIu64 ".%06" PRIu64, us / 1000000u, us % 1000000u);
}

/* event,time,key,client,cport,server,sport, */
static void put_head(struct ev_writer *w, const char *event, const struct session *s,
    uint64_t ts)
{
	char a[FLOW_ADDR_STRLEN], b[FLOW_ADDR_STRLEN];

	flow_addr_format(&s->caddr, a);
	flow_addr_format(&s->saddr, b);
	fprintf(w->fp, "%s,", event);
	put_time(w->fp, ts);
	fprintf(w->fp, ",%s,%s,%u,%s,%u,", s->key, a, s->cport, b, s->sport);
}

static void put_end(struct ev_writer *w)
{
	if (fputc('\n', w->fp) == EOF)
		w->failed = true;
	w->lines++;
	if (w->flush_each && fflush(w->fp) == EOF)
		w->failed = true;
}

static const char *dir_name(int dir)
{
	return dir == 0 ? "c" : "s";
}

void ev_session_start(struct ev_writer *w, const struct session *s, enum sess_start how,
    uint64_t ts)
{
	put_head(w, "session_start", s, ts);
	fprintf(w->fp, ",,,,,,,,orig_%s,%s,,,,,,,,", sess_orig_name(s->orig),
	    sess_start_name(how));
	put_end(w);
}

/* gap+overlap+conflict+cut, or - */
static void put_flags(FILE *fp, uint8_t flags)
{
	static const char *const names[] = { "gap", "overlap", "conflict", "cut" };
	bool any = false;

	for (unsigned i = 0; i < 4; i++) {
		if (flags & (1u << i)) {
			fprintf(fp, "%s%s", any ? "+" : "", names[i]);
			any = true;
		}
	}
	if (!any)
		fputc('-', fp);
}

void ev_monologue(struct ev_writer *w, const struct session *s)
{
	const struct monologue *m = &s->mono;

	put_head(w, "monologue", s, m->last_us);
	fprintf(w->fp, "%s,%u,", dir_name(m->dir), m->n);
	put_time(w->fp, m->first_us);
	fputc(',', w->fp);
	put_time(w->fp, m->last_us);
	fprintf(w->fp, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",,", m->bytes, m->packets,
	    m->start_off);
	put_flags(w->fp, m->flags);
	fputs(",,,,,,,,,", w->fp);
	put_end(w);
}

static void put_range(struct ev_writer *w, const char *event, const struct session *s, int dir,
    uint64_t off, uint64_t len, uint64_t ts)
{
	put_head(w, event, s, ts);
	fprintf(w->fp, "%s,%u,,,,,%" PRIu64 ",%" PRIu64 ",,,,,,,,,,", dir_name(dir), s->mono.n,
	    off, len);
	put_end(w);
}

void ev_gap(struct ev_writer *w, const struct session *s, int dir, uint64_t off, uint64_t len,
    uint64_t ts)
{
	put_range(w, "gap", s, dir, off, len, ts);
}

void ev_conflict(struct ev_writer *w, const struct session *s, int dir, uint64_t off,
    uint64_t len, uint64_t ts)
{
	put_range(w, "overlap_conflict", s, dir, off, len, ts);
}

void ev_session_end(struct ev_writer *w, const struct session *s, enum sess_end why,
    uint64_t ts)
{
	put_head(w, "session_end", s, ts);
	fprintf(w->fp, ",%u,", s->mono.n);
	put_time(w->fp, s->first_us);
	fputc(',', w->fp);
	put_time(w->fp, s->last_us);
	fprintf(w->fp, ",%" PRIu64 ",%" PRIu64 ",,,-,%s", s->d[0].r.delivered + s->d[1].r.delivered,
	    s->d[0].packets + s->d[1].packets, sess_end_name(why));
	(void)ts;
	for (int i = 0; i < 2; i++)
		fprintf(w->fp, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, s->d[i].r.delivered,
		    s->d[i].packets, s->d[i].r.gap_bytes, s->d[i].cut);
	put_end(w);
}

int ev_writer_flush(struct ev_writer *w)
{
	if (fflush(w->fp) == EOF)
		w->failed = true;
	return w->failed ? -1 : 0;
}
