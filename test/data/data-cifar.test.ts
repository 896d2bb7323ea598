/**
 * CIFAR-10 from a folder in the official binary format, written here record by record:
 * data_batch_1.bin … data_batch_5.bin and test_batch.bin, each record = 1 label byte, then 1024 red,
 * 1024 green and 1024 blue bytes (32×32, row-major). Every pixel byte is a known function of
 * (record, channel, row, column), so each expected value below is computed from that function alone.
 */
import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadCifar10, Dataset } from "../../src/data";
import { imageData, resolveSource } from "../../src/experiments/data-source";

const REC = 3073;
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-cifar-"));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/**
 * Pixel byte of record k (a global id), channel ch (0 R, 1 G, 2 B), row y, column x. 7y + 3x tells (y, x) from (x, y);
 * 85·ch tells the channels apart; 37k (37 odd) tells the records apart.
 */
const pix = (k: number, ch: number, y: number, x: number) => (37 * k + 85 * ch + 7 * y + 3 * x) % 256;

/** A record as the official format stores it: label, then the R, G, B planes, each row by row. */
function record(label: number, k: number, fill?: [number, number, number]): Buffer {
  const b = Buffer.alloc(REC);
  b[0] = label;
  for (let ch = 0; ch < 3; ch++)
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) b[1 + ch * 1024 + y * 32 + x] = fill ? fill[ch] : pix(k, ch, y, x);
  return b;
}

// train: 5 batches with 3, 2, 4, 1, 2 records (ids 0..11 in file order); test: ids 20, 21 and a solid colour record
const TRAIN_LABELS = [[3, 8, 0], [1, 8], [9, 3, 5, 8], [2], [0, 3]];
const TRAIN = TRAIN_LABELS.flat().map((label, k) => ({ label, k }));
const TEST = [
  { label: 7, k: 20 },
  { label: 3, k: 21 },
];
const SOLID: [number, number, number] = [255, 128, 0]; // the third test record, label 8, every pixel (255, 128, 0)

function writeCifar(dir: string, skip: string[] = []): void {
  let k = 0;
  TRAIN_LABELS.forEach((labels, i) => {
    const recs = labels.map((label) => record(label, k++));
    if (!skip.includes(`data_batch_${i + 1}.bin`))
      fs.writeFileSync(path.join(dir, `data_batch_${i + 1}.bin`), Buffer.concat(recs));
  });
  if (!skip.includes("test_batch.bin"))
    fs.writeFileSync(
      path.join(dir, "test_batch.bin"),
      Buffer.concat([...TEST.map((r) => record(r.label, r.k)), record(8, 0, SOLID)]),
    );
}

/** Expected channel-last row (h, w, c), values byte / 255, of record k (or of a solid colour). */
function rgbRow(k: number, fill?: [number, number, number]): number[] {
  const out: number[] = [];
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) for (let ch = 0; ch < 3; ch++) out.push((fill ? fill[ch] : pix(k, ch, y, x)) / 255);
  return out;
}

/** Expected grey row: 0.299 R + 0.587 G + 0.114 B of the [0, 1] values, row-major. */
function greyRow(k: number, fill?: [number, number, number]): number[] {
  const v = (ch: number, y: number, x: number) => (fill ? fill[ch] : pix(k, ch, y, x)) / 255;
  const out: number[] = [];
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) out.push(0.299 * v(0, y, x) + 0.587 * v(1, y, x) + 0.114 * v(2, y, x));
  return out;
}

/** Expected 8×8 grey image: each output pixel the mean of its 4×4 block of grey pixels. */
function grey8(k: number): number[] {
  const g = greyRow(k);
  const out: number[] = [];
  for (let oy = 0; oy < 8; oy++)
    for (let ox = 0; ox < 8; ox++) {
      let s = 0;
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) s += g[(4 * oy + i) * 32 + 4 * ox + j];
      out.push(s / 16);
    }
  return out;
}

const row = (ds: Dataset, i: number) => Array.from(ds.X.data.subarray(i * ds.X.cols, (i + 1) * ds.X.cols));

function assertClose(actual: number[], expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tol, `${what}: max |difference| ${worst} > ${tol}`);
}

/** Y must be the one-hot code of the expected labels (K columns). */
function assertOneHot(ds: Dataset, labels: number[], K: number): void {
  assert.deepEqual(Array.from(ds.labels!), labels);
  assert.equal(ds.numClasses, K);
  assert.equal(ds.Y.rows, labels.length);
  assert.equal(ds.Y.cols, K);
  const expected = labels.flatMap((c) => Array.from({ length: K }, (_, j) => (j === c ? 1 : 0)));
  assert.deepEqual(Array.from(ds.Y.data), expected);
}

/** The record id of a loaded RGB or grey row, read back from its first pixel (pix(k, ·, 0, 0) differs per k). */
function idOf(ds: Dataset, i: number, pool: { k: number }[], grey: boolean): number {
  const first = ds.X.data[i * ds.X.cols];
  const hits = pool.filter(({ k }) => Math.abs((grey ? greyRow(k)[0] : pix(k, 0, 0, 0) / 255) - first) < 1e-12);
  assert.equal(hits.length, 1, `row ${i} matches ${hits.length} records`);
  return hits[0].k;
}

describe("loadCifar10 on a folder in the official binary format", () => {
  const dir = tmp();
  writeCifar(dir);

  it("train split: the 5 batches in order, labels, one-hot Y, channel-last pixels byte/255", () => {
    const ds = loadCifar10({ dir });
    assert.equal(ds.name, "cifar10");
    assert.deepEqual(ds.imageShape, [32, 32, 3]);
    assert.equal(ds.X.rows, 12);
    assert.equal(ds.X.cols, 3072);
    assertOneHot(
      ds,
      TRAIN.map((r) => r.label),
      10,
    );
    // exact: the loader's byte / 255 and ours are the same double
    TRAIN.forEach(({ k }, i) => assert.deepEqual(row(ds, i), rgbRow(k), `record ${k}`));
    // spot checks of the layout: column (y·32 + x)·3 + c holds channel c of pixel (y, x)
    assert.equal(ds.X.get(4, (5 * 32 + 17) * 3 + 2), pix(4, 2, 5, 17) / 255);
    assert.equal(ds.X.get(11, (31 * 32 + 0) * 3 + 1), pix(11, 1, 31, 0) / 255);
    assert.equal(Math.min(...ds.X.data), 0);
    assert.equal(Math.max(...ds.X.data), 1);
    assert.match(ds.description, /pixels in \[0, 1\]/);
    assert.match(ds.description, /train split/);
  });

  it("test split: test_batch.bin only", () => {
    const ds = loadCifar10({ dir, split: "test" });
    assert.equal(ds.X.rows, 3);
    assertOneHot(ds, [7, 3, 8], 10);
    assert.deepEqual(row(ds, 0), rgbRow(20));
    assert.deepEqual(row(ds, 1), rgbRow(21));
    assert.deepEqual(row(ds, 2), rgbRow(0, SOLID));
    assert.match(ds.description, /test split/);
  });

  it("grey: true is 0.299 R + 0.587 G + 0.114 B of the [0, 1] values, as documented", () => {
    const ds = loadCifar10({ dir, grey: true });
    assert.deepEqual(ds.imageShape, [32, 32, 1]);
    assert.equal(ds.X.cols, 1024);
    assertOneHot(
      ds,
      TRAIN.map((r) => r.label),
      10,
    );
    TRAIN.forEach(({ k }, i) => assertClose(row(ds, i), greyRow(k), 1e-15, `grey record ${k}`));
    assert.match(ds.description, /grey = 0\.299R \+ 0\.587G \+ 0\.114B/);
    // by hand: (255, 128, 0) → 0.299 + 0.587 · 128/255 = 0.59365098039…
    const t = loadCifar10({ dir, split: "test", grey: true });
    assertClose(row(t, 2), new Array(1024).fill(0.5936509803921569), 1e-15, "solid (255, 128, 0)");
    assertClose(row(t, 0), greyRow(20), 1e-15, "grey test record 20");
  });

  it("classes: only those rows, in file order, relabelled 0..k−1 in the order given", () => {
    const ds = loadCifar10({ dir, classes: [8, 3] });
    const kept = TRAIN.filter((r) => r.label === 8 || r.label === 3);
    assert.deepEqual(
      kept.map((r) => r.k),
      [0, 1, 4, 6, 8, 11],
    );
    assertOneHot(
      ds,
      kept.map((r) => (r.label === 8 ? 0 : 1)),
      2,
    );
    kept.forEach(({ k }, i) => assert.deepEqual(row(ds, i), rgbRow(k), `record ${k}`));
    const t = loadCifar10({ dir, split: "test", classes: [3, 7, 8], grey: true });
    assertOneHot(t, [1, 0, 2], 3);
    assertClose(row(t, 1), greyRow(21), 1e-15, "grey test record 21");
    assert.throws(() => loadCifar10({ dir, classes: [3, 10] }), /class 10 is not one of 0\.\.9/);
  });

  it("n and seed: a seeded subset of distinct rows in file order, labels and pixels of the records drawn", () => {
    const a = loadCifar10({ dir, n: 5, seed: 7 });
    assert.equal(a.X.rows, 5);
    const ids = Array.from({ length: 5 }, (_, i) => idOf(a, i, TRAIN, false));
    assert.equal(new Set(ids).size, 5);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
    );
    assertOneHot(
      a,
      ids.map((k) => TRAIN[k].label),
      10,
    );
    ids.forEach((k, i) => assert.deepEqual(row(a, i), rgbRow(k)));
    assert.deepEqual(a.X.data, loadCifar10({ dir, n: 5, seed: 7 }).X.data);
    // another seed draws another subset for at least one of several seeds
    const other = [8, 9, 10, 11].map((seed) =>
      Array.from({ length: 5 }, (_, i) => idOf(loadCifar10({ dir, n: 5, seed }), i, TRAIN, false)).join(),
    );
    assert.ok(other.some((s) => s !== ids.join()));
    // the default seed is 0
    assert.deepEqual(loadCifar10({ dir, n: 4 }).X.data, loadCifar10({ dir, n: 4, seed: 0 }).X.data);
    // grey subset = the same records as the RGB subset, in grey
    const g = loadCifar10({ dir, n: 5, seed: 7, grey: true });
    ids.forEach((k, i) => assertClose(row(g, i), greyRow(k), 1e-15, `grey record ${k}`));
    // n = all keeps every row
    assert.deepEqual(loadCifar10({ dir, n: 12 }).X.data, loadCifar10({ dir }).X.data);
  });

  it("classes before n: n drawn among the kept classes, relabelled", () => {
    const ds = loadCifar10({ dir, classes: [8, 3], n: 3, seed: 2 });
    const pool = TRAIN.filter((r) => r.label === 8 || r.label === 3);
    const ids = Array.from({ length: 3 }, (_, i) => idOf(ds, i, pool, false));
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(
      ids,
      [...ids].sort((x, y) => x - y),
    );
    assertOneHot(
      ds,
      ids.map((k) => (TRAIN[k].label === 8 ? 0 : 1)),
      2,
    );
    assert.throws(() => loadCifar10({ dir, classes: [8, 3], n: 7 }), /loadCifar10: n = 7 but only 6 are available/);
    assert.throws(() => loadCifar10({ dir, n: 13 }), /loadCifar10: n = 13 but only 12 are available/);
    assert.throws(() => loadCifar10({ dir, n: 0 }), /loadCifar10: n must be a positive integer, got 0/);
  });
});

describe("imageData with source cifar10", () => {
  const dir = tmp();
  writeCifar(dir);

  it('"auto" with cifarDir resolves to CIFAR-10', () => {
    assert.equal(resolveSource("auto", dir), "cifar10");
    assert.notEqual(resolveSource("auto"), "cifar10");
    const a = imageData({ source: "auto", cifarDir: dir, n: 12, d: 0, seed: 0 });
    const c = imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 0, seed: 0 });
    assert.equal(a.name, "cifar10");
    assert.deepEqual(a.X.data, c.X.data);
    assert.deepEqual(a.labels, c.labels);
  });

  it("grey by default; d = 0 and d = 1024 keep 32×32, d = 64 is the 4×4 block mean of the grey image", () => {
    const whole = imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 0, seed: 0 });
    assert.deepEqual(whole.imageShape, [32, 32, 1]);
    TRAIN.forEach(({ k }, i) => assertClose(row(whole, i), greyRow(k), 1e-15, `record ${k}`));
    assert.deepEqual(imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 1024, seed: 0 }).X.data, whole.X.data);
    const small = imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 64, seed: 0 });
    assert.deepEqual(small.imageShape, [8, 8, 1]);
    assert.equal(small.X.cols, 64);
    assertOneHot(
      small,
      TRAIN.map((r) => r.label),
      10,
    );
    TRAIN.forEach(({ k }, i) => assertClose(row(small, i), grey8(k), 1e-12, `8×8 record ${k}`));
  });

  it("grey: false keeps RGB for d = 0 and d = 3072; d = 64 is grey 8×8 all the same", () => {
    const rgb = imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 0, seed: 0, grey: false });
    assert.deepEqual(rgb.imageShape, [32, 32, 3]);
    TRAIN.forEach(({ k }, i) => assert.deepEqual(row(rgb, i), rgbRow(k)));
    assert.deepEqual(
      imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 3072, seed: 0, grey: false }).X.data,
      rgb.X.data,
    );
    const small = imageData({ source: "cifar10", cifarDir: dir, n: 12, d: 64, seed: 0, grey: false });
    assert.deepEqual(small.imageShape, [8, 8, 1]);
    TRAIN.forEach(({ k }, i) => assertClose(row(small, i), grey8(k), 1e-12, `8×8 record ${k}`));
  });

  it("n, seed, split and classes are passed to the loader", () => {
    const a = imageData({ source: "cifar10", cifarDir: dir, n: 4, d: 64, seed: 5 });
    const ids = Array.from({ length: 4 }, (_, i) =>
      idOf(loadCifar10({ dir, n: 4, seed: 5, grey: true }), i, TRAIN, true),
    );
    assertOneHot(
      a,
      ids.map((k) => TRAIN[k].label),
      10,
    );
    ids.forEach((k, i) => assertClose(row(a, i), grey8(k), 1e-12, `8×8 record ${k}`));
    const t = imageData({ source: "cifar10", cifarDir: dir, n: 2, d: 64, seed: 0, split: "test", classes: [7, 3] });
    assertOneHot(t, [0, 1], 2);
    assertClose(row(t, 0), grey8(20), 1e-12, "test record 20");
    assertClose(row(t, 1), grey8(21), 1e-12, "test record 21");
  });

  it("errors: no cifarDir, a missing folder", () => {
    assert.throws(
      () => imageData({ source: "cifar10", n: 2, d: 64, seed: 0 }),
      /source "cifar10" needs the option cifarDir/,
    );
    const gone = path.join(dir, "no-such-folder");
    assert.throws(
      () => imageData({ source: "cifar10", cifarDir: gone, n: 2, d: 64, seed: 0 }),
      (e: Error) => e.message === missingDir(gone),
    );
  });
});

/** The message for a CIFAR-10 folder that is not there: the path, and what the folder must hold. */
const missingDir = (gone: string) =>
  `loadCifar10: directory ${gone} does not exist; dir must be the folder of CIFAR-10's binary version ` +
  `(data_batch_1.bin … data_batch_5.bin, test_batch.bin)`;

describe("loadCifar10 errors name the file or option", () => {
  it("a missing folder, or no dir option", () => {
    const gone = path.join(tmp(), "absent");
    assert.throws(() => loadCifar10({ dir: gone }), {
      name: "DataError",
      message: missingDir(gone),
    });
    assert.throws(
      () => loadCifar10({} as never),
      /loadCifar10: option `dir` \(the folder holding data_batch_1\.bin … test_batch\.bin\) is required/,
    );
    assert.throws(() => loadCifar10(undefined as never), /loadCifar10: option `dir` .* is required/);
    assert.throws(() => loadCifar10({ dir: tmp(), gray: true } as never), /loadCifar10: unknown option "gray"/);
    assert.throws(
      () => loadCifar10({ dir: tmp(), split: "val" as never }),
      /loadCifar10: .*split must be "train" or "test"/,
    );
  });

  it("missing batch files: none of a split's files, or one of the five train batches", () => {
    const noTest = tmp();
    writeCifar(noTest, ["test_batch.bin"]);
    assert.equal(loadCifar10({ dir: noTest }).X.rows, 12);
    assert.throws(() => loadCifar10({ dir: noTest, split: "test" }), {
      name: "DataError",
      message: `loadCifar10: none of test_batch.bin found in ${noTest}`,
    });
    const noTrain = tmp();
    writeCifar(
      noTrain,
      [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
    );
    assert.throws(
      () => loadCifar10({ dir: noTrain }),
      /loadCifar10: none of data_batch_1\.bin, data_batch_2\.bin, data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin found in /,
    );
    assert.equal(loadCifar10({ dir: noTrain, split: "test" }).X.rows, 3);
    // one train batch missing: the other four load, and the description names the missing file
    const gap = tmp();
    writeCifar(gap, ["data_batch_3.bin"]);
    const ds = loadCifar10({ dir: gap });
    const left = TRAIN.filter(({ k }) => k < 5 || k > 8);
    assert.equal(ds.X.rows, 8);
    assertOneHot(
      ds,
      left.map((r) => r.label),
      10,
    );
    left.forEach(({ k }, i) => assert.deepEqual(row(ds, i), rgbRow(k)));
    assert.match(ds.description, /data_batch_3\.bin missing/);
    writeCifar(gap); // all five again: no note
    assert.doesNotMatch(loadCifar10({ dir: gap }).description, /missing/);
  });

  it("a file whose size is not a multiple of 3073 bytes, an empty file, a label above 9", () => {
    const bad = tmp();
    writeCifar(bad);
    const f2 = path.join(bad, "data_batch_2.bin");
    fs.writeFileSync(f2, Buffer.concat([record(1, 3), record(8, 4), Buffer.alloc(5)]));
    assert.throws(() => loadCifar10({ dir: bad }), {
      name: "DataError",
      message: `loadCifar10: ${f2} has 6151 bytes, not a multiple of the 3073-byte record`,
    });
    // a record without its label byte (3072 bytes)
    const ft = path.join(bad, "test_batch.bin");
    fs.writeFileSync(ft, record(1, 0).subarray(1));
    assert.throws(() => loadCifar10({ dir: bad, split: "test" }), {
      name: "DataError",
      message: `loadCifar10: ${ft} has 3072 bytes, not a multiple of the 3073-byte record`,
    });
    fs.writeFileSync(ft, Buffer.alloc(0));
    assert.throws(
      () => loadCifar10({ dir: bad, split: "test" }),
      (e: Error) =>
        e.name === "DataError" && e.message.startsWith(`loadCifar10: ${ft} `) && /empty|0 bytes/.test(e.message),
    );
    fs.writeFileSync(ft, Buffer.concat([record(1, 0), record(10, 1)]));
    assert.throws(
      () => loadCifar10({ dir: bad, split: "test" }),
      (e: Error) =>
        e.name === "DataError" && e.message.includes(ft) && /record 1 has label 10 \(expected 0\.\.9\)/.test(e.message),
    );
  });
});
