/**
 * How rankscope objects show themselves. The library knows nothing of Jupyter: an environment that
 * can show rich output (the tslab kernel helpers) registers a renderer; without one, objects print a
 * short text summary. Figures and experiment results call `renderOrDescribe` from util.inspect,
 * which is what a notebook uses to show a cell's last value.
 */
export interface RichObject {
  /** one-line or few-line plain-text description */
  describe(): string;
}

type Renderer = (obj: RichObject) => boolean;
let renderer: Renderer | undefined;

/** Registers (or clears) the rich renderer; it returns true when it displayed the object. */
export function setRenderer(r: Renderer | undefined): void {
  renderer = r;
}

export function renderOrDescribe(obj: RichObject): string {
  if (renderer) {
    try {
      if (renderer(obj)) return "";
    } catch (err) {
      return `${obj.describe()}\n(rich display failed: ${(err as Error).message})`;
    }
  }
  return obj.describe();
}

export const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

type ResultHook = (result: unknown) => Promise<void>;
let resultHook: ResultHook | undefined;

/** An async step run on every experiment result before it is returned (e.g. static images). */
export function setResultHook(h: ResultHook | undefined): void {
  resultHook = h;
}

export async function runResultHook(result: unknown): Promise<void> {
  if (resultHook) await resultHook(result);
}
