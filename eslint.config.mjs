// ESLint (flat config) with typescript-eslint's recommended rules; run by `npm test` through `npm run lint`.
// Formatting is Prettier's (printWidth 120, `npm run format:check`); max-len here is the hard limit for what
// Prettier cannot break (long string and template literals are split by hand), regular expressions excepted.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "build/",
      "node_modules/",
      "results/",
      "notebooks/",
      "out/",
      "docs/",
      ".rankscope-cache/",
      ".stryker-tmp/",
      "reports/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // lazy require() is deliberate: optional or heavy modules (tfjs-node, the LAPACK addon, workers) load on first use
      "@typescript-eslint/no-require-imports": "off",
      "max-len": ["error", { code: 140, ignoreRegExpLiterals: true, ignoreUrls: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
    },
  },
);
