#!/usr/bin/env bats
# pcap-flows over real tunnels: captures of gretap, GRE, VXLAN and Geneve
# made on the underlay of a namespace pair; each inner conversation's
# packets and bytes must be tshark's (the innermost IP header's length,
# summed per source, destination and protocol). Where the kernel cannot
# make a link type, scripts/tunnel-netns builds the same tunnel from
# tests/aids/tun-encap.py (a TUN/TAP device, and the kernel's raw GRE or
# UDP socket for the outer header), so every kind runs on every kernel.

load helper

setup() {
	need_root
	need_cmd tcpdump
	need_cmd tshark
	need_cmd socat
	P=fpt$$
	T=$BATS_TEST_TMPDIR
}

teardown() {
	[ -n "${P:-}" ] && "$FP_ROOT/scripts/tunnel-netns" down "$P"
	return 0
}

# Pings and UDP datagrams of several sizes through a KIND tunnel, captured
# on the underlay veth into $T/cap.pcap.
capture() {	# kind
	local how
	how=$("$FP_ROOT/scripts/tunnel-netns" up "$P" "$1")
	echo "# $1 tunnel made in $how space"
	ip netns exec "$P-b" socat -u UDP-RECV:9999 /dev/null &
	ip netns exec "$P-a" tcpdump -q -U --immediate-mode -Z root -i va -w "$T/cap.pcap" 2> "$T/tcpdump.err" &
	local tp=$!
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q listening "$T/tcpdump.err" && break
		sleep 0.1
	done
	ip netns exec "$P-a" ping -q -c 3 -i 0.05 -s 100 10.200.0.2 > /dev/null
	ip netns exec "$P-a" ping -q -c 2 -i 0.05 -s 1000 10.200.0.2 > /dev/null
	for n in 10 200 700; do
		head -c "$n" /dev/zero | ip netns exec "$P-a" socat -u - UDP:10.200.0.2:9999,sourceport=5555
	done
	# wait (at most 5 s) until the capture holds the 10 echoes and the 3
	# datagrams inside the tunnel: a loaded machine may write them late
	for i in $(seq 50); do
		[ "$(tshark -r "$T/cap.pcap" -Y 'icmp or udp.port == 9999' 2>/dev/null | wc -l)" -ge 13 ] &&
		    break
		sleep 0.1
	done
	sleep 0.2
	kill "$tp"
	wait "$tp" || true
}

# "src dst proto packets bytes" per conversation of the innermost IP header,
# from tshark (IPv6: 40 + payload length; the protocol is the next header).
tshark_conv() {	# capture
	tshark -r "$1" -Y "ip or ipv6" -T fields -E occurrence=l -E separator=' ' \
	    -e frame.protocols -e ip.src -e ip.dst -e ip.proto -e ip.len \
	    -e ipv6.src -e ipv6.dst -e ipv6.nxt -e ipv6.plen | awk '
	{
		n = split($1, pr, ":"); last = ""
		for (i = 1; i <= n; i++)
			if (pr[i] == "ip" || pr[i] == "ipv6")
				last = pr[i]
		if (last == "ip") { k = $2 " " $3 " " $4; l = $5 }
		else if (NF == 5) { k = $2 " " $3 " " $4; l = $5 + 40 }
		else { k = $6 " " $7 " " $8; l = $9 + 40 }
		p[k]++; b[k] += l
	}
	END { for (k in p) print k, p[k], b[k] }' | sort
}

# The same from pcap-flows' records (a conversation can span several flows).
flows_conv() {	# capture [pcap-flows options]
	local f=$1
	shift
	"$FP_BIN/pcap-flows" -r "$f" -o srcaddr,dstaddr,prot,dpkts,doctets "$@" |
	    awk -F, '!/^#/ { k = $3 " " $4 " " $5; p[k] += $1; b[k] += $2 }
	    END { for (k in p) print k, p[k], b[k] }' | sort
}

same_as_tshark() {	# capture
	tshark_conv "$1" > "$T/tshark"
	flows_conv "$1" > "$T/flows"
	[ -s "$T/tshark" ]
	run diff "$T/tshark" "$T/flows"
	assert_success
}

check_kind() {	# kind
	capture "$1"
	tshark_conv "$T/cap.pcap" > "$T/tshark"
	flows_conv "$T/cap.pcap" > "$T/flows"
	# the inner conversations are there, both ways
	grep -q '^10\.200\.0\.1 10\.200\.0\.2 1 5 ' "$T/tshark"
	grep -q '^10\.200\.0\.2 10\.200\.0\.1 1 5 ' "$T/tshark"
	grep -q '^10\.200\.0\.1 10\.200\.0\.2 17 3 ' "$T/tshark"
	run diff "$T/tshark" "$T/flows"
	assert_success
	# --tunnels outer: only the underlay endpoints
	run bash -c "'$FP_BIN/pcap-flows' -r '$T/cap.pcap' --tunnels outer -o srcaddr 2>/dev/null | grep -c 10.200"
	assert_output 0
}

@test "gretap (key, checksum): inner flows equal tshark's conversations" {
	check_kind gretap
	run "$FP_BIN/pcap-flows" -r "$T/cap.pcap" -o srcaddr,dstaddr,prot,tunnel_id
	assert_line --partial '10.200.0.1,10.200.0.2,1,7'
}

@test "GRE (sequence numbers): inner flows equal tshark's conversations" {
	check_kind gre
}

@test "VXLAN: inner flows equal tshark's conversations, VNI as tunnel_id" {
	check_kind vxlan
	run "$FP_BIN/pcap-flows" -r "$T/cap.pcap" -o srcaddr,dstaddr,prot,tunnel_id
	assert_line '10.200.0.1,10.200.0.2,17,42'
}

@test "Geneve: inner flows equal tshark's conversations, VNI as tunnel_id" {
	check_kind geneve
	run "$FP_BIN/pcap-flows" -r "$T/cap.pcap" -o srcaddr,dstaddr,prot,tunnel_id
	assert_line '10.200.0.1,10.200.0.2,17,77'
}

@test "tcpdump's tunnel captures: inner flows equal tshark's conversations" {
	for f in geneve vxlan erspan-type-i-1 erspan-type-ii-2 erspan-type-iii-ft-0 mpls-over-udp \
	    pptp; do
		echo "$f"
		same_as_tshark "$FP_DATA/$f.pcap"
	done
}

@test "geneve.pcap: --tunnels outer gives the tunnel endpoints; tunnel_id is the VNI" {
	run "$FP_BIN/pcap-flows" -r "$FP_DATA/geneve.pcap" --tunnels outer -o srcaddr,dstaddr,prot
	assert_success
	refute_output --partial 30.0.0
	assert_output --partial '20.0.0.1,20.0.0.2,17'
	# tshark: VNI 0x0a from 30.0.0.1, 0x0b from 30.0.0.2
	run "$FP_BIN/pcap-flows" -r "$FP_DATA/geneve.pcap" -o srcaddr,prot,tunnel_id,dpkts
	assert_success
	assert_line '16,30.0.0.1,6,10'
	assert_line '17,30.0.0.2,6,11'
	assert_output --partial '39 decapsulated'
}

@test "-T tunnel: the same inner flow in two tunnels is two flows, else one" {
	"$FP_ROOT/scripts/pcapgen" script -o "$T/two.pcap" <<-EOF
	1.0 udp 10.1.0.1 5000 10.1.0.2 53 len=20 vxlan=42
	1.1 udp 10.1.0.1 5000 10.1.0.2 53 len=20 vxlan=43
	1.2 udp 10.1.0.1 5000 10.1.0.2 53 len=20 vxlan=42
	1.3 udp 10.1.0.1 5000 10.1.0.2 53 len=20 gre=9
	EOF
	run "$FP_BIN/pcap-flows" -r "$T/two.pcap" -o srcaddr,dstaddr,dpkts,doctets,tunnel_id
	assert_success
	assert_line '4,192,10.1.0.1,10.1.0.2,42'
	run "$FP_BIN/pcap-flows" -r "$T/two.pcap" -T tunnel -o srcaddr,dstaddr,dpkts,doctets,tunnel_id
	assert_success
	assert_line '2,96,10.1.0.1,10.1.0.2,42'
	assert_line '1,48,10.1.0.1,10.1.0.2,43'
	assert_line '1,48,10.1.0.1,10.1.0.2,9'
	run "$FP_BIN/pcap-flows" -r "$T/two.pcap" --tunnels outer -o srcaddr,dstaddr,prot,dpkts
	assert_success
	assert_line '3,192.0.2.100,192.0.2.200,17'
	assert_line '1,192.0.2.100,192.0.2.200,47'
}

@test "tunnel_id is a field of the line format: read and written back unchanged" {
	printf '#:srcaddr,dstaddr,tunnel_id\n10.0.0.1,10.0.0.2,16777215\n10.0.0.2,10.0.0.1,0\n' > "$T/in"
	run "$FP_BIN/flowcat" -o srcaddr,dstaddr,tunnel_id "$T/in"
	assert_success
	assert_output "$(cat "$T/in")"
	# the 24 default fields leave it out; 2^32 is too big for it
	run "$FP_BIN/flowcat" "$T/in"
	assert_success
	refute_output --partial tunnel_id
	printf '#:tunnel_id\n4294967296\n' > "$T/big"
	run "$FP_BIN/flowcat" -o tunnel_id "$T/big"
	assert_failure 1
	assert_output --partial "tunnel_id: '4294967296' is not a number from 0 to 4294967295"
}
