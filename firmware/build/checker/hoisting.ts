// Espruino defines a function declaration only when execution reaches it: nothing is hoisted.
import { runsLaterThan } from "./scope.ts";
import type { Analysis, Finding } from "./types.ts";

export const HOISTING_RULES = {
  function: "hoisting/function",
  class: "hoisting/class",
} as const;

/**
 * Flags a use of a declared function or class that runs before the declaration is reached: textually
 * earlier in the same scope and not inside a function that only runs later.
 */
export function checkHoisting(analysis: Analysis): Finding[] {
  const findings: Finding[] = [];
  for (const binding of analysis.scopes.bindings) {
    if (binding.kind !== "function" && binding.kind !== "class") continue;
    const declaredAt = binding.declaration.start;
    for (const reference of binding.references) {
      if (reference.identifier.start >= declaredAt || runsLaterThan(reference.scope, binding.scope)) continue;
      findings.push(
        binding.kind === "function"
          ? {
              rule: HOISTING_RULES.function,
              construct: `use of function ${binding.name} before its declaration`,
              alternative: `function declarations are not hoisted on Espruino: move the declaration of ${binding.name} above this use`,
              offset: reference.identifier.start,
            }
          : {
              rule: HOISTING_RULES.class,
              construct: `use of class ${binding.name} before its declaration`,
              alternative: `move the declaration of class ${binding.name} above this use`,
              offset: reference.identifier.start,
            },
      );
    }
  }
  return findings;
}
