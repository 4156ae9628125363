import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";

describe("timenode now, over the quorum story's database", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-now-"));
  const db = join(dir, "quorum.db");
  let story: { ok: boolean; expected: string[]; observed: string[]; checks: { ok: boolean }[] };
  beforeAll(async () => {
    const result = await runCli("lab", "--scenario", "quorum", "--db", db, "--json");
    expect(result.code).toBe(0);
    story = JSON.parse(result.stdout[0]!);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the story states what it expected and what it observed, and they match", () => {
    expect(story.ok).toBe(true);
    expect(story.expected.length).toBe(story.observed.length);
    expect(story.checks.every((c) => c.ok)).toBe(true);
  });

  it("gives the time as an interval, names the falseticker, and says how it got there", async () => {
    const text = await runCli("now", "--db", db);
    expect(text.code).toBe(0);
    expect(text.stdout[0]).toMatch(
      /^time at the newest reading in .*: 2026-06-30T12:\d\d:\d\d\.\d{9}Z ±[\d.]+ µs, synchronized$/,
    );
    expect(text.stdout.join("\n")).toMatch(/esp32-2\s+synchronized\s+falseticker/);
    const json = await runCli("now", "--db", db, "--json");
    const out = JSON.parse(json.stdout[0]!) as {
      status: string;
      earliestNs: string;
      latestNs: string;
      falsetickers: string[];
    };
    expect(out.status).toBe("synchronized");
    expect(out.falsetickers).toEqual(["esp32-2"]);
    expect(BigInt(out.earliestNs) < BigInt(out.latestNs)).toBe(true);
  });

  it("refuses a guarantee its fault model has too few nodes for (exit 1), and bad input (exit 1 / 2)", async () => {
    const tooFew = await runCli("now", "--db", db, "--faults", "2", "--json");
    expect(tooFew.code).toBe(1);
    const out = JSON.parse(tooFew.stdout[0]!) as { status: string; earliest: string | null; reason: string };
    expect(out).toMatchObject({ status: "unknown", earliest: null });
    expect(out.reason).toContain("needs at least 5");
    const missing = await runCli("now", "--db", join(dir, "nope.db"));
    expect(missing.code).toBe(1);
    expect(missing.stderr.join("\n")).toContain("does not exist");
    expect((await runCli("now", "--db", db, "--faults", "one")).code).toBe(2);
  });

  it("--live carries the readings to this host's present (long after the virtual run): holdover, wider", async () => {
    const live = await runCli("now", "--db", db, "--live", "--json");
    const out = JSON.parse(live.stdout[0]!) as { status: string; widthNs: number; live: boolean };
    expect(out.live).toBe(true);
    expect(out.status).toBe("holdover");
    const stored = JSON.parse((await runCli("now", "--db", db, "--json")).stdout[0]!) as { widthNs: number };
    expect(out.widthNs).toBeGreaterThan(stored.widthNs);
  });
});
