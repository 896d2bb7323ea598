/**
 * Errors in a notebook cell as errors. tslab writes a cell's exception, and a type error's "line:column - message",
 * as stderr text: Jupyter shows them as an ordinary stream, nbconvert's message is empty, and a reader scrolling past
 * can miss that the cell failed. `installErrorOutputs()` (called by `kernel.setup()`) turns them into Jupyter error
 * outputs (`output_type: "error"`, drawn as a traceback, counted by every runner), with the message first in bold red;
 * an error thrown by rankscope also gets a red box naming the option or input the message names; a type error
 * shows the source line of the cell with a caret under the column.
 *
 * It relies on tslab 1.0's internals (its ZmqServer's handleExecute and its executor's console.error calls); where
 * they are not found, nothing is changed and errors stay stderr text.
 */
import * as path from "node:path";
import { escapeHtml } from "../src/util/html";

interface Current {
  code: string;
  error(ename: string, evalue: string, traceback: string[]): void;
  html(html: string): void;
}

let current: Current | undefined;
let installed = false;

const RED = "\x1b[1;31m";
const RESET = "\x1b[0m";
const esc = escapeHtml;

/** The root of the rankscope package (its dist/ holds src/ and kernel-helpers/). */
const PACKAGE_DIST = path.resolve(__dirname, "..");

/** True when the error was thrown by rankscope's own code (its stack's first frame is in the package). */
export function thrownByRankscope(err: Error): boolean {
  const frame = (err.stack ?? "").split("\n").find((l) => /^\s+at /.test(l));
  return !!frame && frame.includes(PACKAGE_DIST + path.sep);
}

/** The traceback lines of an error output: the message in bold red, then the stack's frames outside Node itself. */
export function errorTraceback(err: Error): string[] {
  const frames = (err.stack ?? "")
    .split("\n")
    .filter((l) => /^\s+at /.test(l) && !/\(node:|node:internal|tslab[\\/]dist/.test(l));
  return [`${RED}${err.name}: ${err.message}${RESET}`, ...frames];
}

/** The traceback of a TypeScript diagnostic: the message, the cell's source line and a caret under the column. */
export function typeErrorTraceback(code: string, line: number, col: number, message: string): string[] {
  const src = code.split("\n")[line - 1];
  const out = [`${RED}TypeScript error at line ${line}, column ${col}: ${message}${RESET}`];
  if (src !== undefined)
    out.push(`${String(line).padStart(4)} | ${src}`, `     | ${" ".repeat(Math.max(0, col - 1))}^`);
  return out;
}

/** The red box of a rankscope error: its message, with the first quoted or `name:` option it names in bold. */
export function errorBoxHtml(err: Error): string {
  return (
    `<div style="border:2px solid #d62728;border-left-width:8px;background:#fdecea;padding:6px 10px;margin:4px 0;` +
    `font-family:monospace;white-space:pre-wrap"><b style="color:#d62728">rankscope error</b> — the cell stopped ` +
    `here; the cells after it did not run.\n${esc(err.message)}</div>`
  );
}

/** Whether a write to stderr comes from tslab's executor itself (past Node's console frames), not from a cell. */
export function fromExecutor(stack: string): boolean {
  const frames = stack.split("\n").filter((l) => /^\s+at /.test(l));
  const first = frames.find((l) => !/node:internal|\(node:|kernel-helpers[\\/]errors/.test(l));
  return !!first && /tslab[\\/]dist[\\/]executor/.test(first);
}

/** A report of tslab's executor as error outputs: a type error ("line:col - message") or an exception's inspect text. */
function report(cur: Current, text: string): void {
  const diag = /^(\S+ )?(\d+):(\d+) - ([\s\S]*?)\n?$/.exec(text);
  if (diag) {
    const [, file, line, col, message] = diag;
    cur.error("TypeScript", `${line}:${col} - ${message}`, [
      ...(file ? [`in ${file.trim()}`] : []),
      ...typeErrorTraceback(file ? "" : cur.code, Number(line), Number(col), message),
    ]);
    return;
  }
  const at = text.search(/\n\s+at /);
  const head = (at < 0 ? text : text.slice(0, at)).trim();
  const colon = head.indexOf(": ");
  const err = new Error(colon > 0 ? head.slice(colon + 2) : head);
  err.name = colon > 0 && /^[\w.$]+$/.test(head.slice(0, colon)) ? head.slice(0, colon) : "Error";
  if (colon > 0 && err.name === "Error" && !/^Error$/.test(head.slice(0, colon))) err.message = head;
  err.stack = `${err.name}: ${err.message}${at < 0 ? "" : text.slice(at).replace(/\n+$/, "")}`;
  if (thrownByRankscope(err)) cur.html(errorBoxHtml(err));
  cur.error(err.name, err.message, errorTraceback(err));
}

/** Installs the error outputs into tslab's kernel (once); returns whether tslab's internals were found. */
export function installErrorOutputs(): boolean {
  if (installed) return true;
  let server: { prototype: Record<string, unknown> } | undefined;
  try {
    server = require("tslab/dist/jupyter").ZmqServer;
  } catch {
    return false;
  }
  const proto = server?.prototype as
    { handleExecute?: (sock: unknown, msg: ExecMsg) => Promise<void>; __rankscope?: boolean } | undefined;
  if (!proto?.handleExecute) return false;
  type ExecMsg = {
    content: { code?: string };
    createReply(): { header: { msg_type: string }; content: unknown; signAndSend(key: unknown, sock: unknown): void };
  };
  const original = proto.handleExecute;
  proto.handleExecute = async function (this: { connInfo: { key: unknown }; iopub: unknown }, sock, msg) {
    const send = (type: string, content: unknown) => {
      const r = msg.createReply();
      r.header.msg_type = type;
      r.content = content;
      r.signAndSend(this.connInfo.key, this.iopub);
    };
    current = {
      code: msg.content?.code ?? "",
      error: (ename, evalue, traceback) => send("error", { ename, evalue, traceback }),
      html: (html) => send("display_data", { data: { "text/html": html }, metadata: {}, transient: {} }),
    };
    try {
      return await original.call(this, sock, msg);
    } finally {
      current = undefined;
    }
  };
  // tslab's executor reports a failed cell with its own reference to console.error, which writes to process.stderr:
  // the report is caught at the stream (tslab assigns process.stderr.write afresh for every cell; keep what it assigns)
  const stream = process.stderr as NodeJS.WriteStream;
  let inner = stream.write.bind(stream) as (...a: unknown[]) => boolean;
  const filtered = (chunk: unknown, ...rest: unknown[]): boolean => {
    const cur = current;
    if (cur && typeof chunk === "string" && fromExecutor(new Error().stack ?? "")) {
      report(cur, chunk);
      (rest.find((r) => typeof r === "function") as (() => void) | undefined)?.();
      return true;
    }
    return inner(chunk, ...rest);
  };
  Object.defineProperty(stream, "write", {
    configurable: true,
    get: () => filtered,
    set: (w: (...a: unknown[]) => boolean) => {
      inner = w;
    },
  });
  installed = true;
  return true;
}
