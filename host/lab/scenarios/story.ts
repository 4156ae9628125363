// A lab story: a demonstration that runs one idea (quorum, Byzantine nodes, fencing, HLC, leap second,
// holdover) deterministically from a seed and ends with what was expected, what happened, and whether
// they match. `lines` is the terminal telling; the rest is the JSON result.

export interface StoryCheck {
  /** What should happen, in words. */
  expected: string;
  /** What did happen, in words with the numbers. */
  observed: string;
  ok: boolean;
}

export interface StoryResult {
  scenario: string;
  description: string;
  seed: number;
  /** The story as told in the terminal, line by line. */
  lines: string[];
  checks: StoryCheck[];
  /** Figures behind the checks, for JSON readers. */
  data: Record<string, unknown>;
  ok: boolean;
}

export interface StoryOptions {
  seed: number;
  /** Where a story that collects into SQLite writes its database (a fresh file). */
  dbPath: string;
  onProgress?: (text: string) => void;
}

export interface Story {
  name: string;
  description: string;
  run(options: StoryOptions): StoryResult;
}

export function check(expected: string, observed: string, ok: boolean): StoryCheck {
  return { expected, observed, ok };
}

export function storyResult(
  story: Pick<Story, "name" | "description">,
  seed: number,
  lines: string[],
  checks: StoryCheck[],
  data: Record<string, unknown>,
): StoryResult {
  return {
    scenario: story.name,
    description: story.description,
    seed,
    lines,
    checks,
    data,
    ok: checks.length > 0 && checks.every((c) => c.ok),
  };
}
