#!/usr/bin/env python3
"""The same data in every file format lagmix reads (tests/formats/), from the golden case
tests/fixtures/trial_within/data.csv (so a fit of any of them must equal that case's lme4 fit).

Run from the repository root:  python3 tests/reference/make_formats.py
Needs: Python 3 with openpyxl 3.1.5 and pyreadstat 1.3.7 (pip), LibreOffice 7.4 headless
(Debian: libreoffice-calc-nogui) for the cached formula values and the .ods / .xls copies.
The generated files are committed: the tests need none of these programs. Rerunning gives the
same contents but not the same bytes (workbooks and SPSS files record when they were written).
Also writes the catalogue's bad files (tests/catalogue/*.xlsx, *.sav: cut from the good ones)
and the seeds of the fuzz targets workbook_reader and sav_reader (fuzz/corpus/).

Columns added to id, week, spin, wai (all deterministic):
  group  "control" (odd id) / "treatment" (even id); SPSS: nominal, codes 1/2 with these labels
  visit  the visit's date, 2024-01-08 + 7 * week; a date cell in the workbooks, days since
         1970-01-01 in CSV and SPSS (what lagmix reads a date cell as)
  spin2  =2*spin as a formula in the workbooks (LibreOffice caches its values), a number elsewhere
  mood   (id + week) % 5 + 1, SPSS: ordinal with labels never..always (stays numeric)
  site   text "A" / "B" / "C"
In trial.sav the missing spin cells are the user-missing code -99 on odd weeks (system-missing
on even weeks) and the missing wai cells 995 (user-missing range 990-999), so lagmix must treat
SPSS's user-missing values as missing to reproduce the CSV fit.
"""
import csv
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl
import pandas as pd
import pyreadstat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "formats")
SOURCE = os.path.join(ROOT, "tests", "fixtures", "trial_within", "data.csv")
EPOCH = datetime.date(1970, 1, 1)
FIRST_VISIT = datetime.date(2024, 1, 8)
MOOD = {1: "never", 2: "rarely", 3: "sometimes", 4: "often", 5: "always"}


def rows():
    with open(SOURCE, newline="") as f:
        reader = csv.DictReader(f)
        for r in reader:
            pid, week = int(r["id"]), int(r["week"])
            spin = None if r["spin"] == "" else float(r["spin"])
            wai = None if r["wai"] == "" else float(r["wai"])
            visit = FIRST_VISIT + datetime.timedelta(days=7 * week)
            yield {
                "id": pid,
                "week": week,
                "spin": spin,
                "wai": wai,
                "group": "control" if pid % 2 else "treatment",
                "visit": visit,
                "spin2": None if spin is None else 2 * spin,
                "mood": (pid + week) % 5 + 1,
                "site": "ABC"[pid % 3],
            }


NAMES = ["id", "week", "spin", "wai", "group", "visit", "spin2", "mood", "site"]


def number(v):
    return "" if v is None else ("%d" % v if float(v).is_integer() else repr(v))


def write_csv(data):
    with open(os.path.join(OUT, "trial.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(NAMES)
        for r in data:
            w.writerow([r["id"], r["week"], number(r["spin"]), number(r["wai"]), r["group"],
                        (r["visit"] - EPOCH).days, number(r["spin2"]), r["mood"], r["site"]])


def write_xlsx(data, path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "trial"
    sheet.append(NAMES)
    for i, r in enumerate(data, start=2):
        spin2 = f'=IF(C{i}="","",2*C{i})'
        sheet.append([r["id"], r["week"], r["spin"], r["wai"], r["group"], r["visit"], spin2,
                      r["mood"], r["site"]])
        sheet.cell(row=i, column=6).number_format = "yyyy-mm-dd"
    notes = book.create_sheet("notes")
    notes.append(["About"])
    notes.append(["Synthetic trial data; see tests/reference/make_formats.py"])
    book.create_sheet("empty")
    book.save(path)


def write_merged_header(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "merged"
    sheet.append(["id", "score", None, "week"])
    sheet.append([1, 2, 3, 0])
    sheet.merge_cells("B1:C1")
    book.save(path)


def libreoffice(source, target_ext, out_dir):
    """Converts with LibreOffice headless (which computes and caches the formulas)."""
    profile = tempfile.mkdtemp()
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", target_ext, "--outdir", out_dir, source],
                   check=True, capture_output=True)
    shutil.rmtree(profile, ignore_errors=True)


def write_sav(data):
    frame = pd.DataFrame(data)
    frame["group"] = frame["group"].map({"control": 1, "treatment": 2}).astype(float)
    frame["visit"] = [(v - EPOCH).days for v in frame["visit"]]
    # User-missing codes in place of some missing cells (see the docstring).
    odd = frame["week"] % 2 == 1
    frame.loc[frame["spin"].isna() & odd, "spin"] = -99.0
    frame.loc[frame["wai"].isna(), "wai"] = 995.0
    frame = frame.rename(columns={"wai": "working_alliance_wai"})
    labels = ["person", "week of treatment", "social phobia inventory (SPIN)",
              "working alliance inventory (WAI-SR)", "randomised group", "visit date (days since 1970-01-01)",
              "twice spin", "mood item", "study site"]
    options = dict(
        file_label="lagmix trial fixture",
        column_labels=labels,
        note=["Synthetic trial data for lagmix's reader tests.", "See tests/reference/make_formats.py."],
        variable_value_labels={"group": {1: "control", 2: "treatment"}, "mood": MOOD},
        missing_ranges={"spin": [-99.0], "working_alliance_wai": [{"lo": 990.0, "hi": 999.0}]},
        variable_measure={"id": "nominal", "week": "scale", "spin": "scale",
                          "working_alliance_wai": "scale", "group": "nominal", "visit": "scale",
                          "spin2": "scale", "mood": "ordinal", "site": "nominal"},
    )
    pyreadstat.write_sav(frame, os.path.join(OUT, "trial.sav"), **options)
    pyreadstat.write_sav(frame, os.path.join(OUT, "trial_bytecode.sav"), row_compress=True, **options)
    pyreadstat.write_sav(frame, os.path.join(OUT, "trial.zsav"), compress=True, **options)


def write_strings_sav():
    """Very long strings (record 7.14), non-ASCII text (UTF-8, record 7.20), string missing."""
    frame = pd.DataFrame({
        "id": [1.0, 2.0, 3.0],
        "comment": ["x" * 300, "Grüße, Øre ½", ""],
        "code": ["a", "NA", "b"],
    })
    pyreadstat.write_sav(frame, os.path.join(OUT, "strings.sav"), row_compress=True,
                         column_labels=["person", "free text", "a code"],
                         missing_ranges={"code": ["NA"]})


def write_catalogue():
    """Bad files for tests/catalogue/ (a message, never a panic): cut from the good ones."""
    cat = os.path.join(ROOT, "tests", "catalogue")
    with open(os.path.join(OUT, "trial.xlsx"), "rb") as f:
        xlsx = f.read()
    with open(os.path.join(OUT, "trial.sav"), "rb") as f:
        sav = f.read()
    with open(os.path.join(cat, "truncated.xlsx"), "wb") as f:
        f.write(xlsx[: len(xlsx) // 2])
    import zipfile
    with zipfile.ZipFile(os.path.join(cat, "not_workbook.xlsx"), "w") as z:
        z.writestr("readme.txt", "This zip archive holds no workbook.\n")
    with open(os.path.join(cat, "truncated.sav"), "wb") as f:
        f.write(sav[: len(sav) // 2])
    with open(os.path.join(cat, "bad_header.sav"), "wb") as f:
        # The layout code (bytes 64-67) must be 2 or 3.
        f.write(sav[:64] + b"\x07\x07\x07\x07" + sav[68:2000])


def write_fuzz_seeds():
    """Small seeds for the fuzz targets workbook_reader and sav_reader (fuzz/corpus/)."""
    seeds = os.path.join(ROOT, "fuzz", "corpus")
    books = os.path.join(seeds, "workbook_reader")
    savs = os.path.join(seeds, "sav_reader")
    os.makedirs(books, exist_ok=True)
    os.makedirs(savs, exist_ok=True)
    scratch = tempfile.mkdtemp()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "d"
    sheet.append(["id", "week", "y", "when", "f"])
    sheet.append([1, 0, 2.5, datetime.date(2024, 1, 8), "=C2*2"])
    sheet.append([1, 1, None, datetime.date(2024, 1, 15), True])
    sheet.append([2, 0, "x", None, "#N/A"])
    book.create_sheet("second").append(["a"])
    small = os.path.join(scratch, "small.xlsx")
    book.save(small)
    shutil.copy(small, os.path.join(books, "small.xlsx"))
    libreoffice(small, "ods", scratch)
    shutil.copy(os.path.join(scratch, "small.ods"), os.path.join(books, "small.ods"))
    libreoffice(os.path.join(scratch, "small.ods"), "xls", books)
    shutil.copy(os.path.join(OUT, "merged_header.xlsx"), os.path.join(books, "merged_header.xlsx"))
    for name in ["truncated.xlsx", "not_workbook.xlsx"]:
        with open(os.path.join(ROOT, "tests", "catalogue", name), "rb") as f:
            data = f.read()
        with open(os.path.join(books, name), "wb") as f:
            f.write(data[:3000])
    shutil.rmtree(scratch, ignore_errors=True)
    frame = pd.DataFrame({"id": [1.0, 1.0, 2.0], "week": [0.0, 1.0, 0.0], "y": [3.0, -99.0, 1.5],
                          "g": [1.0, 2.0, 1.0], "s": ["a", "b", ""]})
    options = dict(column_labels=["person", "week", "outcome", "group", "text"],
                   variable_value_labels={"g": {1: "one", 2: "two"}},
                   missing_ranges={"y": [-99.0], "g": [{"lo": 8.0, "hi": 9.0}]},
                   variable_measure={"g": "nominal", "y": "scale"})
    pyreadstat.write_sav(frame, os.path.join(savs, "small.sav"), **options)
    pyreadstat.write_sav(frame, os.path.join(savs, "small_bytecode.sav"), row_compress=True, **options)
    pyreadstat.write_sav(frame, os.path.join(savs, "small.zsav"), compress=True, **options)
    shutil.copy(os.path.join(OUT, "strings.sav"), os.path.join(savs, "strings.sav"))
    for name in ["truncated.sav", "bad_header.sav"]:
        with open(os.path.join(ROOT, "tests", "catalogue", name), "rb") as f:
            data = f.read()
        with open(os.path.join(savs, name), "wb") as f:
            f.write(data[:4096])


def main():
    os.makedirs(OUT, exist_ok=True)
    data = list(rows())
    write_csv(data)
    scratch = tempfile.mkdtemp()
    raw = os.path.join(scratch, "trial.xlsx")
    write_xlsx(data, raw)
    # openpyxl writes formulas without values: LibreOffice computes them as it converts.
    libreoffice(raw, "ods", scratch)
    ods = os.path.join(scratch, "trial.ods")
    for ext in ["xlsx", "xls"]:
        libreoffice(ods, ext, OUT)
    shutil.copy(ods, os.path.join(OUT, "trial.ods"))
    write_merged_header(os.path.join(OUT, "merged_header.xlsx"))
    shutil.rmtree(scratch, ignore_errors=True)
    write_sav(data)
    write_strings_sav()
    write_catalogue()
    write_fuzz_seeds()
    print("versions: openpyxl", openpyxl.__version__, "pyreadstat", pyreadstat.__version__)


if __name__ == "__main__":
    main()
