// Espruino has no per-iteration binding for let/const: a closure created in a loop sees the last value.
import { runsLaterThan } from "./scope.ts";
import type { Analysis, Finding } from "./types.ts";

export const LOOP_CAPTURE_RULE = "closure/loop-variable";

const ALTERNATIVE =
  "no per-iteration binding on Espruino: every closure sees the last value; copy the value into a function parameter, e.g. via a helper function that returns the closure";

/**
 * Flags a let/const declared in a loop head or body that a function created inside the same loop
 * refers to; reported once per variable, at the first such reference.
 */
export function checkLoopCapture(analysis: Analysis): Finding[] {
  const findings: Finding[] = [];
  for (const binding of analysis.scopes.bindings) {
    if ((binding.kind !== "let" && binding.kind !== "const") || binding.scope.loop === null) continue;
    const captured = binding.references.find((reference) => runsLaterThan(reference.scope, binding.scope));
    if (captured) {
      findings.push({
        rule: LOOP_CAPTURE_RULE,
        construct: `closure capturing loop variable ${binding.name}`,
        alternative: ALTERNATIVE,
        offset: captured.identifier.start,
      });
    }
  }
  return findings;
}
