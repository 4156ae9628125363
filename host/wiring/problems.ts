import type { WiringProblem } from "./types.ts";

const MAX_VALUE_CHARS = 60;

/** `file: /json/path = value: expected; fix` — one line, with "warning: " in front of warnings. */
export function formatProblem(problem: WiringProblem): string {
  const prefix = problem.severity === "warning" ? "warning: " : "";
  const line = `${problem.file}: ${problem.path || "/"} = ${renderValue(problem.value)}: ${problem.expected}`;
  return `${prefix}${line}; ${problem.fix}`;
}

export function errorsOf(problems: readonly WiringProblem[]): WiringProblem[] {
  return problems.filter((problem) => problem.severity === "error");
}

function renderValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
