/**
 * The option rules of src/util/options.ts one by one: what each accepts, what it refuses (±Infinity and NaN for
 * numbers, the bounds themselves) and the exact words of its refusal, written out here by hand.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  OptionError,
  int,
  num,
  bool,
  str,
  fn,
  oneOf,
  listOf,
  either,
  anything,
  checkOptions,
  requireOptions,
} from "../../src/util/options";

/** f() throws an OptionError with exactly this message. */
function refuses(f: () => unknown, message: string): void {
  assert.throws(f, (e: Error) => {
    assert.ok(e instanceof OptionError, `expected an OptionError, got ${e.name}: ${e.message}`);
    assert.equal(e.name, "OptionError");
    assert.equal(e.message, message);
    return true;
  });
}

describe("option rules", () => {
  it("int: integers within the bounds, the bounds included; the refusal names the range", () => {
    const any = int();
    for (const v of [0, -3, 7, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER])
      assert.equal(any(v), undefined, `${v}`);
    for (const v of [1.5, NaN, Infinity, -Infinity, "2", null, undefined, true]) assert.equal(any(v), "an integer");
    assert.equal(any(-Number.MAX_SAFE_INTEGER - 2), "an integer", "below the default lower bound");
    const pos = int(1);
    assert.equal(pos(1), undefined);
    assert.equal(pos(0), "an integer ≥ 1");
    assert.equal(pos(Infinity), "an integer ≥ 1");
    const r = int(2, 5);
    assert.deepEqual([r(2), r(5), r(3)], [undefined, undefined, undefined]);
    assert.deepEqual([r(1), r(6)], ["an integer in [2, 5]", "an integer in [2, 5]"]);
  });

  it("num: finite numbers only (±Infinity and NaN refused even without bounds); exclusive and inclusive bounds", () => {
    const any = num();
    for (const v of [0, -1e300, 1e300, 0.5, -0]) assert.equal(any(v), undefined, `${v}`);
    for (const v of [Infinity, -Infinity, NaN, "1", null, undefined])
      assert.equal(any(v), "a finite number", `${String(v)}`);
    const nonNeg = num(0);
    assert.equal(nonNeg(0), undefined, "the lower bound itself");
    assert.equal(nonNeg(Infinity), "a finite number ≥ 0", "Infinity is not a finite number ≥ 0");
    assert.equal(nonNeg(-1e-300), "a finite number ≥ 0");
    const upTo = num(-Infinity, 3);
    assert.equal(upTo(3), undefined);
    assert.equal(upTo(-Infinity), "a finite number in [-Infinity, 3]");
    assert.equal(upTo(3.0000001), "a finite number in [-Infinity, 3]");
    const pos = num(0, Infinity, { exclusiveMin: true });
    assert.equal(pos(1e-300), undefined);
    assert.equal(pos(0), "a finite number > 0", "the exclusive bound itself");
    assert.equal(pos(Infinity), "a finite number > 0");
    const unit = num(0, 1, { exclusiveMin: true });
    assert.deepEqual([unit(1), unit(0.5)], [undefined, undefined]);
    assert.deepEqual([unit(0), unit(1.5)], ["a finite number in (0, 1]", "a finite number in (0, 1]"]);
    const closed = num(0, 1);
    assert.deepEqual([closed(0), closed(1)], [undefined, undefined]);
    assert.equal(closed(2), "a finite number in [0, 1]");
    assert.equal(num(0, 1, {})(-1), "a finite number in [0, 1]", "exclusiveMin absent is inclusive");
  });

  it("bool, str, fn, oneOf, anything", () => {
    assert.deepEqual([bool(true), bool(false)], [undefined, undefined]);
    for (const v of [0, 1, "true", null, undefined]) assert.equal(bool(v), "true or false");
    assert.equal(str("a"), undefined);
    for (const v of ["", 1, null, undefined, ["a"]]) assert.equal(str(v), "a non-empty string");
    assert.equal(
      fn(() => 1),
      undefined,
    );
    for (const v of ["f", {}, null]) assert.equal(fn(v), "a function");
    const o = oneOf(["a", 2, null]);
    assert.deepEqual([o("a"), o(2), o(null)], [undefined, undefined, undefined]);
    assert.equal(o("b"), 'one of "a", 2, null');
    assert.equal(o("2"), 'one of "a", 2, null');
    for (const v of [undefined, NaN, Symbol(), {}]) assert.equal(anything(v), undefined);
  });

  it("listOf: every item must pass; the refusal names the length and the item rule", () => {
    const l = listOf(int(1));
    assert.equal(l([]), undefined, "an empty list passes without minLength");
    assert.equal(l([1, 2, 3]), undefined);
    assert.equal(l([1, 0]), "a list (each item an integer ≥ 1)");
    assert.equal(l([1, 2.5]), "a list (each item an integer ≥ 1)");
    assert.equal(l("1,2"), "a list (each item an integer ≥ 1)");
    assert.equal(l({ length: 1, 0: 1 }), "a list (each item an integer ≥ 1)", "array-likes are not lists");
    const l2 = listOf(num(), { minLength: 2 });
    assert.equal(l2([1, 2]), undefined, "exactly minLength");
    assert.equal(l2([1]), "a list of at least 2 items (each item a finite number)");
    assert.equal(l2([1, Infinity]), "a list of at least 2 items (each item a finite number)");
    assert.equal(listOf(anything)([1]), undefined);
    assert.equal(listOf(anything)(3), "a list", "a rule that accepts everything is named 'values'");
    assert.equal(listOf(int(), { minLength: 0 })([]), undefined);
    // minLength 1 reads "non-empty"; distinct refuses a repeat, and only a repeat
    const d = listOf(oneOf(["a", "b"]), { minLength: 1, distinct: true });
    const dWords = 'a non-empty list without repeats (each item one of "a", "b")';
    assert.equal(d(["a", "b"]), undefined);
    assert.equal(d(["b"]), undefined);
    assert.equal(d(["a", "a"]), dWords);
    assert.equal(d([]), dWords);
    assert.equal(d(["c"]), dWords);
    assert.equal(listOf(int())([1, 1]), undefined, "repeats pass without distinct");
  });

  it("num with exclusiveMax: the upper bound itself is refused, just below it passes; both ends open", () => {
    const open = num(0, 1, { exclusiveMin: true, exclusiveMax: true });
    assert.equal(open(0.5), undefined);
    assert.equal(open(1 - 2 ** -53), undefined);
    assert.equal(open(1), "a finite number in (0, 1)");
    assert.equal(open(0), "a finite number in (0, 1)");
    assert.equal(open(Number.MIN_VALUE), undefined);
    const halfOpen = num(0, 1, { exclusiveMax: true });
    assert.equal(halfOpen(0), undefined);
    assert.equal(halfOpen(1), "a finite number in [0, 1)");
  });

  it("either: a value passing any rule passes; the refusal joins every rule's words", () => {
    const e = either(bool, listOf(bool));
    assert.deepEqual([e(true), e([false, true]), e([])], [undefined, undefined, undefined]);
    assert.equal(e("yes"), "true or false or a list (each item true or false)");
    assert.equal(e([1]), "true or false or a list (each item true or false)");
  });
});

describe("checkOptions and requireOptions", () => {
  const rules = { steps: int(1), tol: num(0), which: oneOf(["largest", "magnitude"]) };

  it("undefined options and undefined values pass; a valid object passes", () => {
    assert.doesNotThrow(() => checkOptions("f", undefined, rules));
    assert.doesNotThrow(() => checkOptions("f", {}, rules));
    assert.doesNotThrow(() => checkOptions("f", { steps: undefined, tol: 0 }, rules));
    assert.doesNotThrow(() => checkOptions("f", { steps: 3, tol: 1e-3, which: "largest" }, rules));
  });

  it("refuses a non-object, an unknown key and a refused value, with exact messages", () => {
    refuses(() => checkOptions("f", null, rules), "f: options must be an object; got null");
    refuses(() => checkOptions("f", 3, rules), "f: options must be an object; got 3");
    refuses(() => checkOptions("f", [1], rules), "f: options must be an object; got [1]");
    refuses(() => checkOptions("f", "x", rules), 'f: options must be an object; got "x"');
    refuses(() => checkOptions("f", { step: 3 }, rules), 'f: unknown option "step"; allowed: steps, tol, which');
    refuses(() => checkOptions("f", { a: 1 }, {}), 'f: unknown option "a"; allowed: none');
    refuses(() => checkOptions("f", { steps: 0 }, rules), "f: option steps must be an integer ≥ 1; got 0");
    refuses(
      () => checkOptions("f", { tol: Infinity }, rules),
      "f: option tol must be a finite number ≥ 0; got Infinity",
    );
    refuses(
      () => checkOptions("f", { tol: -Infinity }, rules),
      "f: option tol must be a finite number ≥ 0; got -Infinity",
    );
    refuses(() => checkOptions("f", { tol: NaN }, rules), "f: option tol must be a finite number ≥ 0; got NaN");
    refuses(
      () => checkOptions("f", { which: "smallest" }, rules),
      'f: option which must be one of "largest", "magnitude"; got "smallest"',
    );
  });

  it("shows the refused value: functions, symbols, long JSON cut at 80 characters, unserialisable values", () => {
    const r = { x: int() };
    refuses(() => checkOptions("g", { x: () => 1 }, r), "g: option x must be an integer; got a function");
    refuses(() => checkOptions("g", { x: Symbol("s") }, r), "g: option x must be an integer; got Symbol(s)");
    const long = "y".repeat(100);
    refuses(() => checkOptions("g", { x: long }, r), `g: option x must be an integer; got "${"y".repeat(76)}…`);
    const exactly80 = "z".repeat(78); // JSON adds two quotes: 80 characters, not cut
    refuses(() => checkOptions("g", { x: exactly80 }, r), `g: option x must be an integer; got "${exactly80}"`);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    refuses(() => checkOptions("g", { x: cyclic }, r), "g: option x must be an integer; got [object Object]");
    refuses(() => checkOptions("g", { x: 10n }, r), "g: option x must be an integer; got 10n");
    refuses(() => checkOptions("g", { x: [1.5] }, r), "g: option x must be an integer; got [1.5]");
  });

  it("requireOptions: the object and each required key must be there", () => {
    const req = { cols: int(1), rows: int(1) };
    assert.doesNotThrow(() => requireOptions("h", { cols: 2 }, req, ["cols"]));
    assert.doesNotThrow(() => requireOptions("h", { cols: 2, rows: 1 }, req, ["cols", "rows"]));
    refuses(
      () => requireOptions("h", undefined, req, ["cols"]),
      "h: options must be an object with cols; got undefined",
    );
    refuses(
      () => requireOptions("h", [2], req, ["cols", "rows"]),
      "h: options must be an object with cols, rows; got [2]",
    );
    refuses(() => requireOptions("h", null, req, ["cols"]), "h: options must be an object with cols; got null");
    refuses(() => requireOptions("h", 5, req, ["cols"]), "h: options must be an object with cols; got 5");
    refuses(() => requireOptions("h", { rows: 1 }, req, ["cols"]), "h: option cols is required (an integer ≥ 1)");
    refuses(
      () => requireOptions("h", { cols: 1, rows: undefined }, req, ["cols", "rows"]),
      "h: option rows is required (an integer ≥ 1)",
    );
    refuses(() => requireOptions("h", {}, req, ["depth"]), "h: option depth is required (a value)");
  });
});
