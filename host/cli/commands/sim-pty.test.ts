// End to end: `timenode sim --pty` boards opened by an ordinary serial program (socat as the terminal
// program, raw mode), over real pseudo-terminals.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CLI = join(import.meta.dirname, "..", "..", "..", "bin", "timenode.js");
const hasSocat = spawnSync("socat", ["-V"]).status === 0;

interface Endpoint {
  node: string;
  board: string;
  device: string;
  pty: string;
}

/** Resolves with everything `stream` produced once `done(text)` holds; rejects after `limitMs`. */
function readUntil(
  stream: NodeJS.ReadableStream,
  done: (text: string) => boolean,
  limitMs = 20_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`gave up waiting; got: ${text.slice(0, 500)}`)), limitMs);
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (done(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
}

describe.skipIf(!hasSocat)("timenode sim --pty", () => {
  let sim: ChildProcessWithoutNullStreams;
  let endpoints: Endpoint[] = [];
  const dir = mkdtempSync(join(tmpdir(), "timenode-pty-test-"));

  beforeAll(async () => {
    sim = spawn(process.execPath, [
      CLI,
      "sim",
      "--pty",
      dir,
      "--speed",
      "20",
      "--board",
      "pico",
      "esp32",
      "--json",
    ]);
    const ready = await readUntil(sim.stdout, (text) => text.includes("\n"));
    endpoints = (JSON.parse(ready.split("\n")[0] ?? "{}") as { endpoints: Endpoint[] }).endpoints;
  });

  afterAll(async () => {
    if (sim.exitCode === null) {
      const exited = new Promise((done) => sim.once("exit", done));
      sim.kill("SIGINT");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("prints where each board can be reached", () => {
    expect(endpoints.map((e) => [e.node, e.device])).toEqual([
      ["pico-0", "USB"],
      ["esp32-1", "Serial1"],
    ]);
    for (const e of endpoints) expect(e.pty).toBe(join(dir, e.node));
  });

  it("streams records to a serial program and answers its commands", async () => {
    for (const endpoint of endpoints) {
      const terminal = spawn("socat", ["-", `${endpoint.pty},raw,echo=0`]);
      let sent = false;
      // A command sent before the board has booted is lost, as on a board that is still powering up:
      // send it once the hello has arrived.
      const text = await readUntil(terminal.stdout, (text) => {
        if (!sent && text.includes("#TN1,H,")) {
          terminal.stdin.write("bogus-command\n");
          sent = true;
        }
        return text.includes("#TN1,X,") && /#TN1,P,/.test(text);
      });
      terminal.kill();
      expect(text).toMatch(/#TN1,P,[0-9A-F]{8},\d+,\d+,\d+,\d+\*[0-9A-F]{8}\r\n/);
      expect(text).toMatch(/#TN1,X,[0-9A-F]{8},\d+,unknown-command,bogus-command\*[0-9A-F]{8}/);
    }
  });

  it("stops cleanly on SIGINT and removes its pseudo-terminals", async () => {
    const stopped = readUntil(sim.stdout, (text) => text.includes('"stopped"'));
    sim.kill("SIGINT");
    expect(await stopped).toMatch(/"event":"stopped"/);
    await new Promise((done) => sim.once("exit", done));
    expect(sim.exitCode).toBe(0);
    expect(spawnSync("ls", [dir]).stdout.toString().trim()).toBe("");
  });
});
