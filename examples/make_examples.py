#!/usr/bin/env python3
"""Writes the example images in this directory (standard library only): tiny
ones for tests, and one 640x400 card for `--annotate` pictures.

Run from anywhere: `python3 examples/make_examples.py`. The output is committed;
rerunning gives byte-identical files.

The emulator (`ocrwire::emulator`) decides what it "recognizes" from markers
embedded in the image bytes (a PNG `tEXt` chunk or a JPEG `COM` segment):

    ocrwire:resident  ocrwire:driver  ocrwire:passport  ocrwire:alien
    ocrwire:failure   ocrwire:error

See `src/emulator/mod.rs` for what each marker does. Images without a marker
are read as the endpoint's default document (a resident card for ID cards).
"""

import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------- PNG ----

def png_chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(width, height, pixel, marker=None):
    """An 8-bit RGB PNG; `pixel(x, y)` gives an (r, g, b) tuple."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))
    out = b"\x89PNG\r\n\x1a\n"
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if marker:
        out += png_chunk(b"tEXt", b"Comment\x00" + marker.encode("ascii"))
    out += png_chunk(b"IDAT", zlib.compress(bytes(rows), 9))
    out += png_chunk(b"IEND", b"")
    return out


def card_pixels(base, stripe):
    """A card-like picture: a coloured field, a dark band and a few 'text' rows."""

    def pixel(x, y):
        if 6 <= y < 12:
            return stripe
        if y in (30, 31, 38, 39) and 8 <= x < 70:
            return (40, 40, 40)
        return base

    return pixel


# 5x7 digits and '/', for the larger card's printed number.
GLYPHS = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "/": ["00001", "00010", "00010", "00100", "01000", "01000", "10000"],
}


def card_scan_pixels():
    """A 640x400 card: a blue gradient, a chip, the number in four groups and
    the expiry, printed where the emulator's (fitted) boxes for a 640x400
    image fall, so `--annotate` draws them around the printing."""
    texts = [
        ("1111", 26, 153, 159, 199),
        ("2222", 177, 153, 311, 199),
        ("3333", 329, 153, 463, 199),
        ("4444", 481, 153, 614, 199),
        ("04/29", 286, 214, 399, 247),
    ]
    ink = {}
    for text, x1, y1, x2, y2 in texts:
        cell = min((x2 - x1) // (len(text) * 6), (y2 - y1) // 9)
        left = x1 + ((x2 - x1) - cell * (len(text) * 6 - 1)) // 2
        top = y1 + ((y2 - y1) - cell * 7) // 2
        for i, ch in enumerate(text):
            for row, bits in enumerate(GLYPHS[ch]):
                for col, bit in enumerate(bits):
                    if bit == "1":
                        for dy in range(cell):
                            for dx in range(cell):
                                ink[(left + (i * 6 + col) * cell + dx, top + row * cell + dy)] = True

    def pixel(x, y):
        if (x, y) in ink:
            return (235, 235, 240)
        if 60 <= x < 130 and 60 <= y < 115:
            return (200, 170, 90) if (x - 60) % 18 and (y - 60) % 14 else (150, 120, 60)
        shade = 40 + (x + y) * 60 // 1040
        return (20, shade, 120 + shade // 2)

    return pixel


# --------------------------------------------------------------- JPEG ----

# Standard luminance tables (ITU-T T.81 Annex K).
DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
DC_VALS = list(range(12))
AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D]
AC_VALS = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5,
    0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2,
    0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8,
    0xF9, 0xFA,
]


def huffman_codes(bits, vals):
    codes, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(bits[length - 1]):
            codes[vals[k]] = (code, length)
            code += 1
            k += 1
        code <<= 1
    return codes


def segment(marker, data):
    return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data


def jpeg(width, height, block_level, marker=None):
    """A baseline grayscale JPEG whose 8x8 blocks are flat; `block_level(bx, by)`
    gives each block's grey level (0-255). Only DC coefficients are coded, so
    the encoder stays tiny and exact (quantizer 1 for DC)."""
    assert width % 8 == 0 and height % 8 == 0
    dc_codes = huffman_codes(DC_BITS, DC_VALS)
    ac_codes = huffman_codes(AC_BITS, AC_VALS)
    out = b"\xff\xd8"
    out += segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    if marker:
        out += segment(0xFE, marker.encode("ascii"))
    out += segment(0xDB, b"\x00" + bytes([1] * 64))  # quantization table 0, all ones
    out += segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    out += segment(0xC4, b"\x00" + bytes(DC_BITS) + bytes(DC_VALS))
    out += segment(0xC4, b"\x10" + bytes(AC_BITS) + bytes(AC_VALS))
    out += segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")

    bits = []

    def put(value, length):
        for i in range(length - 1, -1, -1):
            bits.append((value >> i) & 1)

    previous = 0
    for by in range(height // 8):
        for bx in range(width // 8):
            # Forward DCT of a flat block: DC = 8 * (level - 128).
            dc = 8 * (block_level(bx, by) - 128)
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            code, length = dc_codes[size]
            put(code, length)
            if size:
                put(diff if diff > 0 else diff + (1 << size) - 1, size)
            code, length = ac_codes[0x00]  # end of block
            put(code, length)
    while len(bits) % 8:
        bits.append(1)
    scan = bytearray()
    for i in range(0, len(bits), 8):
        byte = int("".join(map(str, bits[i:i + 8])), 2)
        scan.append(byte)
        if byte == 0xFF:
            scan.append(0x00)  # byte stuffing
    return out + bytes(scan) + b"\xff\xd9"


def receipt_level(bx, by):
    # White paper with darker "text" rows every other block row.
    if by % 2 == 1 and 0 < bx < 5:
        return 90
    return 235


# ---------------------------------------------------------------- GIF ----

def gif_1x1():
    """A valid 1x1 GIF89a: a format none of the APIs accept."""
    return (
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
        b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
    )


def main():
    files = {
        "card.png": png(86, 54, card_pixels((30, 80, 160), (10, 10, 10))),
        "card-scan.png": png(640, 400, card_scan_pixels()),
        "id-card.png": png(86, 54, card_pixels((230, 235, 240), (120, 150, 200)), "ocrwire:resident"),
        "driver-license.png": png(86, 54, card_pixels((235, 225, 200), (200, 80, 60)), "ocrwire:driver"),
        "passport.png": png(62, 88, card_pixels((120, 30, 50), (200, 170, 90)), "ocrwire:passport"),
        "alien-card.png": png(86, 54, card_pixels((220, 240, 225), (60, 140, 90)), "ocrwire:alien"),
        "text.png": png(64, 24, lambda x, y: (0, 0, 0) if 8 <= y < 16 and x % 6 < 4 else (255, 255, 255)),
        "long-text.png": png(16, 64, lambda x, y: (0, 0, 0) if y % 8 < 3 and x < 12 else (255, 255, 255)),
        "unreadable.png": png(16, 16, lambda x, y: (128, 128, 128), "ocrwire:failure"),
        "receipt.jpg": jpeg(48, 64, receipt_level),
        "not-an-image.gif": gif_1x1(),
    }
    for name, data in files.items():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
