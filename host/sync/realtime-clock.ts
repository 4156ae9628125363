// This machine's time of day (CLOCK_REALTIME, what ptp4l's software timestamps use) in integer ns,
// read through the monotonic hrtime clock: the host clock tracker places the monotonic clock on the time
// of day from readings at Date.now()'s millisecond edges (well under a µs wide), taken at the start and
// again every ten seconds, and notices a step of the time of day. Nothing here sets or adjusts a clock.
import { SYSTEM_CLOCK_READER, TodTracker, type ClockReader } from "../host-clock/tod-tracker.ts";

export interface SyncClock {
  nowNs(): bigint;
  /** Resolution of the timestamps, ns (with how well the offset is known). */
  readonly quantumNs: number;
}

const EDGE_EVERY_NS = 10_000_000_000n;
/** Edges read at the start: the first ones run cold code and bracket the tick loosely. */
const FIRST_EDGES = 8;
const LATER_EDGES = 3;

/** The system's time of day as a SyncClock; `steps` counts the steps of the time of day it followed. */
export function systemRealtimeClock(
  reader: ClockReader = SYSTEM_CLOCK_READER,
): SyncClock & { readonly steps: number } {
  const tracker = new TodTracker(reader);
  for (let i = 0; i < FIRST_EDGES; i++) tracker.observeEdge();
  let edgeAt = reader.monoNs();
  return {
    get quantumNs() {
      return Math.max(1000, Math.ceil(tracker.uncertaintyNs()));
    },
    get steps() {
      return tracker.steps;
    },
    nowNs() {
      let mono = reader.monoNs();
      if (mono - edgeAt > EDGE_EVERY_NS) {
        for (let i = 0; i < LATER_EDGES; i++) tracker.observeEdge();
        edgeAt = mono = reader.monoNs();
      }
      return tracker.systemNsAt(mono);
    },
  };
}
