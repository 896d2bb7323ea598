/**
 * Text put into HTML (notebook output, the exported gallery): the one escape every HTML renderer of rankscope uses.
 */

/** `s` as HTML text or a double-quoted attribute value: & < > " escaped. */
export function escapeHtml(s: unknown): string {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
