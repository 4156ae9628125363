// The seams of the virtual lab. Physical models (sim/models) and the Espruino runtime emulation
// (sim/runtime) meet only through these interfaces, so either side can be replaced or tested alone.
//
// Time: "true time" is the lab's ground truth, in seconds (Float64) since the start of the run; it is
// also the scheduler's time. A board's "local time" is what its oscillator-driven clock reads, seconds.

/** Seeded source of randomness; every model takes one, so a run is reproducible from its seed. */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal deviate. */
  normal(): number;
  /** Integer in [min, max], inclusive. */
  int(min: number, max: number): number;
  /** An independent generator derived from this one and a label (stable across runs). */
  fork(label: string): Rng;
}

export type EventHandle = number;

/** Discrete-event scheduler in true time. Events at equal times run in the order they were scheduled. */
export interface Scheduler {
  readonly now: number;
  at(trueTimeS: number, action: () => void): EventHandle;
  after(delayS: number, action: () => void): EventHandle;
  cancel(handle: EventHandle): void;
  /** Run events until true time reaches `untilS` (inclusive); `now` ends at `untilS`. */
  runUntil(untilS: number): void;
}

/**
 * A board's free-running clock as its oscillator drives it. Must be monotonic in true time and
 * invertible. Queries arrive in (mostly) increasing true time; implementations may advance internal
 * noise state lazily.
 */
export interface BoardClock {
  /** Local clock reading (seconds, unquantised) at true time t. */
  localAt(trueTimeS: number): number;
  /** The true time at which the local clock reads `localS` (for timers that run on local time). */
  trueAt(localS: number): number;
  /** Fractional frequency error y (dimensionless, +1e-6 = 1 ppm fast) at true time t, for ground truth. */
  fractionalFrequencyAt(trueTimeS: number): number;
}

/** A temperature seen by a board or an oscillator. */
export interface TemperatureProfile {
  /** Degrees Celsius at true time t. */
  at(trueTimeS: number): number;
}

/** Byte stream endpoint of a modelled serial link (one direction). */
export interface ByteSink {
  /** Bytes arrive at the receiver at true time `trueTimeS` (already paced by baud and latency). */
  deliver(data: string, trueTimeS: number): void;
}

/** Pin-level input into a board: the runtime timestamps the edge as the interrupt would. */
export interface PinInput {
  /** The pin changes to `state` at true time `trueTimeS`. */
  edge(pin: string, state: boolean, trueTimeS: number): void;
}

/** Datagram endpoint for the UDP link model. */
export interface DatagramPeer {
  address: string;
  port: number;
  receive(message: string, from: { address: string; port: number }, trueTimeS: number): void;
}

/** Ground-truth recorder: every model and the runtime may report what really happened. */
export interface TruthRecorder {
  record(kind: string, trueTimeS: number, fields: Record<string, number | string | boolean>): void;
}

/** A modelled UDP network (sim/models implements it; boards and the host bind peers on it). */
export interface DatagramNetwork {
  bind(peer: DatagramPeer): void;
  unbind(peer: DatagramPeer): void;
  /** Sent at true time `trueTimeS`; the network decides delay, loss, duplication and reordering. */
  send(
    from: { address: string; port: number },
    to: { address: string; port: number },
    message: string,
    trueTimeS: number,
  ): void;
}
