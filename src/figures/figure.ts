/**
 * A figure is a plain Plotly spec (data + layout) with a name, so it serialises to JSON, exports
 * through headless Chromium, and renders inline in a notebook.
 */
import type { Data, Layout as PlotlyLayout } from "plotly.js";
import { RichObject, renderOrDescribe, inspectSymbol } from "../report/render";

/**
 * One Plotly trace (e.g. `{ type: "scatter", x, y, name }`), as plain JSON, typed by @types/plotly.js (editor
 * completion).
 */
export type Trace = Data;
/** A Plotly layout object (title, axes, margins, annotations, …), as plain JSON, typed by @types/plotly.js. */
export type Layout = Partial<PlotlyLayout>;

/**
 * A layout's slots by name, for keys built at run time (`xaxis${i}`, `yaxis${i}`) that the typed Layout does not index.
 */
export function slots(layout: Layout): Record<string, unknown> {
  return layout as Record<string, unknown>;
}

/** The JSON form of a figure: its name and Plotly spec (what `Figure.toJSON` returns and `Figure.from` reads). */
export interface FigureSpec {
  /** identifier, used as the file name on export */
  name: string;
  /** the Plotly traces */
  data: Trace[];
  /** the Plotly layout */
  layout: Layout;
}

/**
 * A named Plotly figure (traces + layout): renders inline in a notebook, serialises to JSON and exports with `save`.
 * Every figure a study or plotting helper returns is one.
 */
export class Figure implements FigureSpec, RichObject {
  constructor(
    readonly name: string,
    readonly data: Trace[],
    readonly layout: Layout,
  ) {}

  /**
   * A Figure from its JSON form (e.g. a recorded result read from disk); the arrays are used as they are, not copied.
   */
  static from(spec: FigureSpec): Figure {
    return new Figure(spec.name, spec.data, spec.layout);
  }

  /** The layout's title text, or the name when there is none. */
  get title(): string {
    const t = this.layout.title as { text?: string } | undefined;
    return t?.text ?? this.name;
  }

  /** A one-line text account: name, title and number of traces. */
  describe(): string {
    return `Figure "${this.name}": ${this.title} (${this.data.length} traces)`;
  }

  /** The plain JSON form { name, data, layout } (used by JSON.stringify). */
  toJSON(): FigureSpec {
    return { name: this.name, data: this.data, layout: this.layout };
  }

  /**
   * What Node's util.inspect shows (a notebook cell's value): displays the figure through the registered renderer
   * (then returns ""), else `describe()`.
   * @internal
   */
  [inspectSymbol](): string {
    return renderOrDescribe(this);
  }
}
