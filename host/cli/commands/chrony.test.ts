import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gpioAccessProblem, gpioHost } from "../../gpio/gpio-line.ts";
import { runCli } from "../capture.ts";

describe("timenode chrony", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-chrony-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("needs a time node to feed from", async () => {
    const result = await runCli("chrony", "--socket", join(dir, "x.sock"));
    expect(result.code).toBe(2);
    expect(result.stderr.join("\n")).toMatch(
      /--port <serial port>, --db <file> --node <id> \(a collector's\), --gpio <pin> \(this host's PPS\) or --lab/,
    );
    const two = await runCli("chrony", "--socket", join(dir, "x.sock"), "--lab", "--port", "/dev/ttyACM0");
    expect(two.code).toBe(2);
  });

  it("feeds from a collector's database only with a node named", async () => {
    const result = await runCli("chrony", "--socket", join(dir, "x.sock"), "--db", join(dir, "c.db"));
    expect(result.code).toBe(2);
    expect(result.stderr.at(-1)).toMatch(/--db needs --node/);
    const missing = join(dir, "no-such-folder", "c.db");
    const bad = await runCli("chrony", "--socket", join(dir, "x.sock"), "--db", missing, "--node", "pico-0");
    expect(bad.code).toBe(1);
    expect(bad.stderr.at(-1)).toMatch(/cannot open database .*: the folder must exist/);
  });

  it("will not feed chronyd a GPIO PPS labelled by the clock it measures", async () => {
    const result = await runCli("chrony", "--socket", join(dir, "x.sock"), "--gpio", "18");
    expect(result.code).toBe(2);
    expect(result.stderr.at(-1)).toMatch(/--gpio without --nmea would take the seconds from the very clock/);
  });

  it.skipIf(gpioHost().accessible)("says why there is no GPIO here", async () => {
    const result = await runCli("chrony", "--socket", join(dir, "x.sock"), "--gpio", "18", "--pps");
    expect(result.code).toBe(1);
    expect(result.stderr.at(-1)).toBe(`timenode: ${gpioAccessProblem(gpioHost())}`);
  });

  it("says in one line that no chronyd is behind the socket, and goes on", async () => {
    const socket = join(dir, "missing.sock");
    const result = await runCli("chrony", "--socket", socket, "--lab", "--duration", "1");
    const about = result.stderr.filter((l) => l.includes(socket));
    expect(about).toEqual([
      `chronyd: no socket at ${socket}: start chronyd with "refclock SOCK ${socket}" in chrony.conf first (chronyd creates the socket)`,
    ]);
    // It ran its course: the virtual board was brought up and the summary printed.
    expect(result.stderr.some((l) => l.startsWith("esp32-0: virtual esp32 board"))).toBe(true);
    expect(result.stdout[0]).toMatch(/^esp32-0: 0 samples sent to chronyd/);
    expect(result.code).toBe(1);
  });

  it("names the problem with a serial port that is not there", async () => {
    const result = await runCli("chrony", "--socket", join(dir, "x.sock"), "--port", "/dev/no-such-tty");
    expect(result.code).toBe(1);
    expect(result.stderr.at(-1)).toMatch(/serial port \/dev\/no-such-tty does not exist/);
  });
});
