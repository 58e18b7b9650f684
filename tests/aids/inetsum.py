"""The Internet checksum (RFC 1071), for the test aids that build headers."""
import struct


def csum(data):
    """The ones' complement of the ones' complement sum of data's 16-bit words."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF
