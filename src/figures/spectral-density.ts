/** Figures of curvature estimates: the spectral density by stochastic Lanczos quadrature (`densityFigure`). */
import type { SpectralDensity } from "../curvature/estimators/spectrum";
import { checkOptions, int, str } from "../util/options";
import { Figure } from "./figure";
import { houseLayout } from "./style";

/**
 * The SLQ density as a figure (log density axis), with the exact eigenvalues' histogram when given; the legend says
 * "approximate" with the measured asymmetry when the density came from an approximate operator.
 */
export function densityFigure(
  d: SpectralDensity,
  opts: { name?: string; title?: string; exact?: ArrayLike<number>; bins?: number } = {},
): Figure {
  checkOptions("densityFigure", opts, {
    name: str,
    title: str,
    exact: (v) => (v && typeof (v as ArrayLike<number>).length === "number" ? undefined : "an array of eigenvalues"),
    bins: int(2),
  });
  // below 1e-8 of the peak the kernel tails are not information: leave gaps there on the log axis
  const floor = 1e-8 * Math.max(...d.density);
  // an approximate operator's density says so, with its measured asymmetry
  const approximate = d.approximate
    ? `; approximate, asymmetry ${Number((100 * d.approximate.asymmetry).toPrecision(2))} %`
    : "";
  const traces: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: "lines",
      name: `SLQ density (${d.nodes.length} probes${approximate})`,
      x: Array.from(d.grid),
      y: Array.from(d.density, (v) => (v > floor ? v : null)),
      line: { color: "#1f77b4" },
    },
  ];
  if (opts.exact && opts.exact.length) {
    const ev = Array.from(opts.exact);
    const lo = d.grid[0];
    const hi = d.grid[d.grid.length - 1];
    const B = opts.bins ?? 80;
    const w = (hi - lo) / B;
    const counts = new Array(B).fill(0);
    for (const x of ev) counts[Math.min(B - 1, Math.max(0, Math.floor((x - lo) / w)))]++;
    traces.push({
      type: "bar",
      name: "exact eigenvalues (histogram)",
      x: counts.map((_, i) => lo + (i + 0.5) * w),
      y: counts.map((c) => (c > 0 ? c / (ev.length * w) : null)),
      width: w,
      marker: { color: "rgba(255,127,14,0.45)" },
    });
  }
  const layout = houseLayout({
    title: opts.title ?? "Spectral density (stochastic Lanczos quadrature)",
    x: { title: "eigenvalue" },
    y: { title: "density", log: true },
  });
  return new Figure(opts.name ?? "spectral-density", traces, layout);
}
