import { spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../capture.ts";
import { startCli, stopAll, type JsonChild } from "../json-child.ts";

describe("timenode sync: usage", () => {
  it("wants exactly one link", async () => {
    expect((await runCli("sync", "--role", "slave")).code).toBe(2);
    const both = await runCli("sync", "--role", "slave", "--udp", "224.0.1.129", "--port", "/dev/null");
    expect(both.code).toBe(2);
    expect(both.stderr.join("\n")).toMatch(/give one link/);
  });

  it("names a bad address, domain, port or latency", async () => {
    for (const args of [
      ["--udp", "224.0.1.300"],
      ["--udp", "host.example:319"],
      ["--udp", "224.0.1.129", "--domain", "256"],
      ["--udp", "224.0.1.129", "--event-port", "0"],
      ["--udp", "224.0.1.129", "--ingress-latency-ns", "-5"],
      ["--udp", "224.0.1.129", "--event-port", "4000", "--general-port", "4000"],
      ["--udp", "224.0.1.129", "--db", "x.db"],
    ]) {
      const r = await runCli("sync", "--role", "master", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.join("\n")).not.toMatch(/unexpected error/);
    }
  });

  it("fails (exit 1) as a slave that heard no master, saying what to check", async () => {
    const port = await freeUdpPort();
    const r = await runCli(
      "sync",
      "--role",
      "slave",
      "--udp",
      `127.0.0.1:${port}`,
      "--general-port",
      String(port + 1),
      "--duration",
      "1",
      "--json",
    );
    expect(r.code).toBe(1);
    expect(r.stderr.join("\n")).toMatch(/no exchange completed .* check the link, --domain and the ports/);
    const summary = JSON.parse(r.stdout.at(-1)!) as Record<string, unknown>;
    expect(summary).toMatchObject({ event: "summary", role: "slave", exchanges: 0, state: "listening" });
  });

  it("says what is wrong with a serial port it cannot open (exit 1)", async () => {
    const r = await runCli("sync", "--role", "slave", "--port", "/dev/does-not-exist-ptp");
    expect(r.code).toBe(1);
    expect(r.stderr.join("\n")).toMatch(/does not exist/);
  });
});

/** A UDP port that was free a moment ago (and the one after it, most likely). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket("udp4");
    socket.bind(0, "127.0.0.1", () => {
      const port = socket.address().port;
      socket.close(() => resolve(port < 65535 ? port : port - 1));
    });
  });
}

/** Two linked ptys from socat, ready once it reports the transfer loop. */
function ptyPair(dir: string): Promise<{ a: string; b: string; socat: ChildProcess }> {
  const a = join(dir, "a");
  const b = join(dir, "b");
  return new Promise((resolve, reject) => {
    const socat = spawn("socat", ["-d", "-d", `PTY,raw,echo=0,link=${a}`, `PTY,raw,echo=0,link=${b}`]);
    let stderr = "";
    socat.once("error", reject);
    socat.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("starting data transfer loop")) resolve({ a, b, socat });
    });
  });
}

describe("timenode sync over a serial link (socat pty pair)", () => {
  const children: JsonChild[] = [];
  let socat: ChildProcess | null = null;
  let dir = "";
  afterEach(async () => {
    await stopAll(children.splice(0));
    socat?.kill("SIGKILL");
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("locks a slave to a master, stores the exchanges and shows them in the report", async () => {
    dir = mkdtempSync(join(tmpdir(), "timenode-sync-"));
    const pair = await ptyPair(dir);
    socat = pair.socat;
    const db = join(dir, "sync.db");
    const master = startCli("sync", "--role", "master", "--port", pair.a, "--json");
    const slave = startCli(
      "sync",
      "--role",
      "slave",
      "--port",
      pair.b,
      "--db",
      db,
      "--filter-length",
      "4",
      "--json",
    );
    children.push(master, slave);
    let locked = 0;
    await slave.next((l) => l["event"] === "exchange" && l["state"] === "locked" && ++locked >= 5);
    slave.child.kill("SIGTERM");
    const summary = await slave.next((l) => l["event"] === "summary");
    expect(summary["state"]).toBe("locked");
    const exchanges = slave.lines.filter((l) => l["event"] === "exchange");
    expect(summary["exchanges"]).toBe(exchanges.length);
    // Both ends read this machine's clock: the true offset 0 must lie within every locked bound.
    for (const x of exchanges.filter((l) => l["state"] === "locked"))
      expect(Math.abs(x["estimateNs"] as number)).toBeLessThanOrEqual(x["boundNs"] as number);

    const report = await runCli("report", "--db", db, "--json");
    expect(report.code).toBe(0);
    const model = JSON.parse(report.stdout[0]!) as {
      sync: { exchanges: number; role: string; points: unknown[] }[];
    };
    expect(model.sync).toHaveLength(1);
    expect(model.sync[0]).toMatchObject({ role: "slave", exchanges: exchanges.length });
    expect(model.sync[0]!.points).toHaveLength(exchanges.length);
    const html = join(dir, "report.html");
    const table = await runCli("report", "--db", db, "--html", html);
    expect(table.stdout.join("\n")).toMatch(/PTP SESSION[\s\S]*slave/);
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/<section class="sync" id="sync-1">[\s\S]*<svg/);
  }, 120_000);
});
