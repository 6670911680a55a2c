#!/usr/bin/env python3
"""Crafted workbooks for the bad-input catalogue: tests/catalogue/far_cells.xls, wide_rows.ods.

Run from the repository root:  python3 tests/reference/make_hostile_workbooks.py  (standard
library only; the output is the same byte for byte on every run).

The file is a small, well-formed workbook (one sheet "data": a header row id, week, y and two
data rows) plus one NUMBER cell at row 65,536, column 65,536. calamine 0.38's .xls reader lays
out each sheet as a dense grid over its cells' bounding box, so this 5 KB file would make it
reserve 65,536 x 65,536 cells (over 100 GB) and abort; lagmix must refuse it first with a
message naming the sheet and the span (crate/src/workbook/biff.rs). The layout follows
[MS-XLS] (BIFF8 records) and [MS-CFB] (a version 3 compound file: sector 0 the FAT, sector 1
the directory, sectors 2 on the Workbook stream), as crate/src/workbook/testing.rs builds the
files of the unit tests.

wide_rows.ods is a 2 KB OpenDocument file whose one sheet has 400 rows, each a number repeated
over all 16,384 columns (table:number-columns-repeated): calamine's .ods reader would push
6.5 million cells and lay out a grid as large (crate/src/workbook/ods.rs refuses it first).
"""
import os
import struct
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FREE, END, FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def record(typ, data):
    return struct.pack("<HH", typ, len(data)) + data


def bof(kind):
    return record(0x0809, struct.pack("<HH", 0x0600, kind) + bytes(12))


def eof():
    return record(0x000A, b"")


def label(row, col, text):
    raw = text.encode("latin-1")
    return record(0x0204, struct.pack("<HHHHB", row, col, 0, len(raw), 0) + raw)


def number(row, col, value):
    return record(0x0203, struct.pack("<HHHd", row, col, 0, value))


def workbook(name, cells):
    """The globals (one BoundSheet8 record), then the sheet's BOF, cells and EOF."""
    def bound(position):
        raw = name.encode("latin-1")
        return record(0x0085, struct.pack("<IBBBB", position, 0, 0, len(raw), 0) + raw)
    globals_len = len(bof(5)) + len(bound(0)) + len(eof())
    return bof(5) + bound(globals_len) + eof() + bof(0x10) + b"".join(cells) + eof()


def directory_entry(name, kind, start, length):
    raw = name.encode("utf-16-le")
    entry = bytearray(128)
    entry[: len(raw)] = raw
    struct.pack_into("<HB", entry, 64, len(raw) + 2, kind)
    entry[68:80] = b"\xff" * 12  # no siblings, no child
    if kind == 5:
        struct.pack_into("<I", entry, 76, 1)  # the root's child: entry 1
    struct.pack_into("<II", entry, 116, start, length)
    return bytes(entry)


def compound_file(stream):
    """The stream padded to whole sectors of at least 4096 bytes (so not in the mini stream)."""
    size = max(len(stream), 4096)
    stream = stream + bytes(-size % 512 + size - len(stream))
    sectors = len(stream) // 512
    fat = [FAT_SECTOR, END] + list(range(3, sectors + 2)) + [END]
    fat += [FREE] * (128 - len(fat))
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = bytes([0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0])
    struct.pack_into("<II", header, 44, 1, 1)  # FAT sectors, first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<I", header, 60, END)  # no mini FAT
    struct.pack_into("<I", header, 68, END)  # no DIFAT sectors
    struct.pack_into("<109I", header, 76, 0, *([FREE] * 108))
    directory = (directory_entry("Root Entry", 5, END, 0)
                 + directory_entry("Workbook", 2, 2, len(stream)) + bytes(256))
    return bytes(header) + struct.pack("<128I", *fat) + directory + stream


def wide_rows_ods(path):
    """Stored entries with a fixed date, so the bytes do not depend on the clock."""
    office = "urn:oasis:names:tc:opendocument:xmlns:"
    row = ('<table:table-row><table:table-cell office:value-type="float" office:value="1" '
           'table:number-columns-repeated="16384"/></table:table-row>')
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               f'xmlns:office="{office}office:1.0" xmlns:table="{office}table:1.0" '
               f'xmlns:text="{office}text:1.0" office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="data">' + row * 400
               + '</table:table></office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                f'"{office}manifest:1.0" manifest:version="1.2"><manifest:file-entry '
                'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                'opendocument.spreadsheet"/></manifest:manifest>')
    parts = [("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED),
             ("content.xml", content, zipfile.ZIP_DEFLATED),
             ("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)]
    with zipfile.ZipFile(path, "w") as z:
        for name, text, method in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = method
            z.writestr(info, text)


def main():
    cells = [label(0, 0, "id"), label(0, 1, "week"), label(0, 2, "y"),
             number(1, 0, 1), number(1, 1, 0), number(1, 2, 2.5),
             number(2, 0, 1), number(2, 1, 1), number(2, 2, 3.0),
             number(65535, 65535, 1)]
    path = os.path.join(ROOT, "tests", "catalogue", "far_cells.xls")
    with open(path, "wb") as f:
        f.write(compound_file(workbook("data", cells)))
    wide_rows_ods(os.path.join(ROOT, "tests", "catalogue", "wide_rows.ods"))


if __name__ == "__main__":
    main()
