/** Hand-built ledger entries shared by the report tests. */
import type { LedgerEntry, Verdict } from "../../src/report/ledger";

/** An entry whose texts name its id ("claim a", "detail a"), at Fig. 1 under the rule "rule"; `extra` overrides. */
export const entry = (id: string, verdict: Verdict, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  id,
  claim: `claim ${id}`,
  where: "Fig. 1",
  rule: "rule",
  differences: [],
  verdict,
  numbers: {},
  detail: `detail ${id}`,
  ...extra,
});
