// PPS capture: the edge time comes from the interrupt (e.time); the callback only does arithmetic.
import { PPS_GLITCH, PPS_MISSED, PPS_QUEUE_OVERFLOW } from "./protocol.ts";

/** A PPS interval farther than this from 1 s is a glitch (short) or a missing pulse (long). */
export const PPS_TOLERANCE_US = 100000;

export interface PpsState {
  /** Local time of the previous rising edge, µs since boot, or -1 before the first. */
  lastUs: number;
  edges: number;
  glitches: number;
  missed: number;
  /** Set by the FIFO watcher, cleared when the next edge reports it. */
  overflowPending: boolean;
}

export function createPpsState(): PpsState {
  return { lastUs: -1, edges: 0, glitches: 0, missed: 0, overflowPending: false };
}

/** Classifies one rising edge at localUs; returns the flags and updates the state. */
export function ppsEdge(state: PpsState, localUs: number): number {
  let flags = 0;
  if (state.lastUs >= 0) {
    const intervalUs = localUs - state.lastUs;
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
  state.edges++;
  return flags;
}
