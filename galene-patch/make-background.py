#!/usr/bin/env python3
"""Draws background.png, the image the Galene patch's "Replace background"
filter puts behind the person: a soft diagonal gradient from teal to indigo with a
faint pattern of large circles, 640x360. Python's standard library only.

    python3 galene-patch/make-background.py galene-patch/background.png
"""

import math
import struct
import sys
import zlib

WIDTH, HEIGHT = 640, 360
TOP_LEFT = (32, 128, 140)  # teal
BOTTOM_RIGHT = (52, 48, 120)  # indigo


def pixel(x: int, y: int) -> tuple[int, int, int]:
    t = (x / (WIDTH - 1) + y / (HEIGHT - 1)) / 2
    base = [a + (b - a) * t for a, b in zip(TOP_LEFT, BOTTOM_RIGHT)]
    # Large soft rings, lighter by at most 12 levels.
    ring = 0.5 + 0.5 * math.cos(math.hypot(x - WIDTH * 0.7, y - HEIGHT * 0.3) / 28)
    return tuple(min(255, round(c + 12 * ring)) for c in base)


def png(width: int, height: int) -> bytes:
    rows = bytearray()
    for y in range(height):
        rows.append(1)  # filter type Sub: each byte minus the one to its left
        previous = (0, 0, 0)
        for x in range(width):
            current = pixel(x, y)
            rows.extend((c - p) & 0xFF for c, p in zip(current, previous))
            previous = current

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b""))


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: make-background.py OUTPUT.png")
    with open(sys.argv[1], "wb") as f:
        f.write(png(WIDTH, HEIGHT))


if __name__ == "__main__":
    main()
