#!/usr/bin/env python3
"""The reference trial as a wide file (one row per person) in CSV, .xlsx and SPSS .sav, for the
page's one-click reshape (tests/browser/reshape-formats.test.mjs): reshaped to long, each must
fit exactly as the long tests/formats/trial.csv does (same rows, same numbers).

Columns: id; group, site (person-level, carried to every long row); spin_0..spin_10,
wai_0..wai_10, mood_0..mood_10 (the weekly measures; a week a person has no row for is empty
in all three, so the reshape leaves it out, as the long file has no row for it).
- wide_trial.csv: plain numbers as trial.csv writes them.
- wide_trial.xlsx: a first sheet "about" with a note (not wide), the data on sheet "scores":
  the page must offer the reshape once that sheet is chosen, and reshape that sheet.
- wide_trial.sav: group nominal with value labels 1 = control, 2 = treatment (a factor, levels
  by code); mood_k ordinal with labels never..always (stays numeric); variable labels such as
  "SPIN total, week 3" (the long column spin gets "SPIN total, week"); missing spin cells of
  odd weeks are the user-missing code -99 (the reader must treat them as missing).

Run from the repository root:  python3 tests/reference/make_wide_trial.py
Needs Python 3 with openpyxl 3.1.5, pandas and pyreadstat 1.3.7 (pip). The files are committed.
"""
import csv
import os

import openpyxl
import pandas as pd
import pyreadstat

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "formats")
SOURCE = os.path.join(OUT, "trial.csv")
STUBS = ["spin", "wai", "mood"]
LABELS = {"spin": "SPIN total, week {}", "wai": "WAI-SR working alliance, week {}",
          "mood": "mood item, week {}"}
MOOD = {1: "never", 2: "rarely", 3: "sometimes", 4: "often", 5: "always"}


def number(text):
    return None if text == "" else float(text)


def read_long():
    persons = {}
    weeks = set()
    with open(SOURCE, newline="") as f:
        for r in csv.DictReader(f):
            pid, week = int(r["id"]), int(r["week"])
            weeks.add(week)
            p = persons.setdefault(pid, {"group": r["group"], "site": r["site"], "weeks": {}})
            p["weeks"][week] = {s: number(r[s]) for s in STUBS}
    return persons, sorted(weeks)


def header(weeks):
    return ["id", "group", "site"] + [f"{s}_{w}" for s in STUBS for w in weeks]


def row(pid, p, weeks):
    cells = [pid, p["group"], p["site"]]
    for s in STUBS:
        cells += [p["weeks"].get(w, {}).get(s) for w in weeks]
    return cells


def text(v):
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return "%d" % v
    return repr(v) if isinstance(v, float) else str(v)


def main():
    persons, weeks = read_long()
    names = header(weeks)
    rows = [row(pid, p, weeks) for pid, p in sorted(persons.items())]
    with open(os.path.join(OUT, "wide_trial.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow([text(v) for v in r])
    book = openpyxl.Workbook()
    about = book.active
    about.title = "about"
    about.append(["About"])
    about.append(["Synthetic trial, one row per person; the data are on sheet scores."])
    scores = book.create_sheet("scores")
    scores.append(names)
    for r in rows:
        scores.append(r)
    book.save(os.path.join(OUT, "wide_trial.xlsx"))
    frame = pd.DataFrame(rows, columns=names)
    frame["group"] = frame["group"].map({"control": 1, "treatment": 2}).astype(float)
    frame["id"] = frame["id"].astype(float)
    missing = {}
    for w in weeks:
        frame[f"mood_{w}"] = frame[f"mood_{w}"].astype(float)
        if w % 2 == 1:
            col = f"spin_{w}"
            # A missing answer of a week the person attended is the user-missing code -99.
            attended = frame[f"mood_{w}"].notna()
            frame.loc[frame[col].isna() & attended, col] = -99.0
            missing[col] = [-99.0]
    labels = ["person", "randomised group", "study site"] + [
        LABELS[s].format(w) for s in STUBS for w in weeks]
    measure = {"id": "nominal", "group": "nominal", "site": "nominal"}
    measure.update({f"{s}_{w}": ("ordinal" if s == "mood" else "scale") for s in STUBS for w in weeks})
    pyreadstat.write_sav(
        frame, os.path.join(OUT, "wide_trial.sav"),
        file_label="lagmix wide trial fixture", column_labels=labels,
        variable_value_labels={"group": {1: "control", 2: "treatment"},
                               **{f"mood_{w}": MOOD for w in weeks}},
        missing_ranges=missing, variable_measure=measure)
    print("versions: openpyxl", openpyxl.__version__, "pandas", pd.__version__,
          "pyreadstat", pyreadstat.__version__)


if __name__ == "__main__":
    main()
