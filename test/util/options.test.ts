/**
 * Every public function that takes an options object refuses a misspelt key and a value of the wrong
 * type, naming the function, the option and what it accepts, before any work; valid calls still work.
 * Also: a Hessian that overflowed float64 is refused with the likely cause instead of returning NaN.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import * as nets from "../../src/nets";
import * as metrics from "../../src/metrics";
import * as la from "../../src/linalg";
import * as cv from "../../src/curvature";
import * as data from "../../src/data";
import { Matrix } from "../../src/linalg";
import { figureHtml, renderFigure, save, exporterStats } from "../../src/export";
import { lineFigure, houseLayout, panelRow, panelGrid } from "../../src/figures";
import { OptionError } from "../../src/util/options";
import { Rng } from "../../src/util/random";
import { loadTf } from "../../src/backend";
import { naiveMul, maxAbsDiff, maxAbs, randn, symmetricWithSpectrum, matrixWithSingularValues } from "../helpers";

/** f() throws an OptionError whose message matches every pattern. */
function refuses(f: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof OptionError, `expected an OptionError, got ${e.name}: ${e.message}`);
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

async function refusesAsync(f: () => Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(f, (e: Error) => {
    assert.ok(e instanceof OptionError, `expected an OptionError, got ${e.name}: ${e.message}`);
    for (const re of patterns) assert.match(e.message, re);
    return true;
  });
}

const bad = <T>(o: Record<string, unknown>) => o as unknown as T;

// a tiny dense network and data: sizes [3, 4, 2], 5 samples
const spec: nets.NetSpec = { sizes: [3, 4, 2], activation: "tanh", bias: true };
const linSpec: nets.NetSpec = { sizes: [3, 4, 2], activation: "linear", bias: false };
const params = nets.initParams(spec, { seed: 1 });
const linParams = nets.initParams(linSpec, { seed: 2 });
const X = new Matrix(5, 3, new Rng(3).normals(15));
const Y = new Matrix(5, 2, new Rng(4).normals(10));
const problem: cv.Problem = { spec, params, X, Y };
const linProblem: cv.Problem = { spec: linSpec, params: linParams, X, Y };
/** W2·W1 of the bias-free linear net: its input–output Jacobian at every input */
const linJacobian = () => naiveMul(nets.weight(linSpec, linParams, 2), nets.weight(linSpec, linParams, 1));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("nets", () => {
  it("initParams", () => {
    refuses(
      () => nets.initParams(spec, bad({ sead: 1 })),
      /^initParams: unknown option "sead"; allowed: init, seed, scale$/,
    );
    refuses(
      () => nets.initParams(spec, bad({ init: "xavier" })),
      /initParams: option init must be one of "glorot-normal", "glorot-uniform", "he", "orthogonal", "uniform"; got "xavier"/,
    );
    refuses(
      () => nets.initParams(spec, { seed: 1.5 }),
      /initParams: option seed must be an integer in \[0, 2³² − 1\]; got 1\.5/,
    );
    refuses(
      () => nets.initParams(spec, { init: "uniform", scale: 0 }),
      /initParams: option scale must be a finite number > 0; got 0/,
    );
    const p = nets.initParams(spec, { init: "uniform", scale: 0.25, seed: 7 });
    assert.equal(p.length, 3 * 4 + 4 + 4 * 2 + 2);
    assert.ok(maxAbs(p) <= 0.25 && maxAbs(p) > 0.1);
    assert.deepEqual(p, nets.initParams(spec, { init: "uniform", scale: 0.25, seed: 7 }));
  });

  it("forward", () => {
    refuses(
      () => nets.forward(spec, params, X, bad({ derivative: false })),
      /^forward: unknown option "derivative"; allowed: derivatives$/,
    );
    refuses(
      () => nets.forward(spec, params, X, bad({ derivatives: "no" })),
      /forward: option derivatives must be true or false; got "no"/,
    );
    const c = nets.forward(linSpec, linParams, X, { derivatives: false });
    const want = naiveMul(X, linJacobian().transpose());
    assert.ok(maxAbsDiff(c.H[2].data, want.data) < 1e-12);
  });
});

describe("metrics", () => {
  it("tfJacobianData", async () => {
    const fake = {} as never; // the options are refused before the model is looked at
    await refusesAsync(
      () => metrics.tfJacobianData(fake, X, bad({ paramSample: 2 })),
      /^tfJacobianData: unknown option "paramSample"; allowed: paramSamples$/,
    );
    await refusesAsync(
      () => metrics.tfJacobianData(fake, X, bad({ paramSamples: "2" })),
      /tfJacobianData: option paramSamples must be an integer ≥ 0; got "2"/,
    );
    await refusesAsync(
      () => metrics.tfJacobianData(fake, X, { paramSamples: -1 }),
      /option paramSamples must be an integer ≥ 0; got -1/,
    );
    const { tf } = await loadTf();
    const model = nets.toTfModel(tf, spec, params);
    try {
      const got = await metrics.tfJacobianData(model, X, { paramSamples: 2 });
      const want = cv.outputGradients(spec, params, X);
      assert.equal(got.paramSqNorm.length, 2);
      for (let i = 0; i < 2; i++) assert.ok(rel(got.paramSqNorm[i], want.paramSqNorm[i]) < 1e-5);
    } finally {
      model.dispose();
    }
  });

  it("flatnessFromJacobians", () => {
    // one sample, J = diag(2, 0.5): σ = 2, 0.5
    const j = { n: 1, K: 2, d: 2, inputJacobian: [2, 0, 0, 0.5], paramSqNorm: [3] };
    refuses(
      () => metrics.flatnessFromJacobians(j, bad({ volumTop: 1 })),
      /^flatnessFromJacobians: unknown option "volumTop"; allowed: volumeTop$/,
    );
    refuses(
      () => metrics.flatnessFromJacobians(j, bad({ volumeTop: "1" })),
      /flatnessFromJacobians: option volumeTop must be a positive integer; got "1"/,
    );
    const m = metrics.flatnessFromJacobians(j, { volumeTop: 1 });
    assert.ok(rel(m.logVolume, Math.log(2)) < 1e-12);
    assert.ok(rel(m.G, 4.25) < 1e-12);
    assert.equal(m.sharpness, 3);
    assert.ok(Math.abs(metrics.flatnessFromJacobians(j).logVolume) < 1e-12, "log 2 + log 0.5 = 0");
  });

  it("flatnessMetrics and logVolume", () => {
    refuses(
      () => metrics.flatnessMetrics(linSpec, linParams, X, bad({ top: 1 })),
      /^flatnessMetrics: unknown option "top"; allowed: volumeTop, layer$/,
    );
    refuses(
      () => metrics.flatnessMetrics(linSpec, linParams, X, { volumeTop: 1.5 }),
      /flatnessMetrics: option volumeTop must be a positive integer; got 1\.5/,
    );
    refuses(
      () => metrics.logVolume(linSpec, linParams, X, bad({ volume: 1 })),
      /^logVolume: unknown option "volume"; allowed: volumeTop$/,
    );
    refuses(
      () => metrics.logVolume(linSpec, linParams, X, bad({ volumeTop: true })),
      /logVolume: option volumeTop must be a positive integer; got true/,
    );
    // the linear net's input Jacobian is W2 W1 at every input
    const J = linJacobian();
    const s = la.svdvals(J);
    let fro = 0;
    for (const v of J.data) fro += v * v;
    const m = metrics.flatnessMetrics(linSpec, linParams, X, { volumeTop: 2 });
    assert.ok(rel(m.G, fro) < 1e-12);
    assert.ok(rel(m.logVolume, Math.log(s[0]) + Math.log(s[1])) < 1e-12);
    const lv = metrics.logVolume(linSpec, linParams, X, { volumeTop: 1 });
    assert.equal(lv.perSample.length, 5);
    assert.ok(rel(lv.mean, Math.log(s[0])) < 1e-12);
  });

  it("localRank", () => {
    refuses(
      () => metrics.localRank(linSpec, linParams, X, bad({ epsilon: 0.1 })),
      /^localRank: unknown option "epsilon"; allowed: eps, layers$/,
    );
    refuses(
      () => metrics.localRank(linSpec, linParams, X, bad({ layers: 2 })),
      /localRank: option layers must be a list \(each item an integer ≥ 1\); got 2/,
    );
    refuses(
      () => metrics.localRank(linSpec, linParams, X, bad({ eps: "0.1" })),
      /localRank: option eps must be a finite number ≥ 0; got "0\.1"/,
    );
    // W1 (4×3) has rank 3, W2 W1 (2×3) rank 2
    const r = metrics.localRank(linSpec, linParams, X, { eps: 1e-8, layers: [1, 2] });
    assert.deepEqual(
      r.map((x) => x.localRank),
      [3, 2],
    );
  });
});

describe("linalg", () => {
  const A = randn(3, 4, 11);
  const B = randn(5, 4, 12);
  it("gemm", () => {
    refuses(
      () => la.gemm(A, B, bad({ transb: true })),
      /^gemm: unknown option "transb"; allowed: transA, transB, alpha$/,
    );
    refuses(
      () => la.gemm(A, B, bad({ transB: true, alpha: "2" })),
      /gemm: option alpha must be a finite number; got "2"/,
    );
    refuses(() => la.gemm(A, B, bad({ transB: 1 })), /gemm: option transB must be true or false; got 1/);
    const C = la.gemm(A, B, { transB: true, alpha: 2 });
    const want = naiveMul(A, B.transpose());
    assert.ok(
      maxAbsDiff(
        C.data,
        want.data.map((v) => 2 * v),
      ) < 1e-12,
    );
  });

  it("syrk", () => {
    refuses(() => la.syrk(A, bad({ transpose: true })), /^syrk: unknown option "transpose"; allowed: trans, alpha$/);
    refuses(() => la.syrk(A, bad({ trans: 1 })), /syrk: option trans must be true or false; got 1/);
    const C = la.syrk(A, { trans: true, alpha: 0.5 });
    assert.ok(
      maxAbsDiff(
        C.data,
        naiveMul(A.transpose(), A).data.map((v) => 0.5 * v),
      ) < 1e-12,
    );
  });

  it("rank", () => {
    const M = matrixWithSingularValues(4, 3, [3, 2, 1e-20], 13);
    refuses(() => la.rank(M, bad({ tolerance: 1 })), /^rank: unknown option "tolerance"; allowed: tol, symmetric$/);
    refuses(() => la.rank(M, { tol: -1 }), /rank: option tol must be a finite number ≥ 0; got -1/);
    refuses(() => la.rank(M, bad({ symmetric: "yes" })), /rank: option symmetric must be true or false; got "yes"/);
    assert.equal(la.rank(M), 2);
    assert.equal(la.rank(M, { tol: 2.5 }), 1);
    assert.equal(la.rank(symmetricWithSpectrum([4, -3, 0], 14), { symmetric: true }), 2);
  });

  it("pdet and logPdet", () => {
    const S = symmetricWithSpectrum([2, 3, 0], 15);
    refuses(() => la.pdet(S, bad({ tolerance: 1 })), /^pdet: unknown option "tolerance"; allowed: tol$/);
    refuses(() => la.pdet(S, bad({ tol: "1e-9" })), /pdet: option tol must be a finite number ≥ 0; got "1e-9"/);
    refuses(() => la.logPdet(S, bad({ tolerance: 1 })), /^logPdet: unknown option "tolerance"; allowed: tol$/);
    refuses(() => la.logPdet(S, { tol: -2 }), /logPdet: option tol must be a finite number ≥ 0; got -2/);
    assert.ok(rel(la.pdet(S, { tol: 1e-9 }), 6) < 1e-12);
    const l = la.logPdet(S, { tol: 1e-9 });
    assert.ok(rel(l.logAbs, Math.log(6)) < 1e-12);
    assert.deepEqual([l.sign, l.rank], [1, 2]);
    assert.equal(la.logPdet(S, { tol: 2.5 }).rank, 1);
  });

  it("lstsq", () => {
    const M = randn(4, 4, 16);
    const x = randn(4, 1, 17);
    const b = naiveMul(M, x);
    refuses(() => la.lstsq(M, b, bad({ rcnd: 1e-10 })), /^lstsq: unknown option "rcnd"; allowed: rcond$/);
    refuses(() => la.lstsq(M, b, { rcond: -1 }), /lstsq: option rcond must be a finite number ≥ 0; got -1/);
    const r = la.lstsq(M, b, { rcond: 1e-12 });
    assert.equal(r.rank, 4);
    assert.ok(maxAbsDiff(r.x.data, x.data) < 1e-10);
  });
});

describe("export and figures", () => {
  const fig = lineFigure("probe-fig", {
    title: "t",
    x: { title: "x" },
    y: { title: "y" },
    series: [{ name: "a", x: [1, 2], y: [1, 2] }],
  });
  it("figureHtml", () => {
    refuses(
      () => figureHtml(fig, bad({ inline: false })),
      /^figureHtml: unknown option "inline"; allowed: inlinePlotly, staticPlot$/,
    );
    refuses(
      () => figureHtml(fig, bad({ inlinePlotly: "no" })),
      /figureHtml: option inlinePlotly must be true or false; got "no"/,
    );
    const small = figureHtml(fig, { inlinePlotly: false });
    const full = figureHtml(fig);
    // the page title is the figure's title ("t"), as in PDF exports
    assert.match(small, /<title>t<\/title><\/head>/);
    assert.ok(full.length > small.length + 100000, "plotly.js is inlined unless inlinePlotly: false");
  });

  it("renderFigure and save refuse bad options before launching a browser", async () => {
    const launches = exporterStats().launches;
    await refusesAsync(
      () => renderFigure(fig, "png", bad({ widht: 10 })),
      /^renderFigure: unknown option "widht"; allowed: width, height, scale$/,
    );
    await refusesAsync(
      () => renderFigure(fig, "svg", { scale: 0 }),
      /renderFigure: option scale must be a finite number > 0; got 0/,
    );
    await refusesAsync(
      () => save(fig, "/nonexistent/x.png", bad({ hieght: 10 })),
      /^save: unknown option "hieght"; allowed: width, height, scale$/,
    );
    await refusesAsync(
      () => save(fig, "/nonexistent/x.png", bad({ width: "640" })),
      /save: option width must be an integer ≥ 1; got "640"/,
    );
    assert.equal(exporterStats().launches, launches);
    // html needs no browser
    const html = (await renderFigure(fig, "html", { width: 300, height: 200 })).toString("utf8");
    assert.match(html, /<title>t<\/title>/);
  });

  const layout = () => houseLayout({ title: "t", x: { title: "x" }, y: { title: "y" } });
  it("panelRow", () => {
    refuses(
      () => panelRow(layout(), ["a", "b"], bad({ ytitle: "y" })),
      /^panelRow: unknown option "ytitle"; allowed: yLog, yTitle$/,
    );
    refuses(
      () => panelRow(layout(), ["a", "b"], bad({ yLog: "log" })),
      /panelRow: option yLog must be true or false; got "log"/,
    );
    const l = panelRow(layout(), ["a", "b"], { yLog: true, yTitle: "loss" });
    assert.deepEqual((l.xaxis2 as { title: { text: string } }).title, { text: "b" });
    assert.equal((l.yaxis2 as { type: string }).type, "log");
    assert.deepEqual((l.yaxis as { title: { text: string } }).title, { text: "loss" });
  });

  it("panelGrid", () => {
    refuses(
      () => panelGrid(layout(), ["a", "b"], bad({ cols: 2, xlog: true })),
      /^panelGrid: unknown option "xlog"; allowed: cols, yLog, yTitle, xTitle, xLog$/,
    );
    refuses(() => panelGrid(layout(), ["a", "b"], { cols: 0 }), /panelGrid: option cols must be an integer ≥ 1; got 0/);
    refuses(
      () => panelGrid(layout(), ["a", "b"], bad({ cols: 2, yLog: ["yes"] })),
      /panelGrid: option yLog must be true or false or a list \(each item true or false\); got \["yes"\]/,
    );
    refuses(
      () => panelGrid(layout(), ["a", "b"], bad({ xTitle: "x" })),
      /panelGrid: option cols is required \(an integer ≥ 1\)/,
    );
    const l = panelGrid(layout(), ["a", "b", "c"], { cols: 2, yLog: [true, false, true], xTitle: "step" });
    assert.equal((l.annotations as unknown[]).length, 3, "two rows: titles as annotations");
    assert.equal((l.yaxis3 as { type: string }).type, "log");
    assert.equal((l.yaxis2 as { type?: string }).type, "linear");
  });
});

describe("data", () => {
  // one 2×2 RGB image: grey = 0.299R + 0.587G + 0.114B per pixel
  const rgb = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1];
  const img: data.Dataset = {
    name: "img",
    X: new Matrix(1, 12, rgb),
    Y: new Matrix(1, 1),
    imageShape: [2, 2, 3],
    description: "t",
  };
  const lum = [0.299, 0.587, 0.114, 1];
  it("downscale", () => {
    refuses(
      () => data.downscale(img, [1, 1], bad({ gray: true })),
      /^downscale: unknown option "gray"; allowed: grey$/,
    );
    refuses(() => data.downscale(img, [1, 1], bad({ grey: 1 })), /downscale: option grey must be true or false; got 1/);
    const g = data.downscale(img, [1, 1], { grey: true });
    assert.deepEqual(g.imageShape, [1, 1, 1]);
    assert.ok(Math.abs(g.X.data[0] - lum.reduce((a, b) => a + b) / 4) < 1e-12);
    assert.deepEqual(
      Array.from(data.downscale(img, [1, 1], { grey: false }).X.data).map((v) => +v.toFixed(12)),
      [0.5, 0.5, 0.5],
    );
  });

  it("downscaleNearest", () => {
    refuses(
      () => data.downscaleNearest(img, [1, 1], bad({ gray: true })),
      /^downscaleNearest: unknown option "gray"; allowed: grey$/,
    );
    refuses(
      () => data.downscaleNearest(img, [1, 1], bad({ grey: "true" })),
      /downscaleNearest: option grey must be true or false; got "true"/,
    );
    const g = data.downscaleNearest(img, [1, 1], { grey: true });
    assert.ok(Math.abs(g.X.data[0] - 0.299) < 1e-12, "the top-left pixel, red");
    assert.deepEqual(Array.from(data.downscaleNearest(img, [1, 1], { grey: false }).X.data), [1, 0, 0]);
  });

  it("gaussianPairs", () => {
    refuses(
      () => data.gaussianPairs(bad({ n: 10, dIn: 3, dOut: 2, sead: 1 })),
      /^gaussianPairs: unknown option "sead"; allowed: n, dIn, dOut, crossCov, crossNorm, seed$/,
    );
    refuses(
      () => data.gaussianPairs(bad({ n: "10", dIn: 3, dOut: 2 })),
      /gaussianPairs: option n must be a positive integer; got "10"/,
    );
    refuses(
      () => data.gaussianPairs(bad({ n: 10, dIn: 3, dOut: 2, crossCov: "identity" })),
      /gaussianPairs: option crossCov must be one of "random" or a Matrix or a non-empty list/,
    );
    refuses(
      () => data.gaussianPairs({ n: 10, dIn: 3, dOut: 2, crossNorm: 1 }),
      /gaussianPairs: option crossNorm must be a number in \(0, 1\); got 1/,
    );
    refuses(
      () => data.gaussianPairs(bad({ dIn: 3, dOut: 2 })),
      /gaussianPairs: option n is required \(a positive integer\)/,
    );
    refuses(
      () => data.gaussianPairs(undefined as never),
      /gaussianPairs: options must be an object with n, dIn, dOut; got undefined/,
    );
    const g = data.gaussianPairs({ n: 10, dIn: 3, dOut: 2, crossNorm: 0.6, seed: 1 });
    assert.deepEqual([g.X.rows, g.X.cols, g.Y.rows, g.Y.cols], [10, 3, 10, 2]);
    assert.ok(rel(la.svdvals(g.crossCov)[0], 0.6) < 1e-12);
  });

  it("linearTeacher", () => {
    refuses(
      () => data.linearTeacher(bad({ n: 5, dIn: 3, dOut: 2, noize: 0.1 })),
      /^linearTeacher: unknown option "noize"; allowed: n, dIn, dOut, noise, seed$/,
    );
    refuses(
      () => data.linearTeacher({ n: 5, dIn: 3, dOut: 2, noise: -1 }),
      /linearTeacher: option noise must be a finite number ≥ 0; got -1/,
    );
    refuses(
      () => data.linearTeacher(bad({ n: 5, dOut: 2 })),
      /linearTeacher: option dIn is required \(a positive integer\)/,
    );
    const t = data.linearTeacher({ n: 5, dIn: 3, dOut: 2, seed: 3 });
    assert.ok(maxAbsDiff(t.Y.data, naiveMul(t.X, t.teacher.transpose()).data) < 1e-12);
  });

  it("latentData", () => {
    refuses(
      () => data.latentData(bad({ n: 5, k: 2, dIn: 3, dOut: 2, widht: 10 })),
      /^latentData: unknown option "widht"; allowed: n, k, dIn, dOut, width, latent, shift, biasScale, seed$/,
    );
    refuses(
      () => data.latentData(bad({ n: 5, k: 2, dIn: 3, dOut: 2, width: "10" })),
      /latentData: option width must be a positive integer; got "10"/,
    );
    refuses(
      () => data.latentData(bad({ n: 5, dIn: 3, dOut: 2 })),
      /latentData: option k is required \(a positive integer\)/,
    );
    const l = data.latentData({ n: 5, k: 2, dIn: 3, dOut: 2, width: 10, seed: 1 });
    assert.deepEqual([l.X.rows, l.X.cols, l.Y.cols, l.Z.cols], [5, 3, 2, 2]);
  });

  it("loadMnist", () => {
    refuses(
      () => data.loadMnist(bad({ classess: [0, 1] })),
      /^loadMnist: unknown option "classess"; allowed: split, n, classes, seed$/,
    );
    refuses(
      () => data.loadMnist(bad({ classes: 3 })),
      /loadMnist: option classes must be a non-empty list \(each item an integer ≥ 0\); got 3/,
    );
    refuses(
      () => data.loadMnist(bad({ split: "val" })),
      /loadMnist: option split must be "train" or "test"; got "val"/,
    );
    const ds = data.loadMnist({ n: 5, classes: [0, 1], split: "test", seed: 2 });
    assert.deepEqual([ds.X.rows, ds.X.cols, ds.numClasses], [5, 784, 2]);
  });

  it("loadFashionMnist", () => {
    refuses(
      () => data.loadFashionMnist(bad({ directory: "/tmp" })),
      /^loadFashionMnist: unknown option "directory"; allowed: split, n, classes, seed, dir$/,
    );
    refuses(() => data.loadFashionMnist(bad({ dir: 3 })), /loadFashionMnist: option dir must be a folder path; got 3/);
    refuses(
      () => data.loadFashionMnist(bad({ n: "5" })),
      /loadFashionMnist: option n must be a positive integer; got "5"/,
    );
    const ds = data.loadFashionMnist({ n: 5, split: "test", seed: 1 });
    assert.deepEqual([ds.X.rows, ds.X.cols, ds.numClasses], [5, 784, 10]);
  });
});

describe("curvature", () => {
  it("outputGradients", () => {
    refuses(
      () => cv.outputGradients(linSpec, linParams, X, bad({ chunks: 2 })),
      /^outputGradients: unknown option "chunks"; allowed: chunk$/,
    );
    refuses(
      () => cv.outputGradients(linSpec, linParams, X, { chunk: 0 }),
      /outputGradients: option chunk must be an integer ≥ 1; got 0/,
    );
    const og = cv.outputGradients(linSpec, linParams, X, { chunk: 2 });
    const J = linJacobian();
    for (let n = 0; n < 5; n++)
      assert.ok(maxAbsDiff(og.inputJacobian.data.subarray(n * 6, (n + 1) * 6), J.data) < 1e-12);
  });

  it("linearHessianClosedForm", () => {
    refuses(
      () => cv.linearHessianClosedForm(linProblem, bad({ part: ["H"] })),
      /^linearHessianClosedForm: unknown option "part"; allowed: parts, maxBytes$/,
    );
    refuses(
      () => cv.linearHessianClosedForm(linProblem, bad({ parts: "H" })),
      /linearHessianClosedForm: option parts must be a list of "H", "Ho", "Hf"; got "H"/,
    );
    refuses(
      () => cv.linearHessianClosedForm(linProblem, { maxBytes: 0 }),
      /linearHessianClosedForm: option maxBytes must be a number of bytes > 0 \(Infinity for no limit\); got 0/,
    );
    assert.throws(
      () => cv.linearHessianClosedForm(linProblem, { parts: ["Hx" as never] }),
      /linearHessianClosedForm: unknown part "Hx"; allowed: H, Ho, Hf/,
    );
    const closed = cv.linearHessianClosedForm(linProblem, { parts: ["H", "Hf"], maxBytes: Infinity });
    const dense = cv.hessian(linProblem, { parts: ["H", "Hf"] });
    assert.equal(closed.Ho, undefined);
    assert.ok(maxAbsDiff(closed.H!.data, dense.H!.data) < 1e-10 * maxAbs(dense.H!.data));
    assert.ok(maxAbsDiff(closed.Hf!.data, dense.Hf!.data) < 1e-10 * maxAbs(dense.H!.data));
  });

  it("hessian", () => {
    refuses(
      () => cv.hessian(problem, bad<cv.HessianOptions>({ onprogress: () => {} })),
      /^hessian: unknown option "onprogress"; allowed: parts, maxBytes, onProgress$/,
    );
    refuses(
      () => cv.hessian(problem, bad<cv.HessianOptions>({ onProgress: 1 })),
      /hessian: option onProgress must be a function; got 1/,
    );
    refuses(
      () => cv.hessian(problem, { maxBytes: -1 }),
      /hessian: option maxBytes must be a number of bytes > 0 \(Infinity for no limit\); got -1/,
    );
    refuses(
      () => cv.hessian(problem, bad<cv.HessianOptions>({ parts: [1] })),
      /hessian: option parts must be a list of "H", "Ho", "Hf"; got \[1\]/,
    );
    const seen: number[] = [];
    const r = cv.hessian(problem, { parts: ["H", "Ho", "Hf"], maxBytes: 1e6, onProgress: (f) => seen.push(f) });
    assert.ok(seen.length > 0 && seen[seen.length - 1] <= 1);
    const H = r.H!;
    assert.equal(H.rows, params.length);
    assert.ok(maxAbsDiff(H.data, H.transpose().data) < 1e-12 * maxAbs(H.data));
    assert.ok(
      maxAbsDiff(
        H.data,
        r.Ho!.data.map((v, i) => v + r.Hf!.data[i]),
      ) <
        1e-12 * maxAbs(H.data),
    );
  });

  it("topEigenvalues", () => {
    const op = cv.denseOperator(symmetricWithSpectrum([5, -7, 2, 1, 0.5], 21));
    refuses(
      () => cv.topEigenvalues(op, 2, bad({ step: 5 })),
      /^topEigenvalues: unknown option "step"; allowed: steps, seed, which$/,
    );
    refuses(
      () => cv.topEigenvalues(op, 2, bad({ which: "smallest" })),
      /topEigenvalues: option which must be one of "largest", "magnitude"; got "smallest"/,
    );
    refuses(() => cv.topEigenvalues(op, 2, { steps: 0 }), /topEigenvalues: option steps must be an integer ≥ 1; got 0/);
    refuses(
      () => cv.topEigenvalues(op, 2, { seed: 0.5 }),
      /topEigenvalues: option seed must be an integer in \[0, 2³² − 1\]; got 0\.5/,
    );
    const big = cv.topEigenvalues(op, 2, { steps: 5, seed: 3, which: "magnitude" });
    assert.ok(maxAbsDiff(big, [-7, 5]) < 1e-10);
    assert.ok(maxAbsDiff(cv.topEigenvalues(op, 2, { which: "largest" }), [5, 2]) < 1e-10);
  });

  it("hutchinsonTrace", () => {
    // a diagonal matrix: vᵀDv = Σ d_i for every Rademacher v, so the estimate is exact
    const D = new Matrix(4, 4);
    [1, 2, 3, 4].forEach((v, i) => D.set(i, i, v));
    const op = cv.denseOperator(D);
    refuses(
      () => cv.hutchinsonTrace(op, bad({ sample: 10 })),
      /^hutchinsonTrace: unknown option "sample"; allowed: samples, seed$/,
    );
    refuses(
      () => cv.hutchinsonTrace(op, { samples: 1 }),
      /hutchinsonTrace: option samples must be an integer ≥ 2; got 1/,
    );
    refuses(
      () => cv.hutchinsonTrace(op, bad({ seed: "1" })),
      /hutchinsonTrace: option seed must be an integer in \[0, 2³² − 1\]; got "1"/,
    );
    const t = cv.hutchinsonTrace(op, { samples: 8, seed: 2 });
    assert.deepEqual([t.trace, t.stderr, t.samples], [10, 0, 8]);
  });
});

describe("a Hessian that overflowed float64 is refused, with the likely cause", () => {
  it("parameters ~1e200: the loss overflows; the same problem at normal parameters is finite", () => {
    const huge = params.map((v) => v * 1e200);
    const scale = maxAbs(huge);
    assert.throws(
      () => cv.hessian({ ...problem, params: huge }),
      (e: Error) =>
        e instanceof cv.NonFiniteCurvatureError &&
        /^hessian: the loss is (Infinity|NaN) at these parameters — the float64 computation overflowed; likely cause: parameters or inputs too large/.test(
          e.message,
        ) &&
        e.message.includes(`largest |parameter| = ${Number(scale.toPrecision(3))}`) &&
        e.message.includes(`largest |input| = ${Number(maxAbs(X.data).toPrecision(3))}`),
    );
    const linHuge = linParams.map((v) => v * 1e200);
    assert.throws(
      () => cv.linearHessianClosedForm({ ...linProblem, params: linHuge }),
      (e: Error) =>
        e instanceof cv.NonFiniteCurvatureError &&
        /^linearHessianClosedForm: the loss is Infinity at these parameters — the float64 computation overflowed; likely cause: parameters or inputs too large/.test(
          e.message,
        ) &&
        e.message.includes(`largest |parameter| = ${Number(maxAbs(linHuge).toPrecision(3))}`),
    );
    const ok = cv.hessian(problem);
    assert.ok(Number.isFinite(ok.loss));
    for (const M of [ok.H!, ok.Ho!, ok.Hf!]) assert.ok(M.data.every(Number.isFinite));
    const okLin = cv.linearHessianClosedForm(linProblem);
    for (const M of [okLin.H!, okLin.Ho!, okLin.Hf!]) assert.ok(M.data.every(Number.isFinite));
  });

  it("inputs ~1e160 with tiny weights: the loss is finite but H overflows", () => {
    // one linear layer: H = (1/N) Σ x xᵀ ⊗ I, ~1e320 = Infinity, while f ≈ 0 keeps the loss finite
    const s1: nets.NetSpec = { sizes: [3, 2], activation: [], bias: false };
    const Xbig = new Matrix(
      5,
      3,
      new Rng(9).normals(15).map((v) => v * 1e160),
    );
    const p1 = nets.initParams(s1, { seed: 1 }).map((v) => v * 1e-200);
    const prob: cv.Problem = { spec: s1, params: p1, X: Xbig, Y: new Matrix(5, 2) };
    const inputs = `largest |input| = ${Number(maxAbs(Xbig.data).toPrecision(3))}`;
    assert.throws(
      () => cv.hessian(prob, { parts: ["H"] }),
      (e: Error) =>
        e instanceof cv.NonFiniteCurvatureError &&
        /^hessian: H has a non-finite entry (Infinity|NaN) at \(\d+, \d+\) \(loss [\d.e-]+\) — the float64 computation overflowed; likely cause: parameters or inputs too large/.test(
          e.message,
        ) &&
        e.message.includes(inputs),
    );
    assert.throws(
      () => cv.linearHessianClosedForm(prob, { parts: ["Ho"] }),
      (e: Error) =>
        e instanceof cv.NonFiniteCurvatureError &&
        /^linearHessianClosedForm: .*overflowed; likely cause: parameters or inputs too large/.test(e.message) &&
        e.message.includes(inputs),
    );
    // the same network at ordinary inputs
    const fine = cv.hessian({ ...prob, X: new Matrix(5, 3, new Rng(9).normals(15)) }, { parts: ["H"] });
    assert.ok(fine.H!.data.every(Number.isFinite) && maxAbs(fine.H!.data) > 0);
  });
});
