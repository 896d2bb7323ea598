import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { escapeHtml } from "../../src/util/html";

describe("escapeHtml", () => {
  it("escapes & first, then < > and double quotes; other text and non-strings as String() gives them", () => {
    assert.equal(escapeHtml(`a & b <c> "d" 'e'`), "a &amp; b &lt;c&gt; &quot;d&quot; 'e'");
    assert.equal(escapeHtml("&lt;"), "&amp;lt;", "an existing entity is escaped again (text, not markup)");
    assert.equal(escapeHtml(3.5), "3.5");
    assert.equal(escapeHtml(null), "null");
    assert.equal(escapeHtml(""), "");
  });
});
