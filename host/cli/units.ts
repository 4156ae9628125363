// How numbers read in the terminal: durations in the unit that fits, fixed digits with a dash for
// "no value", servo states by name.
import { SERVO_ACQUIRING, SERVO_HOLDOVER, SERVO_LOCKED, SERVO_NOGPS } from "../../firmware/src/servo.ts";

export const fixed = (value: number, digits: number) =>
  Number.isFinite(value) ? value.toFixed(digits) : "—";

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "—";
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(2)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)} µs`;
  return `${Math.round(ns)} ns`;
}

const SERVO_STATE_NAMES: Record<number, string> = {
  [SERVO_NOGPS]: "NOGPS",
  [SERVO_ACQUIRING]: "ACQUIRING",
  [SERVO_LOCKED]: "LOCKED",
  [SERVO_HOLDOVER]: "HOLDOVER",
};

export function servoStateName(state: number | null): string {
  return state === null ? "—" : (SERVO_STATE_NAMES[state] ?? `state ${state}`);
}
