// ESLint: Next.js (core web vitals, React, hooks, a11y) + typescript-eslint with type information,
// with Prettier owning the layout. Layers are enforced here as well as in tests/architecture.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import prettier from "eslint-config-prettier/flat";
import tseslint from "typescript-eslint";

const serverImports = {
  group: ["~/server/*", "~/server", "**/server/*"],
  message: "Browser code and the core may not import server modules; shared code belongs in src/core/.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      ".next/**",
      "data/**",
      "src/generated/**",
      "training/**",
      "models/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/await-thenable": "error",
      "@typescript-eslint/switch-exhaustiveness-check": "error",
      "@typescript-eslint/no-unnecessary-type-assertion": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-console": "off",
      "prefer-const": "error",
      "import/no-anonymous-default-export": "off",
    },
  },
  {
    files: ["src/components/**", "src/core/**", "src/trpc/react.tsx"],
    ignores: ["**/__tests__/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ ...serverImports, allowTypeImports: true }] }],
    },
  },
  {
    files: ["**/__tests__/**", "tests/**", "e2e/**", "bench/**"],
    rules: { "@typescript-eslint/no-non-null-assertion": "off" },
  },
  prettier,
);
