import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

// Constructs Espruino cannot run (../shared/reference/espruino.md §4). The build's checker is the
// authority on the bundle; this rule gives the same message in the editor, on the TypeScript source.
const espruinoRestrictedSyntax = [
  ["ObjectPattern", "destructuring: Espruino has none; read the properties one by one"],
  ["ArrayPattern", "destructuring: Espruino has none; index the array"],
  ["SpreadElement", "spread: Espruino has no '...'; pass arguments or copy elements explicitly"],
  ["RestElement", "rest parameters: Espruino has no '...'; use an array parameter"],
  ["AssignmentPattern", "default parameters: Espruino has none; test for undefined in the body"],
  ["Property[computed=true]", "computed keys: Espruino has none; assign obj[key] = value after creating it"],
  ["BinaryExpression[operator='**']", "'**': Espruino has none; use Math.pow"],
  ["ChainExpression", "optional chaining: Espruino has none; test for undefined first"],
  [":function[async=true]", "async functions: Espruino has none; use Promise.then"],
  [":function[generator=true]", "generators: Espruino has none; use a callback or an index"],
  ["LabeledStatement", "labels: Espruino has none; use a flag or a function"],
  ["TaggedTemplateExpression", "tagged templates: Espruino has none; call a function"],
].map(([selector, message]) => ({ selector, message }));

export default tseslint.config(
  { ignores: ["node_modules", "dist", "coverage", "**/*.fixture.js", "out"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["firmware/src/**/*.ts"],
    ignores: ["firmware/src/**/*.test.ts", "firmware/src/**/*.d.ts"],
    languageOptions: { globals: {} },
    rules: {
      "no-restricted-syntax": ["error", ...espruinoRestrictedSyntax],
      "no-use-before-define": ["error", { functions: true, classes: true, variables: true }],
      "no-loop-func": "error",
      "prefer-const": "off",
      "no-var": "off",
      // Espruino's modules (dgram, Storage, Wifi) are loaded with require(); there is no import.
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
