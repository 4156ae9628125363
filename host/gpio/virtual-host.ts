// Test support: a host in the virtual lab. Its monotonic clock is a modelled oscillator and its time
// of day the sim's host-clock model (steps can be scheduled); a GPS receiver model drives a fake GPIO
// line with user-space latency and sends NMEA over a modelled 9600-baud serial link.
import type { Rng } from "../../sim/contracts.ts";
import { createGpsReceiver } from "../../sim/models/gps.ts";
import { createHostClock, type HostClock } from "../../sim/models/host-clock.ts";
import { createOscillator } from "../../sim/models/oscillator.ts";
import { createSerialLink } from "../../sim/models/serial-link.ts";
import { constantTemperature } from "../../sim/models/temperature.ts";
import { oscillatorSpec } from "../../sim/models/testing/specs.ts";
import { createUtcMapping, type UtcMapping } from "../../sim/models/utc.ts";
import { createRng } from "../../sim/rng.ts";
import { EventScheduler } from "../../sim/scheduler.ts";
import type { ClockReader } from "../host-clock/tod-tracker.ts";
import { createFakeGpio, type FakeGpio, type LatencyModel } from "./fake-gpio.ts";

export interface VirtualHost {
  scheduler: EventScheduler;
  utc: UtcMapping;
  clock: HostClock;
  gpio: FakeGpio;
  reader: ClockReader;
  /** Host monotonic ns at true time t. */
  monoNsAt(trueTimeS: number): bigint;
  /** System clock − true UTC at true time t, ns. */
  trueOffsetNsAt(trueTimeS: number): number;
  /** NMEA bytes from the receiver, with the true time they arrive. */
  onNmea(listener: (data: string, trueTimeS: number) => void): void;
  rng: Rng;
}

export function createVirtualHost(options: {
  seed: number;
  /** Host oscillator frequency error, ppm. */
  hostPpm: number;
  /** System clock − true UTC at the start, s. */
  initialTodOffsetS: number;
  latency?: LatencyModel;
  coldStartS?: number;
}): VirtualHost {
  const rng = createRng(options.seed);
  const scheduler = new EventScheduler();
  const utcStartMs = Date.UTC(2026, 5, 30, 12, 0, 0);
  const utc = createUtcMapping({ utcStartMs });
  const monotonic = createOscillator(
    oscillatorSpec({ type: "host", tolerancePpm: 50, whiteFmAdev1s: 1e-9 }),
    {
      rng: rng.fork("host-oscillator"),
      temperature: constantTemperature(25),
      initialErrorPpm: options.hostPpm,
      agingPpmPerYear: 0,
      initialLocalS: 5000,
      historyS: 1e6,
    },
  );
  const clock = createHostClock({
    monotonic,
    initialTimeOfDayS: utcStartMs / 1000 + options.initialTodOffsetS,
  });
  const gpio = createFakeGpio({
    scheduler,
    rng: rng.fork("latency"),
    edge: "rising",
    ...(options.latency ? { latency: options.latency } : {}),
  });
  const listeners: ((data: string, trueTimeS: number) => void)[] = [];
  const nmea = createSerialLink({
    scheduler,
    rng: rng.fork("nmea-link"),
    baud: 9600,
    maxChunkBytes: 128,
    sink: { deliver: (data, t) => listeners.forEach((l) => l(data, t)) },
  });
  const gps = createGpsReceiver({
    scheduler,
    rng: rng.fork("gps"),
    utc,
    pps: gpio,
    ppsPin: "GPIO17",
    nmea,
    coldStartS: options.coldStartS ?? 5,
  });
  scheduler.at(0, () => gps.start());
  const monoNsAt = (t: number) => BigInt(Math.round(clock.monotonicAt(t) * 1e9));
  return {
    scheduler,
    utc,
    clock,
    gpio,
    rng,
    monoNsAt,
    reader: {
      monoNs: () => monoNsAt(scheduler.now),
      todMs: () => Math.floor(clock.timeOfDayAt(scheduler.now) * 1000),
    },
    trueOffsetNsAt: (t) => (clock.timeOfDayAt(t) - utc.utcMsAt(t) / 1000) * 1e9,
    onNmea: (listener) => void listeners.push(listener),
  };
}
