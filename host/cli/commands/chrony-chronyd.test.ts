// End to end with a real chronyd: started in the foreground with a private configuration that can
// never touch this machine's clock (-x), its own SOCK socket, command socket, pid, drift and logs in a
// temporary folder, no NTP servers. `timenode chrony --lab` feeds it from a virtual board whose GPS
// time is the system clock + 37 ms (the model), and chronyd must select the refclock and see that
// offset, less half the round trip of the board's serial link (the lab's modelled UART). A second feed
// sends pulse samples (--pps) to a refclock locked to the first, which must see the same offset.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCli, stopAll, type JsonChild } from "../json-child.ts";

const hasChronyd = spawnSync("chronyd", ["--version"]).status === 0;
const TRUE_AHEAD_MS = 37;

function chronyc(commandSocket: string, ...args: string[]): string {
  const result = spawnSync("chronyc", ["-h", commandSocket, "-n", "-c", ...args], { encoding: "utf8" });
  return result.stdout;
}

function waitForFile(dir: string, name: string): Promise<void> {
  return new Promise((done) => {
    const watcher = watch(dir, () => {
      if (existsSync(join(dir, name))) {
        watcher.close();
        done();
      }
    });
    if (existsSync(join(dir, name))) {
      watcher.close();
      done();
    }
  });
}

describe.skipIf(!hasChronyd)("timenode chrony feeding a real chronyd", () => {
  const dir = mkdtempSync(join(tmpdir(), "timenode-chronyd-"));
  // chronyd refuses a command socket in a folder others may enter.
  chmodSync(dir, 0o700);
  const sock = join(dir, "tn.sock");
  const pulseSock = join(dir, "tnp.sock");
  const commandSocket = join(dir, "chronyd.sock");
  const children: JsonChild[] = [];
  let chronyd: ReturnType<typeof spawn> | null = null;
  /** Median offset of the TN samples, once the first test has fed chronyd. */
  let sentOffsetNs: number | null = null;

  afterAll(async () => {
    await stopAll(children);
    if (chronyd && chronyd.exitCode === null) {
      const exited = new Promise((done) => chronyd!.once("exit", done));
      chronyd.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("is selected by chronyd with the offset the model gives", { timeout: 120_000 }, async () => {
    writeFileSync(
      join(dir, "chrony.conf"),
      [
        `refclock SOCK ${sock} refid TN poll 2 filter 4 precision 1e-3`,
        // Pulse samples: the seconds from TN, the place within the second from these.
        `refclock SOCK ${pulseSock} refid TNP poll 2 filter 4 precision 1e-3 lock TN`,
        `pidfile ${join(dir, "chronyd.pid")}`,
        `driftfile ${join(dir, "chrony.drift")}`,
        `logdir ${dir}`,
        "log refclocks measurements statistics tracking",
        "cmdport 0",
        `bindcmdaddress ${commandSocket}`,
        "",
      ].join("\n"),
    );
    const socketReady = waitForFile(dir, "tn.sock");
    chronyd = spawn("chronyd", ["-x", "-d", "-u", "root", "-f", join(dir, "chrony.conf")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let chronydLog = "";
    chronyd.stderr!.on("data", (d: Buffer) => (chronydLog += d.toString()));
    const exited = new Promise<string>((done) => chronyd!.once("exit", (code) => done(`exited (${code})`)));
    const started = await Promise.race([socketReady.then(() => "ready"), exited]);
    expect(started, `chronyd did not start; its log:\n${chronydLog}`).toBe("ready");

    const feed = startCli(
      "chrony",
      "--socket",
      sock,
      "--lab",
      "--lab-offset",
      String(TRUE_AHEAD_MS),
      "--json",
    );
    children.push(feed);
    await feed.next((l) => l["event"] === "feeding");

    // On each sample sent from the 12th on, ask chronyd whether it has selected the refclock.
    let sent = 0;
    let selected: string | null = null;
    while (selected === null) {
      await feed.next(
        (l) => l["event"] === "sample" && l["sent"] === true && ++sent >= 12,
        feed.lines.length,
      );
      const line = chronyc(commandSocket, "sources")
        .split("\n")
        .find((l) => l.includes(",TN,"));
      if (line?.startsWith("#,*,")) selected = line;
      expect(sent, `chronyd did not select TN; its log:\n${chronydLog}`).toBeLessThan(90);
    }

    const samples = feed.lines.filter((l) => l["event"] === "sample" && l["sent"] === true);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const offsetNs = median(samples.map((s) => s["offsetNs"] as number));
    sentOffsetNs = offsetNs;
    const delayNs = median(samples.map((s) => s["delayNs"] as number));
    const boundNs = Math.max(...samples.map((s) => s["nodeBoundNs"] as number));
    // The model: true − system = 37 ms; the midpoint of a round trip is good to half of it.
    expect(Math.abs(offsetNs - TRUE_AHEAD_MS * 1e6)).toBeLessThanOrEqual(delayNs / 2 + boundNs);

    // chronyd took the very samples sent: its refclocks log has their raw offsets.
    const raw = readFileSync(join(dir, "refclocks.log"), "utf8")
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[2] === "TN" && f[3] !== "-" && f.length >= 8)
      .map((f) => Number(f[6]) * 1e9);
    expect(raw.length).toBeGreaterThanOrEqual(8);
    expect(Math.abs(median(raw) - offsetNs)).toBeLessThan(2_000);

    // And its estimate of this machine's clock: that many seconds slow of true time (-x: never applied).
    const tracking = chronyc(commandSocket, "tracking").trim().split(",");
    expect(tracking[1]).toBe("TN");
    const systemSlowNs = Number(tracking[4]) * 1e9;
    expect(Math.abs(systemSlowNs - offsetNs)).toBeLessThan(1_000_000);
  });

  it("takes --pps pulse samples, locked to TN, with the same sign", { timeout: 60_000 }, async () => {
    expect(sentOffsetNs).not.toBeNull();
    const pulses = startCli(
      "chrony",
      "--socket",
      pulseSock,
      "--lab",
      "--lab-offset",
      String(TRUE_AHEAD_MS),
      "--pps",
      "--json",
    );
    children.push(pulses);
    let sent = 0;
    await pulses.next((l) => l["event"] === "sample" && l["sent"] === true && ++sent >= 10);
    // chronyd logs a pulse sample (flag 1) with its raw offset after chrony's negation: if the field
    // were written the other way round, these would be −35 ms, not +35 ms.
    const raw = readFileSync(join(dir, "refclocks.log"), "utf8")
      .split("\n")
      .map((l) => l.trim().split(/\s+/))
      .filter((f) => f[2] === "TNP" && f[5] === "1")
      .map((f) => Number(f[6]) * 1e9);
    expect(raw.length).toBeGreaterThanOrEqual(4);
    const sorted = [...raw].sort((a, b) => a - b);
    expect(Math.abs(sorted[Math.floor(sorted.length / 2)]! - sentOffsetNs!)).toBeLessThan(500_000);
  });
});
