// Interoperability with linuxptp's ptp4l (software timestamps, UDPv4, E2E) on a veth pair between two
// network namespaces that the test creates and removes. Both ends read the same system clock, so the
// true offset is 0 and what is measured is what software timestamping on veth gives. ptp4l runs with
// --free_running 1 and timenode never adjusts a clock: nothing here steers this machine's time.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, JsonChild, stopAll } from "../cli/json-child.ts";

/** Stated bounds, ns: what software timestamps in JavaScript on a veth pair stay within (docs/sync.md). */
const OFFSET_BOUND_NS = 2_000_000;
const MEDIAN_BOUND_NS = 500_000;

const tag = String(process.pid % 100000);
const NS_A = `tnptp-a-${tag}`;
const NS_B = `tnptp-b-${tag}`;
const VETH_A = `tpa${tag}`;
const VETH_B = `tpb${tag}`;
const ADDR_A = `10.231.${process.pid % 250}.1`;
const ADDR_B = `10.231.${process.pid % 250}.2`;

let unavailable: string | null = null;
let dir = "";

function run(command: string, ...args: string[]): string | null {
  const r = spawnSync(command, args, { encoding: "utf8" });
  if (r.error) return `${command}: ${r.error.message}`;
  if (r.status !== 0) return `${command} ${args.join(" ")}: ${(r.stderr || r.stdout).trim()}`;
  return null;
}

function setUp(): string | null {
  if (process.platform !== "linux") return "network namespaces need Linux";
  if (process.getuid?.() !== 0) return "creating network namespaces needs root";
  const ptp4l = run("ptp4l", "-v");
  if (ptp4l) return `ptp4l is not installed (Debian package linuxptp): ${ptp4l}`;
  const steps: string[][] = [
    ["ip", "netns", "add", NS_A],
    ["ip", "netns", "add", NS_B],
    ["ip", "link", "add", VETH_A, "type", "veth", "peer", "name", VETH_B],
    ["ip", "link", "set", VETH_A, "netns", NS_A],
    ["ip", "link", "set", VETH_B, "netns", NS_B],
    ["ip", "-n", NS_A, "addr", "add", `${ADDR_A}/24`, "dev", VETH_A],
    ["ip", "-n", NS_B, "addr", "add", `${ADDR_B}/24`, "dev", VETH_B],
    ["ip", "-n", NS_A, "link", "set", "lo", "up"],
    ["ip", "-n", NS_B, "link", "set", "lo", "up"],
    ["ip", "-n", NS_A, "link", "set", VETH_A, "up"],
    ["ip", "-n", NS_B, "link", "set", VETH_B, "up"],
    ["ip", "-n", NS_A, "route", "add", "224.0.0.0/4", "dev", VETH_A],
    ["ip", "-n", NS_B, "route", "add", "224.0.0.0/4", "dev", VETH_B],
  ];
  for (const [command, ...args] of steps) {
    const failed = run(command!, ...args);
    if (failed) return `cannot create the veth pair in network namespaces: ${failed}`;
  }
  return null;
}

function inNamespace(ns: string, command: string, args: string[]): ChildProcessWithoutNullStreams {
  return spawn("ip", ["netns", "exec", ns, command, ...args]);
}

/** `timenode sync --json` in a namespace, on the PTP multicast group, bound to that side's address. */
function timenodeSync(ns: string, role: "master" | "slave", address: string, extra: string[]): JsonChild {
  return new JsonChild(
    inNamespace(ns, process.execPath, [
      CLI,
      "sync",
      "--role",
      role,
      "--udp",
      "224.0.1.129",
      "--interface",
      address,
      ...extra,
      "--json",
    ]),
  );
}

/** ptp4l's log lines, with a way to wait for one that matches. */
class Ptp4l {
  readonly lines: string[] = [];
  private waiters: { match: (line: string) => boolean; resolve: () => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    const onLine = (line: string) => {
      this.lines.push(line);
      if (process.env["DEBUG_E2E"]) console.error("ptp4l", line);
      this.waiters = this.waiters.filter((w) => (w.match(line) ? (w.resolve(), false) : true));
    };
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", onLine);
    this.exited = new Promise((done) => child.once("exit", (code) => done(code)));
  }

  /** Resolves once `count` lines (seen so far or still to come) match. */
  until(match: (line: string) => boolean, count = 1): Promise<void> {
    let seen = this.lines.filter(match).length;
    if (seen >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        match: (line: string) => match(line) && ++seen >= count,
        resolve,
      };
      this.waiters.push(waiter);
    });
  }

  stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    return this.exited;
  }
}

const MASTER_OFFSET = /master offset\s+(-?\d+)\s+s(\d)\s+freq\s+[-+]?\d+\s+path delay\s+(-?\d+)/;

function ptp4lConfig(): string {
  const file = join(dir, "ptp4l.cfg");
  // ptp4l's defaults (E2E, UDPv4, two-step, 1 s Sync); announce timeout as default.cfg has it.
  writeFileSync(file, "[global]\nclockClass 248\nannounceReceiptTimeout 3\nlogging_level 6\n");
  return file;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "timenode-ptp4l-"));
  unavailable = setUp();
});

afterAll(() => {
  run("ip", "netns", "del", NS_A);
  run("ip", "netns", "del", NS_B);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("PTP on a veth pair between network namespaces: with ptp4l, and timenode to timenode", () => {
  it("ptp4l as slave selects timenode as its master and measures offsets within the stated bound", async (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    const identity = "02a0b1fffe000001";
    const master = timenodeSync(NS_A, "master", ADDR_A, ["--clock-identity", identity]);
    const ptp4l = new Ptp4l(
      inNamespace(NS_B, "ptp4l", [
        "-i",
        VETH_B,
        "-S",
        "-4",
        "-E",
        "-s",
        "--free_running",
        "1",
        "-m",
        "-f",
        ptp4lConfig(),
      ]),
    );
    try {
      await master.next((l) => l["event"] === "listening");
      await ptp4l.until((l) => MASTER_OFFSET.test(l), 12);
      const ours = "02a0b1.fffe.000001";
      expect(ptp4l.lines.some((l) => l.includes(`selected best master clock ${ours}`))).toBe(true);
      expect(ptp4l.lines.some((l) => /UNCALIBRATED on RS_SLAVE|to SLAVE/.test(l))).toBe(true);
      const offsets = ptp4l.lines.flatMap((l) => {
        const m = MASTER_OFFSET.exec(l);
        return m ? [Number(m[1])] : [];
      });
      const settled = offsets.slice(-8);
      for (const o of settled) expect(Math.abs(o)).toBeLessThan(OFFSET_BOUND_NS);
      expect(Math.abs(median(settled))).toBeLessThan(MEDIAN_BOUND_NS);
      master.child.kill("SIGTERM");
      const summary = await master.next((l) => l["event"] === "summary");
      expect(summary["delayResponses"]).toBeGreaterThan(5);
    } finally {
      await Promise.all([stopAll([master]), ptp4l.stop()]);
    }
  }, 120_000);

  it("timenode as slave of ptp4l locks, and the true offset 0 stays inside its bound", async (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    const ptp4l = new Ptp4l(
      inNamespace(NS_A, "ptp4l", [
        "-i",
        VETH_A,
        "-S",
        "-4",
        "-E",
        "--free_running",
        "1",
        "-m",
        "-f",
        ptp4lConfig(),
      ]),
    );
    const db = join(dir, "slave.db");
    const slave = timenodeSync(NS_B, "slave", ADDR_B, ["--db", db]);
    try {
      await ptp4l.until((l) => l.includes("assuming the grand master role"));
      let locked = 0;
      await slave.next((l) => l["event"] === "exchange" && l["state"] === "locked" && ++locked >= 12);
      slave.child.kill("SIGTERM");
      await slave.next((l) => l["event"] === "summary");
    } finally {
      await Promise.all([stopAll([slave]), ptp4l.stop()]);
    }
    const exchanges = slave.lines.filter((l) => l["event"] === "exchange" && l["state"] === "locked");
    const settled = exchanges.slice(-8);
    for (const x of settled) {
      const estimate = x["estimateNs"] as number;
      expect(Math.abs(estimate)).toBeLessThanOrEqual(x["boundNs"] as number);
      expect(Math.abs(estimate)).toBeLessThan(OFFSET_BOUND_NS);
    }
    expect(Math.abs(median(settled.map((x) => x["offsetNs"] as number)))).toBeLessThan(MEDIAN_BOUND_NS);
    const summary = slave.lines.find((l) => l["event"] === "summary")!;
    expect(summary["exchanges"]).toBeGreaterThanOrEqual(exchanges.length);
    expect(Object.keys(summary["dropped"] as object)).not.toContain("wrong-version");
  }, 150_000);

  it("timenode as slave of timenode, on unprivileged ports, locks with the true offset inside its bound", async (ctx) => {
    if (unavailable) return ctx.skip(`skipped: ${unavailable}`);
    const ports = ["--event-port", "3319", "--general-port", "3320"];
    const master = timenodeSync(NS_A, "master", ADDR_A, ports);
    const slave = timenodeSync(NS_B, "slave", ADDR_B, ports);
    try {
      let locked = 0;
      await slave.next((l) => l["event"] === "exchange" && l["state"] === "locked" && ++locked >= 8);
      slave.child.kill("SIGTERM");
      const summary = await slave.next((l) => l["event"] === "summary");
      expect(summary["link"]).toBe("udp 224.0.1.129:3319/3320");
    } finally {
      await stopAll([master, slave]);
    }
    const settled = slave.lines.filter((l) => l["event"] === "exchange" && l["state"] === "locked");
    for (const x of settled) {
      expect(Math.abs(x["estimateNs"] as number)).toBeLessThanOrEqual(x["boundNs"] as number);
      expect(Math.abs(x["estimateNs"] as number)).toBeLessThan(OFFSET_BOUND_NS);
    }
  }, 150_000);
});
