#!/usr/bin/env python3
"""tcpcap: TCP captures crafted or altered on purpose, for pcap-sessions' tests.

  tcpcap.py craft -o OUT.pcap [--sent DIR] [--isn-c N] [--isn-s N] [--mss N]
        [--v6] [--port P] [--close fin|simul|rst|none] [--syn-retrans] [--tfo N]
        [--synack-data N] [--skip N] [--again] MSGS
      One session (two with --again: the same ports reused after the first
      ended) on Ethernet: handshake, MSGS = comma-separated sizes, the
      client's and the server's in turn, each cut into MSS segments and
      acknowledged, then the close. Pattern bytes; with --sent each message
      goes to DIR/<session>.<n>.<c|s> (session from 1, n the monologue).
      --tfo N: the SYN carries the first N bytes of the first message;
      --synack-data N: the SYN/ACK the first N of the second (with --tfo,
      give the whole first message to the SYN, or the monologues interleave);
      --skip N: before the messages the client sends N bytes in segments
      cut to their headers (not captured; the server acknowledges them).

  tcpcap.py mangle IN.pcap OUT.pcap OP...
      Alters a classic pcap of Ethernet/IPv4/IPv6 TCP and prints, one line
      each, what a reassembler must then report: "gap DIR OFFSET LENGTH",
      "conflict DIR OFFSET LENGTH", "dup DIR OFFSET LENGTH". DIR is c (the
      SYN's sender) or s; K counts that side's data segments from 1; offsets
      are stream offsets (0: the byte after the SYN). OPs:
        drop:DIR:K        the segment is lost (a gap)
        dup:DIR:K         sent twice
        late:DIR:K:M      moved after that side's data segment K+M (reordered);
                          the other side's bare ACKs between go (an ACK
                          past a hole makes it a gap), its data must not be there
        tail:DIR:K:A      a copy of its bytes from A on, right after it
        flip:DIR:K:A:B    a copy with bytes A..B-1 inverted, right after it
        cut:DIR:K:N       its last N bytes not captured (snapshot length)
        head:N            the first N frames dropped (join mid-stream)
        frag:MTU[:rev]    every IP packet longer than MTU bytes sent as IP
                          fragments (IPv6: a fragment header), rev: last first;
                          nothing to report, the sessions are as before
"""
import argparse
import random
import struct
import sys

from inetsum import csum

MAC_C = b"\x02\x00\x00\x00\x00\x01"
MAC_S = b"\x02\x00\x00\x00\x00\x02"
F_FIN, F_SYN, F_RST, F_PSH, F_ACK = 1, 2, 4, 8, 16


class Endpoints:
    def __init__(self, v6, cport, sport):
        self.v6 = v6
        if v6:
            self.addr = (bytes.fromhex("fd770000000000000000000000000001"),
                         bytes.fromhex("fd770000000000000000000000000002"))
        else:
            self.addr = (bytes([10, 77, 0, 1]), bytes([10, 77, 0, 2]))
        self.port = (cport, sport)

    def frame(self, frm, seq, ack, flags, payload=b"", win=65535, ghost=0):
        """A frame; ghost: payload bytes sent but not captured (no checksum then)."""
        src, dst = self.addr[frm], self.addr[1 - frm]
        tcp = struct.pack("!HHIIBBHHH", self.port[frm], self.port[1 - frm], seq & 0xFFFFFFFF,
                          ack & 0xFFFFFFFF, 5 << 4, flags, win, 0, 0) + payload
        if self.v6:
            pseudo = src + dst + struct.pack("!IxxxB", len(tcp), 6)
        else:
            pseudo = src + dst + struct.pack("!xBH", 6, len(tcp))
        c = 0 if ghost else csum(pseudo + tcp)
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        tlen = len(tcp) + ghost
        if self.v6:
            ip = struct.pack("!IHBB", 6 << 28, tlen, 6, 64) + src + dst
            etype = 0x86DD
        else:
            ip = struct.pack("!BBHHHBBH", 0x45, 0, 20 + tlen, 1, 0, 64, 6, 0) + src + dst
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            etype = 0x0800
        macs = (MAC_S + MAC_C) if frm == 0 else (MAC_C + MAC_S)
        return macs + struct.pack("!H", etype) + ip + tcp


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for ts, data, wirelen in frames:
            f.write(struct.pack("<IIII", int(ts), int(round((ts % 1) * 1e6)) % 1000000,
                                len(data), wirelen or len(data)))
            f.write(data)


def read_pcap(path):
    with open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack("<I", raw[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
    link = struct.unpack(end + "I", raw[20:24])[0]
    if link != 1:
        sys.exit("tcpcap: only Ethernet captures")
    frames, pos = [], 24
    while pos + 16 <= len(raw):
        s, us, cap, wire = struct.unpack(end + "IIII", raw[pos:pos + 16])
        frames.append([s + us / (1e9 if nano else 1e6), raw[pos + 16:pos + 16 + cap], wire])
        pos += 16 + cap
    return frames


def craft_session(ep, a, t, sess, frames):
    """Appends one session's frames; returns the time after it."""
    rnd = lambda side, n, size: random.Random(f"{sess}{side}{n}").randbytes(size)
    isn = [a.isn_c + sess - 1, a.isn_s + sess - 1]
    nxt = [isn[0] + 1, isn[1] + 1]
    sizes = [int(x) for x in a.msgs.split(",") if x]
    msgs = [rnd("cs"[i % 2], i + 1, n) for i, n in enumerate(sizes)]

    def out(frm, seq, ack, flags, payload=b""):
        nonlocal t
        t += 0.001
        frames.append((t, ep.frame(frm, seq, ack, flags, payload), 0))

    tfo = msgs[0][:a.tfo] if a.tfo else b""
    for _ in range(2 if a.syn_retrans else 1):
        out(0, isn[0], 0, F_SYN, tfo)
    nxt[0] += len(tfo)
    sadata = msgs[1][:a.synack_data] if a.synack_data else b""
    out(1, isn[1], nxt[0], F_SYN | F_ACK, sadata)
    nxt[1] += len(sadata)
    out(0, nxt[0], nxt[1], F_ACK)
    for k, o in enumerate(range(0, a.skip, 65000)):	# sent, not captured
        n = min(65000, a.skip - o)
        t += 0.00001
        frames.append((t, ep.frame(0, nxt[0], nxt[1], F_ACK, b"", ghost=n), 0))
        frames[-1] = (t, frames[-1][1], len(frames[-1][1]) + n)
        nxt[0] += n
        if k % 16 == 15 or o + n >= a.skip:
            out(1, nxt[1], nxt[0], F_ACK)
    for i, m in enumerate(msgs):
        frm = i % 2
        if a.sent:
            with open(f"{a.sent}/{sess}.{i + 1}.{'cs'[frm]}", "wb") as f:
                f.write(m)
        body = m[len(tfo):] if i == 0 else m[len(sadata):] if i == 1 else m
        for o in range(0, len(body), a.mss):
            seg = body[o:o + a.mss]
            out(frm, nxt[frm], nxt[1 - frm], F_ACK | F_PSH, seg)
            nxt[frm] += len(seg)
            out(1 - frm, nxt[1 - frm], nxt[frm], F_ACK)
        if a.close == "rst" and i == len(msgs) // 2:
            out(0, nxt[0], nxt[1], F_RST | F_ACK)
            return t
    if a.close == "fin":
        out(0, nxt[0], nxt[1], F_FIN | F_ACK)
        out(1, nxt[1], nxt[0] + 1, F_FIN | F_ACK)
        out(0, nxt[0] + 1, nxt[1] + 1, F_ACK)
    elif a.close == "simul":
        out(0, nxt[0], nxt[1], F_FIN | F_ACK)
        out(1, nxt[1], nxt[0], F_FIN | F_ACK)
        out(0, nxt[0] + 1, nxt[1] + 1, F_ACK)
        out(1, nxt[1] + 1, nxt[0] + 1, F_ACK)
    elif a.close == "rst":
        out(0, nxt[0], nxt[1], F_RST | F_ACK)
    return t


def craft(a):
    ep = Endpoints(a.v6, 40000, a.port)
    frames = []
    t = craft_session(ep, a, 1700000000.0, 1, frames)
    if a.again:
        craft_session(ep, a, t + 1, 2, frames)
    write_pcap(a.o, frames)


def parse_tcp(data):
    """(dir key, seq, flags, payload offset, payload length) of an Ethernet TCP frame, or None."""
    etype = struct.unpack("!H", data[12:14])[0]
    if (etype == 0x0800 and data[23] != 6) or (etype == 0x86DD and data[20] != 6) or \
            etype not in (0x0800, 0x86DD):
        return None
    if etype == 0x0800:
        ihl = (data[14] & 15) * 4
        total = struct.unpack("!H", data[16:18])[0]
        src, dst, l4 = data[26:30], data[30:34], 14 + ihl
        end = 14 + total
    else:
        plen = struct.unpack("!H", data[18:20])[0]
        src, dst, l4 = data[22:38], data[38:54], 54
        end = 54 + plen
    sport, dport, seq = struct.unpack("!HHI", data[l4:l4 + 8])
    doff = (data[l4 + 12] >> 4) * 4
    flags = data[l4 + 13]
    return (src, sport, dst, dport), seq, flags, l4 + doff, end - l4 - doff


def seg_of(frames, base, want_dir, k):
    """Index of the K-th data segment of direction want_dir, and its stream offset."""
    n = 0
    for i, (_, data, _) in enumerate(frames):
        if parse_tcp(data) is None:
            continue
        key, seq, flags, po, plen = parse_tcp(data)
        if plen and base.get(key) is not None and base[key][1] == want_dir:
            n += 1
            if n == k:
                return i, (seq - base[key][0]) % (1 << 32), po, plen
    sys.exit(f"tcpcap: no data segment {want_dir}:{k}")


def bases(frames):
    """Stream offset 0 per direction key, and its name (c: the SYN's sender)."""
    b = {}
    for _, data, _ in frames:
        if parse_tcp(data) is None:
            continue
        key, seq, flags, po, plen = parse_tcp(data)
        if flags & F_SYN and key not in b:
            rev = (key[2], key[3], key[0], key[1])
            b[key] = (seq + 1, "s" if flags & F_ACK else "c")
            if rev in b and b[rev][1] == b[key][1]:
                sys.exit("tcpcap: confused handshake")
    return b


def late(frames, base, d, k, m):
    i = seg_of(frames, base, d, k)[0]
    j = seg_of(frames, base, d, k + m)[0]
    keep = []
    for f in frames[i + 1:j + 1]:
        key, seq, flags, po, plen = parse_tcp(f[1])
        mine = base.get(key) is not None and base[key][1] == d
        if not mine and plen:
            sys.exit("tcpcap: late: the other side sends data in between")
        if mine or flags & (F_SYN | F_FIN | F_RST):
            keep.append(f)
    return frames[:i] + keep + [frames[i]] + frames[j + 1:]


def mangle(inp, outp, ops):
    frames = read_pcap(inp)
    for f in frames:
        if f[2] == 0:
            f[2] = len(f[1])
    base = bases(frames)
    for op in ops:
        w = op.split(":")
        if w[0] == "head":
            frames = frames[int(w[1]):]
            continue
        if w[0] == "frag":
            frames = [g for f in frames for g in fragment(f, int(w[1]), w[2:] == ["rev"])]
            continue
        i, off, po, plen = seg_of(frames, base, w[1], int(w[2]))
        ts, data, wire = frames[i]
        if w[0] == "drop":
            del frames[i]
            print(f"gap {w[1]} {off} {plen}")
        elif w[0] == "dup":
            frames.insert(i + 1, [ts, data, wire])
            print(f"dup {w[1]} {off} {plen}")
        elif w[0] == "late":
            frames = late(frames, base, w[1], int(w[2]), int(w[3]))
        elif w[0] == "tail":
            a = int(w[3])
            frames.insert(i + 1, [ts, retcp(data, po, a, plen, None), 0])
            print(f"dup {w[1]} {off + a} {plen - a}")
        elif w[0] == "flip":
            a, b = int(w[3]), int(w[4])
            frames.insert(i + 1, [ts, retcp(data, po, 0, plen, (a, b)), 0])
            print(f"conflict {w[1]} {off + a} {b - a}")
            print(f"dup {w[1]} {off} {a}")
            print(f"dup {w[1]} {off + b} {plen - b}")
        elif w[0] == "cut":
            n = int(w[3])
            frames[i] = [ts, data[:po + plen - n], wire]
            print(f"gap {w[1]} {off + plen - n} {n}")
        else:
            sys.exit(f"tcpcap: unknown op {op}")
    write_pcap(outp, [(t, d, w if w else len(d)) for t, d, w in frames])


def fragment(f, mtu, rev):
    """Frame f as IP fragments of at most mtu bytes of IP each (or as it is)."""
    ts, data, wire = f
    etype = struct.unpack("!H", data[12:14])[0]
    if etype == 0x0800:
        ihl = (data[14] & 15) * 4
        head, body = bytearray(data[14:14 + ihl]), data[14 + ihl:]
        step = (mtu - ihl) // 8 * 8
    elif etype == 0x86DD:
        head, body = bytearray(data[14:54]), data[54:]
        step = (mtu - 48) // 8 * 8
    else:
        return [f]
    if 14 + len(head) + len(body) <= 14 + mtu or len(data) != wire:
        return [f]
    out = []
    for off in range(0, len(body), step):
        part, more = body[off:off + step], off + step < len(body)
        if etype == 0x0800:
            h = bytearray(head)
            h[2:4] = struct.pack("!H", ihl + len(part))
            h[6:8] = struct.pack("!H", (0x2000 if more else 0) | off // 8)
            h[10:12] = b"\0\0"
            h[10:12] = struct.pack("!H", csum(bytes(h)))
            ip = bytes(h) + part
        else:
            h = bytearray(head)
            h[4:6] = struct.pack("!H", 8 + len(part))
            nh, h[6] = h[6], 44
            ip = bytes(h) + struct.pack("!BBHI", nh, 0, off | more, 0x1234) + part
        out.append([ts, data[:14] + ip, 14 + len(ip)])
    return out[::-1] if rev else out


def retcp(data, po, a, plen, flip):
    """The frame again with payload bytes from a on (IP length and seq fixed), some inverted."""
    pay = bytearray(data[po + a:po + plen])
    if flip:
        for j in range(flip[0], flip[1]):
            pay[j] ^= 0xFF
    etype = struct.unpack("!H", data[12:14])[0]
    l4 = 14 + (data[14] & 15) * 4 if etype == 0x0800 else 54
    hdr = bytearray(data[:po])
    seq = struct.unpack("!I", hdr[l4 + 4:l4 + 8])[0]
    hdr[l4 + 4:l4 + 8] = struct.pack("!I", (seq + a) & 0xFFFFFFFF)
    if etype == 0x0800:
        hdr[16:18] = struct.pack("!H", po - 14 + len(pay))
    else:
        hdr[18:20] = struct.pack("!H", po - 54 + len(pay))
    return bytes(hdr) + bytes(pay)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "mangle":
        mangle(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["craft"])
    p.add_argument("-o", required=True)
    p.add_argument("--sent")
    p.add_argument("--isn-c", type=int, default=1000)
    p.add_argument("--isn-s", type=int, default=500000)
    p.add_argument("--mss", type=int, default=1000)
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--v6", action="store_true")
    p.add_argument("--close", default="fin", choices=["fin", "simul", "rst", "none"])
    p.add_argument("--syn-retrans", action="store_true")
    p.add_argument("--tfo", type=int, default=0)
    p.add_argument("--synack-data", type=int, default=0)
    p.add_argument("--again", action="store_true")
    p.add_argument("--skip", type=int, default=0)
    p.add_argument("msgs")
    craft(p.parse_args())


if __name__ == "__main__":
    main()
