#!/usr/bin/env bats
# flow-filter against nfdump 1.7.1's filter engine (the same flows sent
# to nfcapd with flow-send, filtered with nfdump -R DIR -o csv 'EXPR')
# and against a Python reference that computes each selection from the
# fields itself. Flows: scripts/gen-filter-flows (input = line number,
# so a flow is recognised after the codec).
load helper

setup() {
	T=$(mktemp -d /tmp/fp-filter.XXXXXX)
	F=$FP_BIN/flow-filter
	PORT=$((20000 + (RANDOM % 20000)))
	"$FP_ROOT/scripts/gen-filter-flows" -n 1500 -4 -s 7 > "$T/v4.csv"
	"$FP_ROOT/scripts/gen-filter-flows" -n 1500 -s 8 > "$T/mix.csv"
}

teardown() {
	if [ -n "${NFCAPD:-}" ]; then
		kill "$NFCAPD" 2>/dev/null || true
		wait "$NFCAPD" 2>/dev/null || true
	fi
	rm -rf "$T"
}

# Sends a file to a fresh nfcapd with flow-send -V VERSION into DIR.
collect() {	# version file dir
	mkdir "$3"
	nfcapd -w "$3" -b 127.0.0.1 -p $PORT -B 33554432 > "$3.log" 2>&1 3>&- &
	NFCAPD=$!
	sleep 1
	"$FP_BIN/flow-send" -V "$1" 0/127.0.0.1/$PORT < "$2" 2> /dev/null
	sleep 0.5
	kill "$NFCAPD"; wait "$NFCAPD" || true; NFCAPD=
}

# The ids (input field) of the flows a flow-filter run kept.
kept() {	# file expression...
	local f=$1
	shift
	"$F" "$@" < "$f" 2> /dev/null | awk -F, '!/^#/ { print $14 }' | sort -n
}

# Expressions: dataset (4: v4.csv via NetFlow v5, 6: mix.csv via v9);
# ours; nfdump's spelling (= the same, - none: nfdump cannot say it or
# 1.7.1 gets it wrong, see flow-filter(1)); the Python reference.
EXPRS='4;net 10/8;net 10.0.0.0/8;net(r,"10.0.0.0/8")
4;src net 10.0.0.0/8;=;net(r,"10.0.0.0/8","src")
4;dst net 172.16/12;dst net 172.16.0.0/12;net(r,"172.16.0.0/12","dst")
4;net 0.0.0.0/0;=;net(r,"0.0.0.0/0")
4;host 10.0.0.0;=;net(r,"10.0.0.0/32")
4;ip 255.255.255.255;=;net(r,"255.255.255.255/32")
4;net 192.168.1.0/25;=;net(r,"192.168.1.0/25")
4;dst host 198.51.100.7;=;net(r,"198.51.100.7/32","dst")
4;net 10.0.0.0/32;=;net(r,"10.0.0.0/32")
4;host in [10.0.0.0 172.16.0.1];-;net(r,"10.0.0.0/32") or net(r,"172.16.0.1/32")
4;port 443;=;r.srcport==443 or r.dstport==443
4;src port 1023;=;r.srcport==1023
4;dst port 1024;=;r.dstport==1024
4;port in [22 80 443];port in [ 22 80 443 ];{r.srcport,r.dstport} & {22,80,443}
4;src port 1024-65535;src port > 1023;r.srcport>=1024
4;dst port < 1024;=;r.dstport<1024
4;src or dst port 80;=;80 in (r.srcport,r.dstport)
4;src and dst port 80;=;r.srcport==80 and r.dstport==80
4;src and dst net 10/8;src and dst net 10.0.0.0/8;net(r,"10.0.0.0/8","src") and net(r,"10.0.0.0/8","dst")
4;port in [0 1-22 65535];-;any(p==0 or 1<=p<=22 or p==65535 for p in (r.srcport,r.dstport))
4;proto tcp;=;r.prot==6
4;proto udp;=;r.prot==17
4;proto icmp;=;r.prot==1
4;proto 132;=;r.prot==132
4;proto sctp;=;r.prot==132
4;proto gre;=;r.prot==47
4;icmp-type 8;=;r.prot in (1,58) and r.dstport>>8==8
4;icmp-code 3;=;r.prot in (1,58) and r.dstport&255==3
4;icmp-type 3 and icmp-code 1;=;r.prot in (1,58) and r.dstport==3*256+1
4;packets > 1000;=;r.dpkts>1000
4;packets >= 1k;packets >= 1k;r.dpkts>=1000
4;packets < 10;=;r.dpkts<10
4;bytes > 1M;bytes > 1m;r.doctets>1000000
4;bytes >= 1k;=;r.doctets>=1000
4;bytes = 1000000;=;r.doctets==1000000
4;bytes > 1G;bytes > 1g;r.doctets>10**9
4;duration > 1s;duration > 1000;dur(r)>1000
4;duration = 0;=;dur(r)==0
4;duration < 1000ms;duration < 1000;dur(r)<1000
4;duration >= 10s;duration >= 10000;dur(r)>=10000
4;bps > 10k;=;bps(r)>10000
4;pps > 100;=;pps(r)>100
4;bpp > 1000;=;bpp(r)>1000
4;bpp < 64;=;bpp(r)<64
4;flags S;=;r.prot==6 and r.tcp_flags&2
4;flags SA;=;r.prot==6 and r.tcp_flags&0x12==0x12
4;flags F;=;r.prot==6 and r.tcp_flags&1
4;flags U;=;r.prot==6 and r.tcp_flags&0x20
4;flags X;=;r.prot==6 and r.tcp_flags&0x3f==0x3f
4;flags ~R;proto tcp and not flags R;r.prot==6 and not r.tcp_flags&4
4;flags S~A;flags S and not flags A;r.prot==6 and r.tcp_flags&0x12==2
4;tos 16;=;r.tos==16
4;tos 0;=;r.tos==0
4;in if 5;=;r.input==5
4;out if 3;=;r.output==3
4;engine-type 2;=;r.engine_type==2
4;engine-id 1;=;r.engine_id==1
4;next hop 192.0.2.254;next ip 192.0.2.254;r.nexthop==A("192.0.2.254")
4;src as 65001;-;r.src_as==65001
4;as 65002;-;65002 in (r.src_as,r.dst_as)
4;exporter 192.0.2.2;-;r.exaddr==A("192.0.2.2")
4;exporter 192.0.2.0/24;-;net1(r.exaddr,"192.0.2.0/24")
4;start >= 2025-12-01T11:59:30Z;-;start(r)>=T("2025-12-01T11:59:30")
4;end < 2025-12-01T12:00:10.500Z;-;end(r)<T("2025-12-01T12:00:10")+500
4;src_mask > 16;-;r.src_mask>16
4;dstport != 80;-;r.dstport!=80
4;not proto tcp and port 53 or bytes < 999;=;(r.prot!=6 and 53 in (r.srcport,r.dstport)) or r.doctets<999
4;proto tcp and (port 80 or port 443) and not flags R;=;r.prot==6 and {r.srcport,r.dstport}&{80,443} and not r.tcp_flags&4
4;!(proto udp) && packets > 5 || duration = 0;=;(r.prot!=17 and r.dpkts>5) or dur(r)==0
4;not not (proto udp or proto tcp and port 22);=;r.prot==17 or (r.prot==6 and 22 in (r.srcport,r.dstport))
6;net 2001:db8::/32;=;net(r,"2001:db8::/32")
6;src net 2001:db8::/48;=;net(r,"2001:db8::/48","src")
6;net 2001:db8::/31;=;net(r,"2001:db8::/31")
6;dst net 2001:db8:0:1::/64;=;net(r,"2001:db8:0:1::/64","dst")
6;net 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128;=;net(r,"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/128")
6;host 2001:db8::1;=;net(r,"2001:db8::1/128")
6;host ::ffff:10.1.2.3;=;net(r,"::ffff:10.1.2.3/128")
6;net ::ffff:0:0/96;=;net(r,"::ffff:0:0/96")
6;host 10.1.2.3;=;net(r,"10.1.2.3/32")
6;host ::1;=;net(r,"::1/128")
6;net fe80::/10;=;net(r,"fe80::/10")
6;net ::/0;-;net(r,"::/0")
6;host ::;-;net(r,"::/128")
6;ipv6;=;r.srcaddr.version==6
6;ipv4;=;r.srcaddr.version==4
6;proto icmp6;=;r.prot==58
6;icmp-type 128;=;r.prot in (1,58) and r.dstport>>8==128
6;proto tcp and net 2001:db8::/32 and port 443;=;r.prot==6 and net(r,"2001:db8::/32") and 443 in (r.srcport,r.dstport)
6;next hop 2001:db8::fe;next ip 2001:db8::fe;r.nexthop==A("2001:db8::fe")
6;srcaddr = 2001:db8::/32;-;net1(r.srcaddr,"2001:db8::/32")
6;dstaddr != ::1;-;r.dstaddr!=A("::1")
6;dst as > 100000;-;r.dst_as>100000
4;if 3;=;3 in (r.input,r.output)
4;proto in [tcp udp];proto tcp or proto udp;r.prot in (6,17)
4;packets gt 1000;=;r.dpkts>1000
4;bytes eq 1000;=;r.doctets==1000
6;src mask 24;=;r.src_mask==24
6;mask 0;=;0 in (r.src_mask,r.dst_mask)
6;dst mask < 8;-;r.dst_mask<8
6;ip in [10.1.2.3 ::1];ip in [ 10.1.2.3 ::1 ];net(r,"10.1.2.3/32") or net(r,"::1/128")
6;dst port in [22, 80 443];dst port in [ 22 80 443 ];r.dstport in (22,80,443)'

@test "flow-filter: 100 expressions keep the flows nfdump and the Python reference keep" {
	need_cmd nfcapd
	need_cmd nfdump
	need_cmd python3
	collect 5 "$T/v4.csv" "$T/nf4"
	collect 9 "$T/mix.csv" "$T/nf6"
	printf '%s\n' "$EXPRS" > "$T/exprs"
	# the reference: each row's predicate over the flows of its dataset
	python3 - "$T" > "$T/ref.log" <<'PY'
import ipaddress, sys, datetime
t = sys.argv[1]
A = ipaddress.ip_address
def T(s):
    d = datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc)
    return int(d.timestamp()) * 1000
def net1(a, cidr):
    n = ipaddress.ip_network(cidr, strict=False)
    return a.version == n.version and a in n
def net(r, cidr, side="any"):
    s = net1(r.srcaddr, cidr) if side in ("any", "src") else False
    d = net1(r.dstaddr, cidr) if side in ("any", "dst") else False
    return s or d
def dur(r):
    a = (r.sysuptime - r.first) % 2**32; b = (r.sysuptime - r.last) % 2**32
    return a - b if a >= b else 0
def bps(r): return 8000 * r.doctets // dur(r) if dur(r) else 0
def pps(r): return 1000 * r.dpkts // dur(r) if dur(r) else 0
def bpp(r): return r.doctets // r.dpkts if r.dpkts else 0
def start(r): return r.unix_secs * 1000 + r.unix_nsecs // 10**6 - (r.sysuptime - r.first) % 2**32
def end(r): return r.unix_secs * 1000 + r.unix_nsecs // 10**6 - (r.sysuptime - r.last) % 2**32
class R: pass
def load(path):
    rows = []
    with open(path) as f:
        names = f.readline()[2:].strip().split(",")
        for line in f:
            r = R()
            for k, v in zip(names, line.strip().split(",")):
                setattr(r, k, A(v) if k in ("exaddr", "srcaddr", "dstaddr", "nexthop") else int(v))
            rows.append(r)
    return rows
data = {"4": load(t + "/v4.csv"), "6": load(t + "/mix.csv")}
for i, row in enumerate(open(t + "/exprs").read().splitlines()):
    ds, ours, nf, py = row.split(";", 3)
    with open("%s/ref.%d" % (t, i), "w") as out:
        for r in data[ds]:
            if eval(py):
                out.write("%d\n" % r.input)
PY
	i=0
	n=0
	while IFS=';' read -r ds ours nf py; do
		f=$T/v4.csv; [ "$ds" = 6 ] && f=$T/mix.csv
		kept "$f" "$ours" > "$T/ours.$i"
		diff -q "$T/ref.$i" "$T/ours.$i" > /dev/null ||
		    fail "'$ours': flow-filter keeps $(wc -l < "$T/ours.$i"), the reference $(wc -l < "$T/ref.$i")"
		if [ "$nf" != - ]; then
			[ "$nf" = "=" ] && nf=$ours
			TZ=UTC nfdump -q -R "$T/nf$ds" -o csv "$nf" | awk -F, 'NF > 10 { print $16 }' | sort -n > "$T/nf.$i"
			diff -q "$T/nf.$i" "$T/ours.$i" > /dev/null ||
			    fail "'$ours': flow-filter keeps $(wc -l < "$T/ours.$i"), nfdump '$nf' $(wc -l < "$T/nf.$i")"
			n=$((n + 1))
		fi
		i=$((i + 1))
	done < "$T/exprs"
	[ "$i" -ge 80 ] && [ "$n" -ge 60 ] || fail "only $i expressions, $n against nfdump"
	# random compounds of those primitives, both spellings: precedence and
	# negation as nfdump has them
	python3 - > "$T/compound" <<'PY'
import random
rnd = random.Random(5)
prims = [("proto tcp",) * 2, ("proto udp",) * 2, ("port 443",) * 2, ("src port < 1024",) * 2,
         ("dst port in [22 53 80]", "dst port in [ 22 53 80 ]"), ("net 10/8", "net 10.0.0.0/8"),
         ("packets > 1000",) * 2, ("bytes <= 1k",) * 2, ("duration > 1s", "duration > 1000"),
         ("bps > 1M", "bps > 1m"), ("pps < 10",) * 2, ("bpp >= 100",) * 2, ("flags S",) * 2,
         ("flags A",) * 2, ("tos 16",) * 2, ("in if 7",) * 2, ("out if 3",) * 2,
         ("engine-type 1",) * 2, ("icmp-type 8",) * 2, ("dst port > 1023",) * 2]
def expr(d):
    if d > 3 or rnd.random() < 0.3:
        return rnd.choice(prims)
    k = rnd.random()
    if k < 0.2:
        a, b = expr(d + 1)
        return "not (" + a + ")", "not (" + b + ")"
    a, b = expr(d + 1)
    c, e = expr(d + 1)
    op = rnd.choice([" and ", " or "])
    # unbracketed on purpose now and then: precedence must agree
    if rnd.random() < 0.5:
        return a + op + c, b + op + e
    return "(" + a + op + c + ")", "(" + b + op + e + ")"
for _ in range(40):
    print("%s;%s" % expr(0))
PY
	while IFS=';' read -r ours nf; do
		kept "$T/v4.csv" "$ours" > "$T/c.ours"
		TZ=UTC nfdump -q -R "$T/nf4" -o csv "$nf" | awk -F, 'NF > 10 { print $16 }' | sort -n > "$T/c.nf"
		diff -q "$T/c.nf" "$T/c.ours" > /dev/null ||
		    fail "'$ours': flow-filter keeps $(wc -l < "$T/c.ours"), nfdump '$nf' $(wc -l < "$T/c.nf")"
	done < "$T/compound"
	# no expression is trivial on its data: each keeps some flows and drops some
	for j in $(seq 0 $((i - 1))); do
		k=$(wc -l < "$T/ours.$j")
		sed -n "$((j + 1))p" "$T/exprs" | grep -q "/0;" && continue
		[ "$k" -gt 0 ] && [ "$k" -lt 1500 ] || fail "row $j keeps $k of 1500: no test"
	done
}

@test "flow-filter: --version, -h and usage errors" {
	run "$F" --version
	assert_success
	assert_output "flow-filter flowpipes 0.1.0"
	run "$F" -h
	assert_success
	assert_output --partial "EXPRESSION"
	run "$F"
	assert_failure 2
	assert_output --partial "no expression"
	run "$F" -f "$T/none" 'port 80'
	assert_failure 2
	run "$F" -f "$T/none"
	assert_failure 2
	run "$F" -x 'port 80'
	assert_failure 2
}

@test "flow-filter: a syntax error names the position and what was expected, exit 2, nothing read" {
	run "$F" 'proto tcp and port'
	assert_failure 2
	assert_output "flow-filter: expression:19: expected a port number after 'port'"
	run "$F" 'proto tcp and port x'
	assert_output "flow-filter: expression:20: expected a port number after 'port'"
	run "$F" 'src port 65536'
	assert_output "flow-filter: expression:10: expected a port number after 'port'"
	run "$F" '(proto tcp'
	assert_output "flow-filter: expression:11: expected ')' to close the '(' at 1"
	run "$F" 'proto tcp)'
	assert_output "flow-filter: expression:10: ')' without '('"
	run "$F" 'proto tcp port 80'
	assert_output "flow-filter: expression:11: expected 'and', 'or' or the end of the expression"
	run "$F" 'src bytes > 5'
	assert_output "flow-filter: expression:5: expected host, ip, net, port, as or mask after 'src'"
	run "$F" 'net 10.0.0.1'
	assert_output "flow-filter: expression:5: expected a network (address/length) after 'net'"
	run "$F" 'host 10.0.0.0/8'
	assert_output "flow-filter: expression:6: expected an address after 'host'"
	run "$F" 'bogus 3'
	assert_output --partial "expression:1: unknown word 'bogus'"
	run "$F" 'start > 2026-02-30T00:00:00Z'
	assert_output --partial "expression:9: expected a time"
	run "$F" 'flags SQ'
	assert_output --partial "expression:7: expected TCP flag letters"
	run "$F" 'port 2000-1000'
	assert_output "flow-filter: expression:6: range '2000-1000' runs backwards"
	run "$F" 'srcaddr > 10.0.0.1'
	assert_output "flow-filter: expression:11: addresses compare only with = or !="
	run "$F" proto tcp '&' port 80
	assert_failure 2
	# nothing read: the input is still there for the next reader, and the file is not opened
	run bash -c "{ '$F' 'port' 2> /dev/null; cat; } < '$T/v4.csv' | wc -l"
	assert_output "1501"
	run "$F" -r /nonexistent 'port'
	assert_output --partial "expected a port number"
	# -f: FILE:LINE:COL, comments allowed
	printf '# web\nproto tcp and\n  port in [80 443 x]\n' > "$T/e"
	run "$F" -f "$T/e"
	assert_failure 2
	assert_output "flow-filter: $T/e:3:19: expected a port number after '443'"
}

@test "flow-filter: -d shows the compiled tree: not before and before or, either side, guards" {
	run "$F" -d '! proto udp and port in [443 80] or net 10/8 && flags S~A or icmp-type 3-4'
	assert_success
	assert_output "$(cat <<'END'
or
  or
    and
      not
        prot = 17
      or
        srcport in [80 443]
        dstport in [80 443]
    and
      or
        srcaddr in 10.0.0.0/8
        dstaddr in 10.0.0.0/8
      and
        prot = 6
        tcp_flags set 0x02 clear 0x10
  and
    or
      prot = 1
      prot = 58
    icmp-type in 3-4
reads: srcaddr,dstaddr,srcport,dstport,prot,tcp_flags
END
)"
	run "$F" -d 'start >= 2026-11-30T12:00:00.5Z or bps > 1M'
	assert_output "$(printf 'or\n  start >= 1796040000500\n  bps > 1000000\nreads: unix_secs,unix_nsecs,sysuptime,doctets,first,last')"
}

@test "flow-filter: lines pass byte for byte, with header, comments and line ends as they came" {
	printf '#:dpkts,doctets,prot,srcport,dstport\n# a comment\n1,100,6,1,80\r\n2,200,17,2,53\n# late\n3,300,6,3,443' > "$T/in"
	run "$F" -r "$T/in" proto tcp
	assert_success
	printf '#:dpkts,doctets,prot,srcport,dstport\n# a comment\n1,100,6,1,80\r\n# late\n3,300,6,3,443' > "$T/want"
	"$F" -r "$T/in" proto tcp 2> /dev/null | cmp - "$T/want"
	assert_line --partial "3 records read, 2 matched, 1 not matched, 0 bad lines, 2 comments"
	# -o takes the others, with the header and comments too
	"$F" -o "$T/rest" -r "$T/in" proto tcp > /dev/null 2>&1
	printf '#:dpkts,doctets,prot,srcport,dstport\n# a comment\n2,200,17,2,53\n# late\n' | cmp - "$T/rest"
	# -c counts; -v inverts
	run "$F" -c -r "$T/in" 'bytes >= 200'
	assert_success
	assert_line --index 0 "2"
	[ "$("$F" -c -v -r "$T/in" 'bytes >= 200' 2> /dev/null)" = 1 ]
	# the expression as several arguments is the same expression
	[ "$("$F" -c -r "$T/v4.csv" proto tcp and not port 80 2> /dev/null)" = \
	    "$("$F" -c -r "$T/v4.csv" 'proto tcp and not port 80' 2> /dev/null)" ]
	# files with different headers, one after the other: each header maps its own lines
	printf '#:prot,doctets\n6,100\n#:doctets,dpkts,prot\n200,1,6\n300,1,17\n' > "$T/two"
	run "$F" -r "$T/two" 'proto tcp and bytes > 50'
	assert_success
	assert_output "$(printf '#:prot,doctets\n6,100\n#:doctets,dpkts,prot\n200,1,6\nflow-filter: 3 records read, 2 matched, 1 not matched, 0 bad lines, 0 comments')"
	[ "$("$F" -v -r "$T/in" 'bytes >= 200' 2> /dev/null | grep -v '^#')" = "$(printf '1,100,6,1,80\r')" ]
}

@test "flow-filter: a field the expression needs and the header lacks is an error at the header" {
	printf '#:dpkts,doctets,prot\n1,100,6\n' > "$T/in"
	run "$F" -r "$T/in" 'port 80'
	assert_failure 2
	assert_output --partial "flow-filter: $T/in:1: the expression needs field 'srcport', which the input lacks (--absent-zero reads it as 0)"
	run "$F" --absent-zero -r "$T/in" 'port 0 and bytes 100'
	assert_success
	assert_line --index 1 "1,100,6"
	# a later header without the field: 0 again, not the last value read
	printf '#:srcport,prot\n80,6\n#:prot\n6\n' > "$T/two"
	run "$F" --absent-zero -r "$T/two" 'port 80'
	assert_output "$(printf '#:srcport,prot\n80,6\n#:prot\nflow-filter: 2 records read, 1 matched, 1 not matched, 0 bad lines, 0 comments')"
	# headerless nfflowd lines have no AS numbers
	printf '1,0,10,1.2.3.4,1,60,5,6,10.0.0.1,10.0.0.2,0.0.0.0,1,2,3,4,6,0,2\n' > "$T/h18"
	run "$F" -r "$T/h18" 'src as 5'
	assert_failure 2
	assert_output --partial "h18:1: the expression needs field 'src_as'"
	run "$F" -r "$T/h18" 'net 10.0.0.0/30 and dst port 4'
	assert_success
	assert_line --index 0 "$(cat "$T/h18")"
	# a field of the line format by name, the extension fields included
	printf '#:srcaddr,dstaddr,rdpkts,rdoctets\n10.0.0.1,10.0.0.2,0,0\n10.0.0.2,10.0.0.1,3,120\n' > "$T/bi"
	run "$F" -r "$T/bi" 'rdoctets > 0'
	assert_line --index 1 "10.0.0.2,10.0.0.1,3,120"
	assert_line --index 2 --partial "1 matched"
}

@test "flow-filter: bad lines are reported, skipped and counted; --strict stops" {
	printf '#:dpkts,prot,srcaddr\n1,6,10.0.0.1\nx,6,10.0.0.1\n2,6,10.0.0.300\n3,6\n4,6,10.0.0.1,9\n\n5,17,10.0.0.1\n6,6,10.0.0.9\n' > "$T/in"
	run "$F" -r "$T/in" 'packets > 0 and src net 10/8'
	assert_failure 1
	assert_line "flow-filter: $T/in:3: dpkts: 'x' is not a number from 0 to 18446744073709551615"
	assert_line "flow-filter: $T/in:4: srcaddr: bad address '10.0.0.300'"
	assert_line "flow-filter: $T/in:5: 2 fields, want 3"
	assert_line "flow-filter: $T/in:6: 4 fields, want 3"
	assert_line "flow-filter: $T/in:7: empty line"
	assert_line --partial "3 records read, 3 matched, 0 not matched, 5 bad lines"
	# a field not asked for is not converted, but the columns still count
	run "$F" -r "$T/in" 'proto tcp'
	assert_line --partial "5 records read, 4 matched, 1 not matched, 3 bad lines"
	run "$F" --strict -r "$T/in" 'packets > 0'
	assert_failure 1
	assert_line --partial "1 records read"
}

@test "flow-filter: property: E and -v E partition random flows exactly, -o gives the other part" {
	need_cmd python3
	python3 - > "$T/exprs" <<'PY'
import random
rnd = random.Random(11)
prims = ["proto tcp", "proto udp", "proto icmp", "port 443", "src port < 1024", "dst port in [22 53 80]",
         "net 10/8", "dst net 2001:db8::/32", "host ::1", "packets > 1000", "bytes <= 1k", "duration > 1s",
         "bps > 1M", "pps < 10", "bpp >= 100", "flags S", "flags ~A", "tos 16", "in if < 700", "out if 3",
         "as 65001", "engine-type 1", "icmp-type 8", "ipv6", "exporter 192.0.2.1", "next hop ::",
         "start >= 2025-12-01T11:59:50Z", "end < 2025-12-01T12:00:05Z", "src_mask > 20", "any"]
def expr(d):
    if d > 3 or rnd.random() < 0.3:
        return rnd.choice(prims)
    k = rnd.random()
    if k < 0.2:
        return rnd.choice(["not ", "! "]) + "(" + expr(d + 1) + ")"
    op = rnd.choice([" and ", " or ", " && ", " || "])
    return "(" + expr(d + 1) + op + expr(d + 1) + ")"
for _ in range(60):
    print(expr(0))
PY
	cut -d, -f14 "$T/mix.csv" | tail -n +2 | sort -n > "$T/all"
	while IFS= read -r e; do
		"$F" -o "$T/other" -r "$T/mix.csv" "$e" > "$T/yes" 2> /dev/null
		"$F" -v -r "$T/mix.csv" "$e" > "$T/no" 2> /dev/null
		cmp -s "$T/no" "$T/other" || fail "'$e': -v and -o differ"
		cat "$T/yes" "$T/no" | awk -F, '!/^#/ { print $14 }' | sort -n > "$T/both"
		cmp -s "$T/all" "$T/both" || fail "'$e': E and -v E do not partition the input"
	done < "$T/exprs"
}

@test "flow-filter: SIGUSR1 prints the counters, SIGTERM flushes what was kept and exits 0" {
	mkfifo "$T/fifo"
	"$F" 'proto tcp' < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 7> "$T/fifo"
	head -n 30 "$T/v4.csv" >&7
	sleep 0.5
	# SIGUSR1: the counters so far, and the run goes on
	kill -USR1 "$pid"
	sleep 0.3
	grep -q '^flow-filter: 29 records read' "$T/err" || fail "no counters on SIGUSR1: $(cat "$T/err")"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 7>&-
	[ "$rc" = 0 ] || fail "exit $rc after SIGTERM"
	[ "$(grep -vc '^#' "$T/out")" = "$(head -n 30 "$T/v4.csv" | "$F" -c 'proto tcp' 2>/dev/null)" ]
}

@test "flow-filter: started with stdout closed, -o FILE gets only the other lines (tool_start)" {
	printf '#:srcport,dstport,prot\n1,80,6\n2,443,6\n' > "$T/in.csv"
	run bash -c '"$0" -o "$1/rest.csv" -r "$1/in.csv" "dst port 80" >&-' "$F" "$T"
	# writing the kept line to the closed stdout fails; the other file must not receive it
	assert_equal "$(cat "$T/rest.csv")" "$(printf '#:srcport,dstport,prot\n2,443,6')"
}

@test "flow-filter: SIGTERM: a last line its newline has not reached is named, counted and left out (exit 1)" {
	mkfifo "$T/fifo"
	"$F" any < "$T/fifo" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 7> "$T/fifo"
	# the tenth record without its last 4 bytes: what came of it still parses
	{ head -n 10 "$T/v4.csv"; sed -n 11p "$T/v4.csv" | head -c -5; } >&7
	sleep 0.5
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 7>&-
	[ "$rc" = 1 ] || fail "exit $rc after SIGTERM: $(cat "$T/err")"
	[ "$(cat "$T/out")" = "$(head -n 10 "$T/v4.csv")" ]
	grep -q '^flow-filter: stdin:11: line cut short by the stop signal, left out' "$T/err"
	grep -q ' 1 bad lines' "$T/err"
}

@test "flow-filter: a read error is named once, not also as a write error" {
	run "$F" -r "$T" any
	assert_failure 2
	assert_line --index 0 --regexp "^flow-filter: .*: read error: Is a directory$"
	refute_output --partial 'write'
}
