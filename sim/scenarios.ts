// Named lab scenarios: the environment each virtual board lives in (temperature, GPS behaviour,
// leap seconds). A scenario is data; sim/lab.ts turns it into models.
import type { TemperatureProfile } from "./contracts.ts";
import type { GpsOutage } from "./models/gps.ts";
import {
  constantTemperature,
  dailyCycle,
  rampTemperature,
  stepTemperature,
  sumTemperature,
} from "./models/temperature.ts";

export interface ScenarioEnvironment {
  temperature: TemperatureProfile;
  outages: GpsOutage[];
  coldStartS: number;
  /** UTC instants (epoch ms of the midnight after 23:59:60) of inserted leap seconds. */
  leapSecondsUtcMs: number[];
  leapStyle: "sixty" | "repeat";
  corruptRate: number;
  /** The receiver's NMEA names the PPS edge that follows it (some older receivers do). */
  labelsNextEdge: boolean;
}

export interface Scenario {
  name: string;
  description: string;
  /** UTC at true time 0. */
  utcStartMs: number;
  /** Suggested run length, seconds. */
  defaultDurationS: number;
  /** The environment of node `index` (nodes may differ: e.g. one sits by the window). */
  environment(index: number): ScenarioEnvironment;
}

const JUNE_30_2026_NOON = Date.UTC(2026, 5, 30, 12, 0, 0);

function steady(): Omit<ScenarioEnvironment, "temperature"> {
  return {
    outages: [],
    coldStartS: 30,
    leapSecondsUtcMs: [],
    leapStyle: "sixty",
    corruptRate: 0.001,
    labelsNextEdge: false,
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "steady",
    description: "constant 25 °C, GPS locked after a 30 s cold start, 0.1 % corrupted NMEA sentences",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 3600,
    environment: () => ({ ...steady(), temperature: constantTemperature(25) }),
  },
  {
    name: "temperature",
    description:
      "lab day: a 10 °C ramp over two hours on top of a ±3 °C daily cycle, and a door-opening step",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 4 * 3600,
    environment: (index) => ({
      ...steady(),
      temperature: sumTemperature(
        rampTemperature({ from: 20, to: 30, startS: 600, durationS: 7200 }),
        dailyCycle({ meanC: 0, amplitudeC: 3, periodS: 86400, phaseS: index * 3600 }),
        stepTemperature({ before: 0, after: -2, atS: 3 * 3600 }),
      ),
    }),
  },
  {
    name: "holdover",
    description: "25 °C, then a one-hour GPS outage (no PPS, RMC status V) starting after 30 minutes",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 3 * 3600,
    environment: () => ({
      ...steady(),
      temperature: constantTemperature(25),
      outages: [{ startS: 1800, endS: 5400, mode: "no-pps" }],
    }),
  },
  {
    name: "lab",
    description:
      "the main lab run: 18–32 °C swinging over four hours (each board a little out of step), and a 30-minute GPS outage after three hours",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 6 * 3600,
    environment: (index) => ({
      ...steady(),
      temperature: dailyCycle({ meanC: 25, amplitudeC: 7, periodS: 4 * 3600, phaseS: index * 600 }),
      outages: [{ startS: 3 * 3600, endS: 3.5 * 3600, mode: "no-pps" }],
    }),
  },
  {
    name: "leap",
    description: "a positive leap second at 2026-12-31T23:59:60Z, shown as 23:59:60 or as a repeated second",
    utcStartMs: Date.UTC(2026, 11, 31, 23, 30, 0),
    defaultDurationS: 3600,
    environment: (index) => ({
      ...steady(),
      temperature: constantTemperature(25),
      leapSecondsUtcMs: [Date.UTC(2027, 0, 1)],
      leapStyle: index % 2 === 0 ? "sixty" : "repeat",
    }),
  },
  {
    name: "next-edge",
    description: "25 °C, receivers whose NMEA names the next PPS edge: the host must notice the 1 s offset",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 1800,
    environment: () => ({ ...steady(), temperature: constantTemperature(25), labelsNextEdge: true }),
  },
  {
    name: "quorum",
    description:
      "25 °C; the third node's receiver names the next PPS edge, so that board's UTC is a whole second off while its bound says microseconds",
    utcStartMs: JUNE_30_2026_NOON,
    defaultDurationS: 1200,
    environment: (index) => ({
      ...steady(),
      temperature: constantTemperature(25),
      labelsNextEdge: index === 2,
    }),
  },
];

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name);
}

export class UnknownScenarioError extends Error {
  constructor(name: string) {
    super(`unknown scenario "${name}"; known scenarios: ${scenarioNames().join(", ")}`);
    this.name = "UnknownScenarioError";
  }
}

export function getScenario(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new UnknownScenarioError(name);
  return scenario;
}
