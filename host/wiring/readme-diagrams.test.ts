// The wiring diagrams in the README are generated: they must match what `timenode wiring show --svg`
// draws today (run from the repository root, as npm test does, since the diagram names its file).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DIAGRAMS = ["pico/neo-m8n", "esp32/zed-f9t", "puckjs/neo-6m"];

describe("README wiring diagrams", () => {
  it.each(DIAGRAMS)("docs/img for %s is what the generator draws", async (wiring) => {
    const out = join(ROOT, "out", `diagram-${wiring.replace("/", "-")}.svg`);
    const result = await runCli("wiring", "show", `wiring/${wiring}.json`, "--svg", out);
    expect(result.code).toBe(0);
    const committed = readFileSync(
      join(ROOT, "docs", "img", `wiring-${wiring.replace("/", "-")}.svg`),
      "utf8",
    );
    expect(readFileSync(out, "utf8")).toBe(committed);
  });
});
