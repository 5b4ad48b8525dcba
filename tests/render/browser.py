"""Headless Chromium from the system packages, driven from the command line.

Debian packages `chromium` (the browser) is all the HTML tests need: `--screenshot`
and `--dump-dom` with a virtual time budget run the page's script to completion and
write what it shows. No browser is downloaded and no driver is used. As root,
Chromium needs --no-sandbox; every run gets a fresh profile and no network services.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib

import pytest

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         "--virtual-time-budget=4000"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("the HTML tests need headless Chromium: apt-get install -y chromium")
    return found


def run(url: str, *options: str) -> bytes:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *options, url],
                              capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout


def screenshot(url: str, path: str, width: int = 1000, height: int = 700) -> "Pixels":
    run(url, f"--screenshot={path}", f"--window-size={width},{height}")
    with open(path, "rb") as stream:
        return Pixels(stream.read())


def dump_dom(url: str) -> str:
    return run(url, "--dump-dom").decode("utf-8")


class Pixels:
    """The pixels of an 8-bit RGB or RGBA PNG (what Chromium writes), decoded here so
    that the tests need no imaging library."""

    def __init__(self, data: bytes):
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        position, chunks = 8, []
        while position < len(data):
            length, kind = struct.unpack(">I4s", data[position:position + 8])
            body = data[position + 8:position + 8 + length]
            if kind == b"IHDR":
                self.width, self.height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
                assert depth == 8 and color in (2, 6) and interlace == 0, (depth, color, interlace)
                self.channels = 3 if color == 2 else 4
            elif kind == b"IDAT":
                chunks.append(body)
            position += 12 + length
        raw = zlib.decompress(b"".join(chunks))
        stride = self.width * self.channels
        self.rows: list[bytes] = []
        previous = bytearray(stride)
        for y in range(self.height):
            start = y * (stride + 1)
            kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
            self._unfilter(kind, line, previous)
            self.rows.append(bytes(line))
            previous = line

    def _unfilter(self, kind: int, line: bytearray, previous: bytearray) -> None:
        step = self.channels
        if kind == 1:
            for i in range(step, len(line)):
                line[i] = (line[i] + line[i - step]) & 255
        elif kind == 2:
            for i in range(len(line)):
                line[i] = (line[i] + previous[i]) & 255
        elif kind == 3:
            for i in range(len(line)):
                left = line[i - step] if i >= step else 0
                line[i] = (line[i] + (left + previous[i]) // 2) & 255
        elif kind == 4:
            for i in range(len(line)):
                a = line[i - step] if i >= step else 0
                b, c = previous[i], previous[i - step] if i >= step else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        offset = x * self.channels
        return tuple(self.rows[y][offset:offset + 3])

    def share_not_white(self, x0: int, y0: int, x1: int, y1: int, step: int = 3) -> float:
        """The share of sampled pixels in the box that are not (near) white."""
        total = marked = 0
        for y in range(y0, y1, step):
            for x in range(x0, x1, step):
                total += 1
                marked += min(self.pixel(x, y)) < 235
        return marked / max(total, 1)

    def count_color(self, color: tuple[int, int, int], tolerance: int = 30, step: int = 2) -> int:
        return sum(1 for y in range(0, self.height, step) for x in range(0, self.width, step)
                   if all(abs(a - b) <= tolerance for a, b in zip(self.pixel(x, y), color)))
