// A GPIO line with onoff's interface for tests, driven by the virtual lab's GPS PPS model: each edge
// reaches the watch callbacks after a modelled user-space interrupt latency (a floor, an exponential
// spread, and now and then a long stall of a busy machine), on the lab's scheduler.
import type { PinInput, Rng, Scheduler } from "../../sim/contracts.ts";
import type { GpioLine, PpsEdge } from "./gpio-line.ts";

export interface LatencyModel {
  floorS: number;
  meanExcessS: number;
  /** Probability of a stall, and its range in seconds. */
  stallProbability: number;
  stallS: readonly [number, number];
}

/** gpsd's figure for user-space PPS: about ±5 µs with ~20 µs jitter; a loaded Pi is worse. */
export const USER_SPACE_LATENCY: LatencyModel = {
  floorS: 40e-6,
  meanExcessS: 15e-6,
  stallProbability: 0.01,
  stallS: [1e-3, 5e-3],
};

type Callback = (error: Error | null | undefined, value: 0 | 1) => void;

export interface FakeGpio extends GpioLine, PinInput {
  /** True time of each callback and the latency it had, for ground truth. */
  readonly deliveries: { trueTimeS: number; latencyS: number }[];
  readonly unexported: boolean;
}

export function createFakeGpio(options: {
  scheduler: Scheduler;
  rng: Rng;
  edge: PpsEdge;
  latency?: LatencyModel;
}): FakeGpio {
  const latency = options.latency ?? USER_SPACE_LATENCY;
  let callbacks: Callback[] = [];
  let level: 0 | 1 = 0;
  let unexported = false;
  const deliveries: { trueTimeS: number; latencyS: number }[] = [];
  return {
    deliveries,
    get unexported() {
      return unexported;
    },
    edge(_pin, state, trueTimeS) {
      level = state ? 1 : 0;
      if ((options.edge === "rising") !== state || unexported) return;
      let latencyS = latency.floorS - latency.meanExcessS * Math.log(1 - options.rng.uniform());
      if (options.rng.uniform() < latency.stallProbability)
        latencyS += latency.stallS[0] + options.rng.uniform() * (latency.stallS[1] - latency.stallS[0]);
      const value = level;
      options.scheduler.at(trueTimeS + latencyS, () => {
        deliveries.push({ trueTimeS: trueTimeS + latencyS, latencyS });
        for (const callback of callbacks) callback(null, value);
      });
    },
    watch(callback) {
      callbacks.push(callback);
    },
    unwatch(callback) {
      callbacks = callback ? callbacks.filter((c) => c !== callback) : [];
    },
    readSync: () => level,
    unexport() {
      unexported = true;
      callbacks = [];
    },
  };
}
