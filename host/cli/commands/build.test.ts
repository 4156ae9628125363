import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";

const dir = mkdtempSync(join(tmpdir(), "timenode-build-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("timenode build", () => {
  it("writes the bundle and its source map, and says what it costs", async () => {
    const out = join(dir, "pico.js");
    const result = await runCli("build", "--board", "pico", "--out", out);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toMatch(
      /^pico: .*pico\.js \d+ bytes; JsVars ≈ \d+ from Storage, ≈ \d+ if uploaded to RAM \(budget 2550\)$/,
    );
    expect(readFileSync(out, "latin1").length).toBeGreaterThan(1000);
    expect(JSON.parse(readFileSync(out + ".map", "utf8")).version).toBe(3);
  });

  it("reports as JSON", async () => {
    const result = await runCli("build", "--board", "esp8266", "--out", join(dir, "e.js"), "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout[0] ?? "{}");
    expect(report).toMatchObject({ board: "esp8266", ok: true, violations: [], errors: [] });
    expect(report.jsVars.storage).toBeLessThanOrEqual(report.jsVars.budget);
  });

  it("fails with the reason when the budget is too small, writing nothing", async () => {
    const out = join(dir, "small.js");
    const result = await runCli("build", "--board", "puckjs", "--budget", "10", "--out", out);
    expect(result.code).toBe(1);
    expect(result.stderr.join("\n")).toMatch(/over the budget of 10/);
    expect(existsSync(out)).toBe(false);
  });

  it("names the known boards for an unknown one (exit 1) and asks for a board when none is given (exit 2)", async () => {
    const unknown = await runCli("build", "--board", "nope");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.join("\n")).toMatch(/unknown board "nope"; known boards: bangle2, esp32/);
    expect((await runCli("build")).code).toBe(2);
    expect((await runCli("build", "--board", "pico", "--label-offset", "5")).code).toBe(2);
    expect((await runCli("build", "--board", "pico", "--leap-policy", "bogus")).code).toBe(2);
  });

  it("aims a WiFi board's records at a UDP host, and refuses boards without WiFi", async () => {
    const out = join(dir, "esp32-udp.js");
    const built = await runCli("build", "--board", "esp32", "--udp-host", "192.168.1.20:5740", "--out", out);
    expect(built.code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain('"192.168.1.20"');
    const pico = await runCli("build", "--board", "pico", "--udp-host", "192.168.1.20:5740", "--out", out);
    expect(pico.code).toBe(1);
    expect(pico.stderr.join("\n")).toMatch(/pico has no WiFi/);
    expect((await runCli("build", "--board", "esp32", "--udp-host", "nowhere")).code).toBe(2);
  });

  it("takes the board and its GPS pins and baud from a wiring file, and refuses a broken one", async () => {
    const out = join(dir, "pico-f9t.js");
    const wiring = join(import.meta.dirname, "..", "..", "..", "wiring", "esp32", "zed-f9t.json");
    const built = await runCli("build", "--wiring", wiring, "--out", out, "--json");
    expect(built.code).toBe(0);
    expect((JSON.parse(built.stdout[0]!) as { board: string }).board).toBe("esp32");
    // The ZED-F9T talks at 38400 baud, not the 9600 the board's default build expects.
    expect(readFileSync(out, "utf8")).toContain("38400");
    const mismatch = await runCli("build", "--wiring", wiring, "--board", "pico");
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr.join("\n")).toContain("is wiring for esp32, not pico");
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{}");
    const refused = await runCli("build", "--wiring", broken);
    expect(refused.code).toBe(1);
    expect(refused.stderr.join("\n")).toContain("has problems");
  });
});
