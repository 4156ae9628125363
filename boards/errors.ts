/** One thing wrong with a profile: where (JSON pointer), what was found, what was expected. */
export interface ProfileProblem {
  path: string;
  value: unknown;
  expected: string;
}

export class UnknownBoardError extends Error {
  constructor(
    readonly id: string,
    readonly knownIds: readonly string[],
  ) {
    super(`unknown board "${id}"; known boards: ${knownIds.join(", ")}`);
    this.name = "UnknownBoardError";
  }
}

/** A profile file that is not valid JSON, breaks the schema or is inconsistent: one message line per problem. */
export class InvalidBoardProfileError extends Error {
  constructor(
    readonly label: string,
    readonly problems: readonly ProfileProblem[],
  ) {
    super(problems.map((problem) => formatProblem(label, problem)).join("\n"));
    this.name = "InvalidBoardProfileError";
  }
}

const MAX_VALUE_CHARS = 60;

export function formatProblem(label: string, problem: ProfileProblem): string {
  return `${label}: ${problem.path || "/"} = ${renderValue(problem.value)}: ${problem.expected}`;
}

function renderValue(value: unknown): string {
  if (value === undefined) return "(missing)";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
