"""A small wide table (one row per person: spin_1..spin_3, wai_1..wai_3, a person-level age) as
CSV and as .xlsx, for `lagmix reshape` of a workbook (crate/cli/tests/cli.rs). The numbers are
plain values (no formulas), so openpyxl alone writes the workbook.

Run from the repository root:  python3 tests/reference/make_wide_formats.py  (openpyxl 3.1.5)
"""
import csv
import os

import openpyxl

OUT = os.path.join("tests", "formats")
HEADER = ["id", "age", "spin_1", "spin_2", "spin_3", "wai_1", "wai_2", "wai_3"]
# Person 3 missed week 2 (both stubs empty there); person 4's wai_3 is missing.
ROWS = [
    [1, 34, 41, 38.5, 35, 50, 52, 55.25],
    [2, 29, 30, 31, 27, 61, 60, 64],
    [3, 45, 52, None, 47, 44, None, 49],
    [4, 23, 36, 33, 30, 58, 59, None],
]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "wide.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for row in ROWS:
            w.writerow(["" if v is None else v for v in row])
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "wide"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    book.save(os.path.join(OUT, "wide.xlsx"))
    print("versions: openpyxl", openpyxl.__version__)


if __name__ == "__main__":
    main()
