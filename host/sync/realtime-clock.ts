// This machine's time of day (CLOCK_REALTIME, what ptp4l's software timestamps use) in integer ns,
// read through the monotonic hrtime clock: Date.now() only has milliseconds, so the offset between the
// two is found at the instant Date.now() ticks over to the next millisecond (bracketed by two hrtime
// reads, well under a µs apart) and refreshed now and then, which follows slews of the system clock.
// Nothing here ever sets or adjusts a clock.

export interface SyncClock {
  nowNs(): bigint;
  /** Resolution of the timestamps, ns (with how well the offset is known). */
  readonly quantumNs: number;
}

const RECALIBRATE_EVERY_NS = 10_000_000_000n;

/** realtime − monotonic, ns, and how well it is known (half the bracket), from one millisecond edge. */
export function calibrateRealtime(
  hrtime: () => bigint = process.hrtime.bigint,
  dateNow: () => number = Date.now,
): { offsetNs: bigint; uncertaintyNs: number } {
  let before = hrtime();
  const startMs = dateNow();
  for (let spins = 0; spins < 10_000_000; spins++) {
    const a = hrtime();
    const ms = dateNow();
    const b = hrtime();
    if (ms !== startMs) {
      // The tick fell after the previous read (which started after `before`) and before this one ended.
      const middle = (before + b) / 2n;
      return { offsetNs: BigInt(ms) * 1_000_000n - middle, uncertaintyNs: Number(b - before) / 2 };
    }
    before = a;
  }
  // Date.now() did not move in 10 million reads: use it as it is, with a millisecond of doubt.
  return { offsetNs: BigInt(startMs) * 1_000_000n - hrtime(), uncertaintyNs: 1_000_000 };
}

/** The tightest of a few edges: the first ones run cold code and bracket the tick loosely. */
function bestCalibration(edges: number): { offsetNs: bigint; uncertaintyNs: number } {
  let best = calibrateRealtime();
  for (let i = 1; i < edges; i++) {
    const c = calibrateRealtime();
    if (c.uncertaintyNs < best.uncertaintyNs) best = c;
  }
  return best;
}

export function systemRealtimeClock(): SyncClock {
  let calibration = bestCalibration(8);
  let calibratedAt = process.hrtime.bigint();
  return {
    get quantumNs() {
      return Math.max(1000, Math.ceil(calibration.uncertaintyNs));
    },
    nowNs() {
      const mono = process.hrtime.bigint();
      if (mono - calibratedAt > RECALIBRATE_EVERY_NS) {
        calibration = bestCalibration(3);
        calibratedAt = process.hrtime.bigint();
        return process.hrtime.bigint() + calibration.offsetNs;
      }
      return mono + calibration.offsetNs;
    },
  };
}
