#!/usr/bin/env python3
"""tun-encap: a tunnel endpoint in user space, for kernels without the link type.

  tun-encap.py KIND LOCAL REMOTE ADDRESS/LEN

KIND is one of
  gretap  Ethernet over GRE (protocol 0x6558) with a checksum and key 7
  gre     IPv4 over GRE with sequence numbers
  geneve  Ethernet over Geneve (UDP 6081), VNI 77

the same tunnels scripts/tunnel-netns asks the kernel for. It makes the
device tun0 (TAP for Ethernet payloads, TUN for IP), gives it ADDRESS and
brings it up, then carries what the kernel routes into tun0 to REMOTE
inside the tunnel header, and what comes from REMOTE back into tun0. The
outer IP header is the kernel's (a raw GRE socket or a UDP socket), so a
capture on the underlay holds what a kernel tunnel would send. Runs until
killed.
"""
import fcntl
import os
import select
import socket
import struct
import subprocess
import sys

from inetsum import csum

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_TAP, IFF_NO_PI = 0x0001, 0x0002, 0x1000
GRE_C, GRE_K, GRE_S = 0x8000, 0x2000, 0x1000
ETH_BRIDGING, ETH_IPV4 = 0x6558, 0x0800
GRE_KEY, GENEVE_VNI, GENEVE_PORT = 7, 77, 6081


def open_tun(tap):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    flags = (IFF_TAP if tap else IFF_TUN) | IFF_NO_PI
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", b"tun0", flags))
    return fd


class Gre:
    """GRE (RFC 2784/2890) over a raw IP socket: the kernel adds the IP header."""

    def __init__(self, kind, local, remote):
        self.kind, self.remote, self.seq = kind, remote, 0
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
        self.sock.bind((local, 0))

    def wrap(self, inner):
        if self.kind == "gretap":
            head = struct.pack("!HHHHI", GRE_C | GRE_K, ETH_BRIDGING, 0, 0, GRE_KEY)
            head = head[:4] + struct.pack("!H", csum(head + inner)) + head[6:]
            return head + inner
        self.seq += 1
        return struct.pack("!HHI", GRE_S, ETH_IPV4, self.seq) + inner

    def send(self, inner):
        self.sock.sendto(self.wrap(inner), (self.remote, 0))

    def receive(self):
        pkt = self.sock.recv(65535)
        gre = pkt[(pkt[0] & 0x0F) * 4:]
        flags = struct.unpack("!H", gre[:2])[0]
        off = 4 + 4 * sum(1 for bit in (GRE_C, GRE_K, GRE_S) if flags & bit)
        return gre[off:]


class Geneve:
    """Geneve (RFC 8926) over UDP, no options."""

    def __init__(self, local, remote):
        self.remote = remote
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((local, GENEVE_PORT))

    def send(self, inner):
        head = struct.pack("!BBHI", 0, 0, ETH_BRIDGING, GENEVE_VNI << 8)
        self.sock.sendto(head + inner, (self.remote, GENEVE_PORT))

    def receive(self):
        d = self.sock.recv(65535)
        return d[8 + (d[0] & 0x3F) * 4:]


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in ("gretap", "gre", "geneve"):
        sys.exit(__doc__)
    kind, local, remote, addr = sys.argv[1:]
    fd = open_tun(kind != "gre")
    tunnel = Geneve(local, remote) if kind == "geneve" else Gre(kind, local, remote)
    for cmd in (["addr", "add", addr, "dev", "tun0"], ["link", "set", "tun0", "mtu", "1400", "up"]):
        subprocess.run(["ip"] + cmd, check=True)
    while True:
        ready, _, _ = select.select([fd, tunnel.sock], [], [])
        if fd in ready:
            tunnel.send(os.read(fd, 65535))
        if tunnel.sock in ready:
            inner = tunnel.receive()
            if inner:
                os.write(fd, inner)


if __name__ == "__main__":
    main()
