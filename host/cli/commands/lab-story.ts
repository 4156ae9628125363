// `timenode lab --scenario <story>`: runs one of the lab's stories (host/lab/scenarios), tells it in the
// terminal, or as JSON with what was expected, what was observed and whether they match. Exit 1 if not.
import type { Story } from "../../lab/scenarios/story.ts";
import { EXIT_FAILURE } from "../errors.ts";
import type { CommandContext } from "../main.ts";

export function runStory(
  story: Story,
  options: { seed: number; db: string; json?: boolean },
  ctx: CommandContext,
): void {
  const result = story.run({
    seed: options.seed,
    dbPath: options.db,
    onProgress: (text) => ctx.out.progress(`${story.name}: ${text}`),
  });
  ctx.out.progressDone();
  if (options.json)
    ctx.out.json({
      scenario: result.scenario,
      description: result.description,
      seed: result.seed,
      ok: result.ok,
      expected: result.checks.map((c) => c.expected),
      observed: result.checks.map((c) => c.observed),
      checks: result.checks,
      data: result.data,
    });
  else {
    for (const line of result.lines) ctx.out.line(line);
    for (const c of result.checks)
      ctx.out.line(`${c.ok ? "ok  " : "FAIL"} expected ${c.expected}: ${c.observed}`);
    ctx.out.line(`${result.scenario}: ${result.ok ? "everything as expected" : "NOT as expected"}`);
  }
  if (!result.ok) ctx.exitCode = EXIT_FAILURE;
}
