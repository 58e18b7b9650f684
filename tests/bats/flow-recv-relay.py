#!/usr/bin/env python3
"""Test aid for flow-recv.bats: a UDP relay on loopback that drops datagrams.

  flow-recv-relay.py LISTEN_PORT TO_PORT DROP_EVERY REPORT_FILE [TO_PORT2]
      forwards every datagram to 127.0.0.1:TO_PORT (and TO_PORT2) from one
      socket (so all senders look like one exporter), except every
      DROP_EVERY-th (0: none).
      On SIGTERM, or 3 s without traffic, writes to REPORT_FILE the
      datagrams relayed and dropped and the sequence units the dropped
      ones held, measured on the wire: the next forwarded datagram's
      sequence number minus the dropped one's (v5 counts flows, v9
      datagrams, IPFIX data records), mod 2^32.
"""
import signal
import socket
import struct
import sys

listen, to, every, report = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
to2 = int(sys.argv[5]) if len(sys.argv) > 5 else 0
SEQ_AT = {5: 16, 9: 12, 10: 8}
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
rx.bind(("127.0.0.1", listen))
rx.settimeout(3)
n = relayed = dropped = units = 0
pending = None		# sequence number of the last dropped datagram


def seq(d):
    v = struct.unpack("!H", d[:2])[0]
    return struct.unpack("!I", d[SEQ_AT[v]:SEQ_AT[v] + 4])[0]


def done(*_):
    with open(report, "w") as f:
        f.write("relayed %d dropped %d units %d\n" % (relayed, dropped, units))
    sys.exit(0)


signal.signal(signal.SIGTERM, done)
open(report + ".ready", "w").close()
while True:
    try:
        d = rx.recv(65535)
    except socket.timeout:
        done()
    n += 1
    if every and n % every == 0:
        dropped += 1
        pending = seq(d)
        continue
    if pending is not None:
        units += (seq(d) - pending) % 2 ** 32
        pending = None
    rx.sendto(d, ("127.0.0.1", to))	# from LISTEN_PORT: one exporter address and port
    if to2:
        rx.sendto(d, ("127.0.0.1", to2))
    relayed += 1
