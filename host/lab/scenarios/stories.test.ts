import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findStory, storyNames } from "./index.ts";

describe("the lab's stories", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-stories-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const run = (name: string, seed: number) =>
    findStory(name)!.run({ seed, dbPath: join(dir, `${name}-${seed}-${n++}.db`) });

  it("are the six the CLI offers", () => {
    expect(storyNames()).toEqual(["quorum", "byzantine", "fencing", "hlc", "leap", "holdover"]);
  });

  it.each([1, 2, 3])("fencing and hlc (host-level, virtual time) hold for seed %i", (seed) => {
    for (const name of ["fencing", "hlc"]) {
      const result = run(name, seed);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      expect(result.ok).toBe(true);
    }
  });

  it.each(["byzantine", "leap", "holdover"])(
    "%s (firmware on the virtual lab) holds for seed 1",
    { timeout: 120_000 },
    (name) => {
      const result = run(name, 1);
      expect(result.checks.filter((c) => !c.ok)).toEqual([]);
      expect(result.lines.length).toBeGreaterThan(1);
    },
  );

  it(
    "the byzantine liar is named only once its lie leaves its bound, and the wandering lie later than the constant one",
    { timeout: 120_000 },
    () => {
      const result = run("byzantine", 2);
      expect(result.ok).toBe(true);
      const data = result.data as Record<string, { firstNamedS: number }>;
      expect(data["slowly wandering offset"]!.firstNamedS).toBeGreaterThan(
        data["constant offset"]!.firstNamedS,
      );
    },
  );
});
