/** `npm run notebooks`: delegates to the notebook layer (kernel-helpers/run-notebooks). */
export function main(argv: string[]): Promise<number> {
  return require("../../kernel-helpers/run-notebooks").main(argv);
}
