// Issue 11's page pieces in Node: the pure formatting of www/items-render.js, and the wasm API
// for reshaping and reliability (the numbers themselves are checked against psych and lavaan in
// crate/tests/items.rs; here: the same cases through wasm, and the reshape round trip).
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import lagmix from "./wasm.mjs";
import { root } from "./compare.mjs";
import * as ir from "../../www/items-render.js";
import { wideExample } from "./items-data.mjs";

const encode = (text) => new TextEncoder().encode(text);

test("items by prefix, score names, the wide offer and summaries", () => {
  const columns = [
    { name: "id", kind: "numeric" },
    { name: "wai_1", kind: "numeric" },
    { name: "wai_2", kind: "numeric" },
    { name: "wai_note", kind: "text" },
    { name: "spin", kind: "numeric" },
  ];
  assert.deepEqual(ir.itemsByPrefix(columns, "wai_"), ["wai_1", "wai_2"]);
  assert.deepEqual(ir.itemsByPrefix(columns, "", ["id"]), ["wai_1", "wai_2", "spin"]);
  assert.equal(ir.scoreName(["wai_1", "wai_2"]), "wai_score");
  assert.equal(ir.scoreName(["a", "b"]), "score");
  const guess = { id: "id", time: "time", sep: "_", stubs: ["spin", "wai"], stubColumns: 22, occasions: 11 };
  assert.match(ir.wideOffer(guess), /22 columns are 2 repeated measure\(s\) \(spin, wai\) over 11 occasions/);
  const alpha = {
    alpha: 0.70302, stdAlpha: 0.71303, averageR: 0.33197, nobs: 2800, completeRows: 2709,
    reversed: ["A1"], range: [1, 6], rangeDeclared: true, multilevel: null, warnings: [],
    items: [{ item: "A1", n: 2784, mean: 4.59, sd: 1.41, rDrop: 0.3084, alphaIfDropped: 0.7185, stdAlphaIfDropped: 0.7255, reversed: true }],
  };
  assert.equal(
    ir.alphaSummary(alpha),
    "Cronbach's alpha = 0.703 (standardized 0.713, average inter-item r = 0.332); 1 items, 2800 rows, 2709 with every item answered. Reverse-keyed (1 + 6 − x, declared range): A1.",
  );
  assert.deepEqual(ir.itemTable(alpha).rows[0], ["A1 (reversed)", "2784", "4.59", "1.41", "0.308", "0.719", "0.726"]);
  assert.equal(ir.multilevelSummary(alpha), "");
});

test("wasm: a wide file is detected, reshaped, and fits as the long file does", () => {
  const { wide, long } = wideExample();
  const guess = lagmix.detectWide(encode(wide), {});
  assert.deepEqual(guess, { id: "id", time: "time", sep: "_", stubs: ["spin", "wai"], stubColumns: 22, occasions: 11 });
  assert.equal(lagmix.detectWide(encode(long), {}), null, "a long file is not offered a reshape");
  assert.deepEqual(new lagmix.Analysis(wide).wideGuess(), guess);
  assert.equal(new lagmix.Analysis(long).wideGuess(), null);
  const { csv, summary } = lagmix.reshapeWide(encode(wide), { id: "id", time: "week" });
  assert.equal(summary.persons, 182);
  const formula = "lead(within(spin)) ~ within(spin) + within(wai) + between(wai) + (1 | id)";
  const options = { id: "id", time: "week", formula };
  const fromWide = lagmix.fit(csv, options);
  const fromLong = lagmix.fit(long, options);
  assert.equal(fromWide.nobs, fromLong.nobs);
  fromWide.fixed.forEach((f, i) => {
    assert.ok(Math.abs(f.estimate - fromLong.fixed[i].estimate) < 1e-9, f.term);
    assert.ok(Math.abs(f.se - fromLong.fixed[i].se) < 1e-9, f.term);
  });
  assert.throws(() => lagmix.reshapeWide(encode(wide), { id: "ID", time: "week" }), /did you mean "id"/);
  const deep = "(".repeat(5000) + "(?P<stub>spin)_(?P<occasion>\\d+)" + ")".repeat(5000);
  assert.throws(() => lagmix.reshapeWide(encode(wide), { id: "id", time: "week", pattern: deep }), /cannot be used/);
  const pattern = "(?P<stub>[a-z]+)_(?P<occasion>\\d+)";
  assert.equal(lagmix.reshapeWide(encode(wide), { id: "id", time: "week", pattern }).csv, csv);
});

test("wasm: alpha matches psych on the committed cases, and a score becomes a column", () => {
  const dir = path.join(root, "tests", "items", "alpha_bfi_agreeableness");
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "spec.json"), "utf8"));
  const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  const analysis = new lagmix.Analysis(fs.readFileSync(path.join(dir, "data.csv"), "utf8"));
  const options = { items: spec.items, reverse: [spec.reverse].flat(), min: spec.min, max: spec.max };
  const a = analysis.reliability(options);
  assert.ok(Math.abs(a.alpha - expected.alpha) < 1e-4);
  assert.ok(Math.abs(a.stdAlpha - expected.stdAlpha) < 1e-4);
  a.items.forEach((item, i) => assert.ok(Math.abs(item.rDrop - expected.items[i].rDrop) < 1e-4, item.item));
  const rule = analysis.addScore({ ...options, name: "agree" });
  assert.match(rule, /at most 1 of the 5 items/);
  assert.ok(analysis.columns().some((c) => c.name === "agree" && c.kind === "numeric"));
  assert.throws(() => analysis.reliability({ items: ["A1"] }), /at least two items/);
  assert.throws(() => analysis.reliability({ items: ["A1", "gender", "A7"] }), /"A7"/);
  assert.throws(() => analysis.reliability({ items: ["A1", "A2"], min: 1, max: 5 }), /outside the declared range/);
  assert.throws(() => analysis.reliability({ items: ["A1", "A2"], revers: [] }), /revers/);
});

test("wasm: within- and between-person alpha as lavaan", () => {
  const dir = path.join(root, "tests", "items", "multilevel_mood");
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "spec.json"), "utf8"));
  const expected = JSON.parse(fs.readFileSync(path.join(dir, "expected.json"), "utf8"));
  const analysis = new lagmix.Analysis(fs.readFileSync(path.join(dir, "data.csv"), "utf8"), { id: spec.id });
  const m = analysis.reliability({ items: spec.items, withinBetween: true }).multilevel;
  assert.ok(Math.abs(m.alphaWithin - expected.alphaWithin) < 1e-3);
  assert.ok(Math.abs(m.alphaBetween - expected.alphaBetween) < 1e-3);
  assert.equal(analysis.reliability({ items: spec.items }).multilevel, null);
});
