#!/usr/bin/env python3
"""Test aid for flow-recv.bats: NetFlow datagram files against tshark.

  flow-recv-cflow.py wrap OUT.pcap GROUP...   a GROUP is files joined by ','
      each group's datagrams (v5 files split by record count, IPFIX by
      message length) as UDP packets from exporter 192.0.2.N (N the
      group's number from 1), port 9995, to 192.0.2.254 port 2055
  flow-recv-cflow.py compare X.pcap LINES GROUP...
      flow-recv's lines of each exporter against the values tshark shows
      for its packets (cflow fields), record by record; prints one line a
      group: its records and the fields compared, or where they differ.
      ICMP records' ports are not compared: flow-recv writes type*256+code
      in dstport and 0 in srcport (the NetFlow convention), tshark the raw fields.
"""
import datetime
import ipaddress
import struct
import subprocess
import sys

FIELDS = [("srcaddr", "cflow.srcaddr", "cflow.srcaddrv6"), ("dstaddr", "cflow.dstaddr", "cflow.dstaddrv6"),
          ("nexthop", "cflow.nexthop", "cflow.nexthopv6"),
          ("srcport", "cflow.srcport"), ("dstport", "cflow.dstport"), ("prot", "cflow.protocol"),
          ("dpkts", "cflow.packets"), ("doctets", "cflow.octets"), ("input", "cflow.inputint"),
          ("output", "cflow.outputint"), ("tos", "cflow.tos"), ("tcp_flags", "cflow.tcpflags"),
          ("src_as", "cflow.srcas"), ("dst_as", "cflow.dstas"),
          ("first", "cflow.timestart"), ("last", "cflow.timeend"),	# v5/v9 uptimes
          ("first_abs", "cflow.abstimestart"), ("last_abs", "cflow.abstimeend")]	# IPFIX


def abs_ms(r, which):
    """A record's first or last packet in ms since 1970 (DESIGN.md: export time minus uptime difference)."""
    e = int(r["unix_secs"]) * 1000 + int(r["unix_nsecs"]) // 1000000
    return e - ((int(r["sysuptime"]) - int(r[which])) % 2 ** 32)


def tshark_ms(v):
    """tshark's absolute time text, "Oct 25, 2018 12:24:19.882000000 UTC", in ms."""
    d, frac = v.rsplit(" ", 1)[0].split(".")
    t = datetime.datetime.strptime(d, "%b %d, %Y %H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp()) * 1000 + int(frac[:3])


def split(d):
    out = []
    while d:
        v = struct.unpack("!H", d[:2])[0] if len(d) >= 2 else 0
        n = len(d)
        if v == 5 and len(d) >= 4:
            n = 24 + 48 * struct.unpack("!H", d[2:4])[0]
        elif v == 10 and len(d) >= 4:
            n = struct.unpack("!H", d[2:4])[0]
        n = n if 0 < n <= len(d) else len(d)
        out.append(d[:n])
        d = d[n:]
    return out


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def wrap(out, groups):
    f = open(out, "wb")
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))	# LINKTYPE_RAW
    k = 0
    for g, files in enumerate(groups, 1):
        for d in [x for name in files.split(",") for x in split(open(name, "rb").read())]:
            udp = struct.pack("!HHHH", 9995, 2055, 8 + len(d), 0) + d
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), k & 0xFFFF, 0, 64, 17, 0,
                             bytes([192, 0, 2, g]), bytes([192, 0, 2, 254]))
            ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
            f.write(struct.pack("<IIII", 1700000000 + k, 0, len(ip + udp), len(ip + udp)) + ip + udp)
            k += 1


def norm(name, v):
    if name in ("first", "last"):
        return round(float(v) * 1000) if "." in v else int(v)
    if name.endswith("addr") or name == "nexthop":
        return ipaddress.ip_address(v)
    return int(v, 0)


def tshark_rows(pcap):
    cols = ["ip.src"] + [c for f in FIELDS for c in f[1:]]
    cmd = ["tshark", "-r", pcap, "-d", "udp.port==2055,cflow", "-T", "fields", "-E", "aggregator=|"]
    for c in cols:
        cmd += ["-e", c]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    per = {}
    for line in out.splitlines():
        cells = line.split("\t")
        vals = {c: [v for v in cell.split("|") if v != ""] for c, cell in zip(cols, cells)}
        acc = per.setdefault(vals["ip.src"][0], {c: [] for c in cols[1:]})
        for c in cols[1:]:
            acc[c] += vals[c]
    return per


def addr_values(recs, name, v4, v6):
    """One address a record: tshark lists IPv4 and IPv6 fields apart."""
    if len(v4) == len(recs) == len(v6):	# both in every record: the one not all zero
        return [a if ipaddress.ip_address(a).packed != bytes(4) else b for a, b in zip(v4, v6)]
    vals, i4, i6 = [], 0, 0
    for r in recs:
        if ":" in r[name] and i6 < len(v6):
            vals.append(v6[i6])
            i6 += 1
        elif i4 < len(v4):
            vals.append(v4[i4])
            i4 += 1
    return vals if i4 == len(v4) and i6 == len(v6) else []


def compare(pcap, lines, groups):
    recs, names = {}, []
    for line in open(lines):
        line = line.strip()
        if line.startswith("#:"):
            names = line[2:].split(",")
        elif line and not line.startswith("#"):
            r = dict(zip(names, line.split(",")))
            recs.setdefault(r["exaddr"], []).append(r)
    ts = tshark_rows(pcap)
    bad = 0
    for g, files in enumerate(groups, 1):
        ex = "192.0.2.%d" % g
        rs, t = recs.get(ex, []), ts.get(ex, {})
        done = []
        for f in FIELDS:
            vals = t.get(f[1], []) if len(f) == 2 else addr_values(rs, f[0], t.get(f[1], []), t.get(f[2], []))
            if f[0] in ("first", "last") and files.startswith("ipfix"):
                continue	# IPFIX uptimes: tshark shows them raw, flow-recv from systemInitTime
            if f[0].endswith("_abs") and (not files.startswith("ipfix") or
                                          any(v.startswith("Jan  1, 1970") for v in vals)):
                continue	# v9 absolute times are uptimes; 1970: the record had none
            if not rs or len(vals) != len(rs):
                continue	# not in every record: tshark's list cannot be matched to records
            for i, (r, v) in enumerate(zip(rs, vals)):
                if f[0] in ("srcport", "dstport") and r["prot"] in ("1", "58"):
                    continue
                if f[0].endswith("_abs"):
                    mine, theirs = abs_ms(r, f[0][:-4]), tshark_ms(v)
                else:
                    mine, theirs = norm(f[0], r[f[0]]), norm(f[0], v)
                if mine != theirs:
                    print("%s: record %d: %s is %s, tshark says %s" % (files, i + 1, f[0], mine, v))
                    bad += 1
                    break
            done.append(f[0])
        print("%s: %d records: %s" % (files, len(rs), " ".join(done)))
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1] == "wrap":
        wrap(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3], sys.argv[4:]))
