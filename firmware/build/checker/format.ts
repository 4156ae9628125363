import type { SourcePosition, Violation } from "./types.ts";

export function formatPosition(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.column}`;
}

/**
 * One line per violation, at the original source position when the source map gives one, followed by
 * the bundle position: "src/main.ts:12:5: destructuring is not supported by Espruino; read the
 * properties one by one (bundle.js:1:345)".
 */
export function formatViolation(violation: Violation): string {
  const message = `${violation.construct} is not supported by Espruino; ${violation.alternative}`;
  if (violation.original === null) return `${formatPosition(violation.at)}: ${message}`;
  return `${formatPosition(violation.original)}: ${message} (${formatPosition(violation.at)})`;
}
