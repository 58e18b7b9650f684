#!/usr/bin/env python3
"""tcp-exchange: requests and answers of known bytes over TCP, for pcap-sessions' tests.

  tcp-exchange.py server ADDR PORT OUTDIR CONNECTIONS
  tcp-exchange.py client ADDR PORT OUTDIR SIZES [SIZES ...]

Each SIZES argument is one connection: REQ:ANS[,REQ:ANS...] byte counts.
A request starts with its own length and the answer's length (4 bytes
each, big-endian), then pattern bytes; the server reads it whole and sends
the answer. The client waits for each answer before the next request, so
every message is one monologue. Each side writes what it sent to
OUTDIR/<conn>.<n>.<c|s> (conn from 1, n the monologue number from 1).
The client closes first; the server closes on end of file.
"""
import random
import socket
import struct
import sys
import time


def pattern(side, conn, n, size):
    return random.Random(f"{side}{conn}.{n}").randbytes(size)


def recv_exact(s, n):
    d = bytearray()
    while len(d) < n:
        x = s.recv(min(65536, n - len(d)))
        if not x:
            raise EOFError
        d += x
    return bytes(d)


def save(outdir, conn, n, side, data):
    with open(f"{outdir}/{conn}.{n}.{side}", "wb") as f:
        f.write(data)


def server(addr, port, outdir, conns):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    ls = socket.socket(fam, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    for _ in range(50):  # a fresh address may not be usable at once
        try:
            ls.bind((addr, port))
            break
        except OSError:
            time.sleep(0.1)
    ls.listen(8)
    ls.settimeout(20)
    for conn in range(1, conns + 1):
        c, _ = ls.accept()
        n = 1
        try:
            while True:
                head = recv_exact(c, 8)
                total, ans = struct.unpack(">II", head)
                recv_exact(c, total - 8)
                body = pattern("s", conn, n + 1, ans)
                c.sendall(body)
                save(outdir, conn, n + 1, "s", body)
                n += 2
        except EOFError:
            pass
        c.close()


def client(addr, port, outdir, specs):
    for conn, spec in enumerate(specs, 1):
        for _ in range(50):
            try:
                c = socket.create_connection((addr, port), timeout=20)
                break
            except OSError:
                time.sleep(0.1)
        n = 1
        for pair in spec.split(","):
            req, ans = (int(x) for x in pair.split(":"))
            body = struct.pack(">II", req, ans) + pattern("c", conn, n, req - 8)
            c.sendall(body)
            save(outdir, conn, n, "c", body)
            recv_exact(c, ans)
            n += 2
        c.shutdown(socket.SHUT_WR)
        while c.recv(65536):
            pass
        c.close()


def main():
    mode, addr, port, outdir = sys.argv[1:5]
    if mode == "server":
        server(addr, int(port), outdir, int(sys.argv[5]))
    else:
        client(addr, int(port), outdir, sys.argv[5:])


if __name__ == "__main__":
    main()
