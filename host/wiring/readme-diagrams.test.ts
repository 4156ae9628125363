// The wiring diagrams in the README are generated: they must match what `timenode wiring show --svg`
// draws today (run from the repository root, as npm test does, since the diagram names its file).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const DIAGRAMS = ["pico/neo-m8n", "esp32/zed-f9t", "puckjs/neo-6m"];

describe("README wiring diagrams", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-diagrams-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(DIAGRAMS)("docs/img for %s is what the generator draws", async (wiring) => {
    const name = `wiring-${wiring.replace("/", "-")}.svg`;
    const result = await runCli("wiring", "show", `wiring/${wiring}.json`, "--svg", join(dir, name));
    expect(result.code).toBe(0);
    const committed = readFileSync(join(ROOT, "docs", "img", name), "utf8");
    expect(readFileSync(join(dir, name), "utf8")).toBe(committed);
  });
});
