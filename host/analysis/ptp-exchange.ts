// Offset and mean path delay from one end-to-end exchange (IEEE 1588 E2E, as linuxptp computes them):
//   t1 master sends Sync, t2 slave receives it, t3 slave sends Delay_Req, t4 master receives it;
//   t1c = t1 + corr(Sync) + corr(Follow_Up), t4c = t4 − corr(Delay_Resp);
//   meanPathDelay = ((t2 − t3) + (t4c − t1c)) / 2;  offset = t2 − t1c − meanPathDelay − asymmetry.
// `asymmetryNs` follows 1588's delayAsymmetry: how much longer the master→slave delay is than the mean
// (positive when the path towards the slave is the slower one).
//
// Uncertainty: with no knowledge of how the round trip splits, the true offset lies within half the
// round trip of the symmetric estimate; add the timestamp quantum of both ends and any asymmetry
// correction applied (it is a belief, not a measurement). Differences of the bigint timestamps are taken
// before anything becomes a double, so nothing near 10^18 ns passes through one.

export interface ExchangeTimes {
  t1Ns: bigint;
  t2Ns: bigint;
  t3Ns: bigint;
  t4Ns: bigint;
  /** corr(Sync) + corr(Follow_Up), ns. */
  syncCorrectionNs: number;
  /** corr(Delay_Resp), ns. */
  delayCorrectionNs: number;
}

export interface ExchangeOptions {
  asymmetryNs: number;
  /** Timestamp resolution of the two ends together, ns. */
  quantumNs: number;
}

export interface Exchange {
  /** Slave clock − master clock, ns. */
  offsetNs: number;
  meanPathDelayNs: number;
  /** (t4 − t1) − (t3 − t2): the time the exchange spent on the wire both ways, ns. */
  roundTripNs: number;
  /** Half-width of the interval that holds the true offset, ns. */
  uncertaintyNs: number;
  /** t2 − t1c: offset + master→slave delay, ns. */
  masterToSlaveNs: number;
}

export function computeExchange(t: ExchangeTimes, options: ExchangeOptions): Exchange {
  const masterToSlaveNs = Number(t.t2Ns - t.t1Ns) - t.syncCorrectionNs;
  const slaveToMasterNs = Number(t.t4Ns - t.t3Ns) - t.delayCorrectionNs;
  const meanPathDelayNs = (masterToSlaveNs + slaveToMasterNs) / 2;
  const roundTripNs = masterToSlaveNs + slaveToMasterNs;
  return {
    offsetNs: masterToSlaveNs - meanPathDelayNs - options.asymmetryNs,
    meanPathDelayNs,
    roundTripNs,
    uncertaintyNs: Math.abs(roundTripNs) / 2 + Math.abs(options.asymmetryNs) + options.quantumNs,
    masterToSlaveNs,
  };
}
