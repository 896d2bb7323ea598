/**
 * A figure is a plain Plotly spec (data + layout) with a name, so it serialises to JSON, exports
 * through headless Chromium, and renders inline in a notebook.
 */
import { RichObject, renderOrDescribe, inspectSymbol } from "../report/render";

export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface FigureSpec {
  name: string;
  data: Trace[];
  layout: Layout;
}

export class Figure implements FigureSpec, RichObject {
  constructor(
    readonly name: string,
    readonly data: Trace[],
    readonly layout: Layout,
  ) {}

  static from(spec: FigureSpec): Figure {
    return new Figure(spec.name, spec.data, spec.layout);
  }

  get title(): string {
    const t = this.layout.title as { text?: string } | undefined;
    return t?.text ?? this.name;
  }

  describe(): string {
    return `Figure "${this.name}": ${this.title} (${this.data.length} traces)`;
  }

  toJSON(): FigureSpec {
    return { name: this.name, data: this.data, layout: this.layout };
  }

  [inspectSymbol](): string {
    return renderOrDescribe(this);
  }
}
