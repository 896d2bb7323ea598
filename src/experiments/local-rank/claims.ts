/** The claims ledger of this study: filled in by the study's conversion to the ledger. */
import type { ClaimSet } from "../../report/ledger";

export const CLAIMS: ClaimSet = {};
