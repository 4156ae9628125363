// Stories about boards run the real lab job (firmware bundles on the emulated runtime, collected into
// SQLite), then look at the database as it stood at chosen moments. The lab's host clock is true time
// (utcStartMs + virtual seconds, POSIX with `posixHost`), so the truth at a host moment is that moment.
import type { GrowthPoint } from "../../analysis/interval-growth.ts";
import type { NodeSnapshot } from "../../analysis/true-time.ts";
import { openStore, type Db } from "../../store/open.ts";
import { nodeSnapshots } from "../../truth/snapshots.ts";
import { runLabJob, type LabJobResult } from "../lab-job.ts";
import { getScenario } from "../../../sim/scenarios.ts";
import type { Lab } from "../../../sim/lab.ts";
import type { StoryOptions } from "./story.ts";

export interface CollectedRun {
  job: LabJobResult;
  utcStartNs: bigint;
  /** Host ns of virtual second `t` (POSIX: with `posixHost`, a second less from the leap on). */
  hostNsAt(t: number): bigint;
  /** Every node's latest reading as the database stood at virtual second `t`. */
  snapshotsAt(t: number): NodeSnapshot[];
  close(): void;
}

/**
 * `posixHost`: the collector's clock steps back a second at the scenario's leap, as a host's kernel
 * clock does (the default lab clock counts elapsed seconds and ignores leaps).
 */
export function runCollected(
  options: StoryOptions,
  lab: { boards: string[]; scenario: string; durationS: number; posixHost?: boolean },
): CollectedRun {
  const scenario = getScenario(lab.scenario);
  const utcStartNs = BigInt(scenario.utcStartMs) * 1_000_000n;
  const leapMs = lab.posixHost ? scenario.environment(0).leapSecondsUtcMs[0] : undefined;
  const leapS = leapMs === undefined ? Infinity : (leapMs - scenario.utcStartMs) / 1000;
  const hostNsAt = (t: number) =>
    utcStartNs + BigInt(Math.round(t * 1e9)) - (t >= leapS ? 1_000_000_000n : 0n);
  const job = runLabJob({
    ...(lab.posixHost
      ? {
          hostClock: (l: Lab) => ({
            monoNs: () => BigInt(Math.round(l.scheduler.now * 1e9)),
            wallNs: () => hostNsAt(l.scheduler.now),
          }),
        }
      : {}),
    boards: lab.boards,
    scenario: lab.scenario,
    seed: options.seed,
    durationS: lab.durationS,
    dbPath: options.dbPath,
    generatedAt: "1970-01-01T00:00:00.000Z",
    onProgress: (t, total) => options.onProgress?.(`virtual lab: ${Math.round(t)} of ${total} s`),
  });
  const db: Db = openStore(options.dbPath, { readonly: true }).db;
  const cache = new Map<number, GrowthPoint[]>();
  return {
    job,
    utcStartNs,
    hostNsAt,
    snapshotsAt: (t) => nodeSnapshots(db, cache, hostNsAt(t)),
    close: () => db.close(),
  };
}
