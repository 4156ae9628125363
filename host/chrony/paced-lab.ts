// `timenode chrony --lab`: one virtual board in paced real time whose GPS time is the host's real
// system clock shifted by a known amount, so what chronyd should measure is known exactly. The model:
//   true UTC(t) = host system time(t) + trueAheadNs
// The lab warms up (cold start, lock) as fast as it can, then its true time is tied to the system
// clock at an anchor and advanced with the monotonic clock from there on.
import { createLab, type Lab } from "../../sim/lab.ts";
import type { TodTracker } from "../host-clock/tod-tracker.ts";
import type { ExchangeClock } from "./board-exchange.ts";

export interface PacedLabOptions {
  board: string;
  seed: number;
  scenario: string;
  /** True UTC − the system clock in the model, ns. */
  trueAheadNs: number;
  /** Virtual seconds run before the anchor (the board should be locked by then). */
  warmupS: number;
  /** Real time allowed for the warm-up, ms: the anchor is placed this far in the future. */
  warmupBudgetMs: number;
  tracker: TodTracker;
  realMonoNs: () => bigint;
}

export interface PacedLab {
  lab: Lab;
  /** The host's clocks inside the model: monotonic = virtual time, system time = true UTC − K. */
  clock: ExchangeClock;
  /** System time (model) at the anchor, ns: samples from before it are warm-up. */
  anchorSystemNs: bigint;
  warmupS: number;
  /** Runs the warm-up, calling `tick` once per virtual second. */
  warmUp(tick: () => void): void;
  /** Real ms still to wait until the anchor (negative: the warm-up overran by that much). */
  msUntilAnchor(): number;
  /** Ties virtual time to the real monotonic clock now. */
  anchor(): void;
  /** Runs the lab up to the real monotonic now; false before anchor(). */
  catchUp(): boolean;
}

const NS_PER_MS = 1_000_000n;

export function createPacedLab(options: PacedLabOptions): PacedLab {
  const { tracker, realMonoNs, warmupS } = options;
  tracker.observe();
  const trueAhead = BigInt(options.trueAheadNs);
  // The anchor's true UTC on a whole millisecond, since the lab's UTC start is in whole ms.
  const nowSystemNs = tracker.systemNsAt(realMonoNs());
  const anchorTrueMs = (nowSystemNs + trueAhead) / NS_PER_MS + BigInt(options.warmupBudgetMs);
  const anchorSystemNs = anchorTrueMs * NS_PER_MS - trueAhead;
  const lab = createLab({
    boards: [options.board],
    scenario: options.scenario,
    seed: options.seed,
    utcStartMs: Number(anchorTrueMs) - warmupS * 1000,
  });
  const virtualNs = () => BigInt(Math.round(lab.scheduler.now * 1e9));
  const anchorVirtualNs = BigInt(warmupS) * 1_000_000_000n;
  let anchorRealMonoNs: bigint | null = null;
  return {
    lab,
    anchorSystemNs,
    warmupS,
    clock: {
      monoNs: virtualNs,
      systemNsAt: (monoNs) => anchorSystemNs + (monoNs - anchorVirtualNs),
    },
    warmUp(tick) {
      for (let t = 1; t <= warmupS; t++) {
        lab.runUntil(t);
        tick();
      }
    },
    msUntilAnchor() {
      tracker.observe();
      return Number(anchorSystemNs - tracker.systemNsAt(realMonoNs())) / 1e6;
    },
    anchor() {
      tracker.observe();
      // Where the system clock reaches the anchor, on the monotonic clock (past, if the warm-up overran).
      anchorRealMonoNs = realMonoNs() + (anchorSystemNs - tracker.systemNsAt(realMonoNs()));
    },
    catchUp() {
      if (anchorRealMonoNs === null) return false;
      const elapsedNs = realMonoNs() - anchorRealMonoNs;
      if (elapsedNs <= 0n) return true;
      lab.runUntil(warmupS + Number(elapsedNs) / 1e9);
      return true;
    },
  };
}
