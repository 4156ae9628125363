// PPS capture: the edge time comes from the interrupt (e.time); the callback only does arithmetic.
import { PPS_GLITCH, PPS_MISSED, PPS_QUEUE_OVERFLOW } from "./protocol.ts";

/** A PPS interval farther than this from 1 s is a glitch (short) or a missing pulse (long). */
export const PPS_TOLERANCE_US = 100000;

export interface PpsState {
  /** Local time of the latest rising edge, µs since boot, or -1 before the first. */
  lastUs: number;
  /** Interval from the edge before it, µs (0 for the first edge). */
  intervalUs: number;
  edges: number;
  glitches: number;
  missed: number;
  /** Set by the FIFO watcher, cleared when the next edge reports it. */
  overflowPending: boolean;
}

export function createPpsState(): PpsState {
  return { lastUs: -1, intervalUs: 0, edges: 0, glitches: 0, missed: 0, overflowPending: false };
}

/** Takes one rising edge at localUs: updates lastUs and intervalUs, and returns the edge's flags. */
export function ppsEdge(state: PpsState, localUs: number): number {
  let flags = 0;
  const intervalUs = state.lastUs < 0 ? 0 : localUs - state.lastUs;
  if (state.lastUs >= 0) {
    if (intervalUs < 1000000 - PPS_TOLERANCE_US) {
      flags |= PPS_GLITCH;
      state.glitches++;
    } else if (intervalUs > 1000000 + PPS_TOLERANCE_US) {
      flags |= PPS_MISSED;
      state.missed++;
    }
  }
  if (state.overflowPending) {
    flags |= PPS_QUEUE_OVERFLOW;
    state.overflowPending = false;
  }
  state.lastUs = localUs;
  state.intervalUs = intervalUs;
  state.edges++;
  return flags;
}
