// Test helper: `timenode …` as a child process whose stdout is NDJSON, with a way to wait for a line.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type Database from "better-sqlite3";

export const CLI = join(import.meta.dirname, "..", "..", "bin", "timenode.js");

export type Json = Record<string, unknown>;

/** A child process whose stdout is NDJSON, with a way to wait for a line that matches. */
export class JsonChild {
  readonly lines: Json[] = [];
  private waiters: { match: (line: Json) => boolean; resolve: (line: Json) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    createInterface({ input: child.stdout }).on("line", (text) => {
      let line: Json;
      try {
        line = JSON.parse(text) as Json;
      } catch {
        return;
      }
      this.lines.push(line);
      if (process.env["DEBUG_E2E"]) console.error(JSON.stringify(line).slice(0, 200));
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(line)) return true;
        w.resolve(line);
        return false;
      });
    });
    if (process.env["DEBUG_E2E"])
      child.stderr.on("data", (d: Buffer) => process.stderr.write("ERR " + d.toString()));
    else child.stderr.resume();
    this.exited = new Promise((done) => child.once("exit", (code) => done(code)));
  }

  /** The first line (already seen or still to come) that matches. */
  next(match: (line: Json) => boolean, after = 0): Promise<Json> {
    const seen = this.lines.slice(after).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

/** Kills what is still running (a failed test leaves no process behind) and waits for every exit. */
export async function stopAll(children: readonly JsonChild[]): Promise<void> {
  for (const c of children)
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  await Promise.all(children.map((c) => c.exited));
}

export function startCli(...args: string[]): JsonChild {
  return new JsonChild(spawn(process.execPath, [CLI, ...args]));
}

/** The answer of `timenode sim --control` to `tally`: what each board numbered, per boot. */
export interface Tally {
  virtualS: number;
  nodes: { node: string; serial: string; boots: { bootId: string; sent: number }[] }[];
}

/** Records the boards numbered that a collector's database neither holds nor reports lost. */
export function unaccountedRecords(db: Database.Database, sent: Tally): string[] {
  const storedSeqs = db.prepare<[string, string], { seq: number }>(
    `SELECT r.seq FROM all_records r JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id
     WHERE n.serial = ? AND b.boot_id = ?`,
  );
  const lostRanges = db.prepare<[string, string], { first_seq: number; last_seq: number }>(
    `SELECT l.first_seq, l.last_seq FROM lost_ranges l JOIN boots b USING (boot_key) JOIN nodes n ON n.id = b.node_id
     WHERE n.serial = ? AND b.boot_id = ?`,
  );
  return sent.nodes.flatMap((node) =>
    node.boots.flatMap(({ bootId, sent: count }) => {
      const stored = new Set(storedSeqs.all(node.serial, bootId).map((r) => r.seq));
      const lost = lostRanges.all(node.serial, bootId);
      const missing: string[] = [];
      for (let seq = 0; seq < count; seq++)
        if (!stored.has(seq) && !lost.some((r) => r.first_seq <= seq && seq <= r.last_seq))
          missing.push(`${node.node}/${bootId}/${seq}`);
      return missing;
    }),
  );
}
