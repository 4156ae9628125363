// `timenode lab`, the main job: virtual boards live through a scenario while the real collector takes
// their records (serial boards in-process, WiFi boards over the lab's UDP network) into an SQLite file;
// then the report is built from that file alone, and the lab's ground truth is set beside it.
import { fitPhaseDrift } from "../analysis/drift-fit.ts";
import { measuredTempco } from "../analysis/tempco.ts";
import { boundCoverage, type BoundedError, type Coverage } from "../analysis/coverage.ts";
import { REC_CLOCK } from "../../firmware/src/protocol.ts";
import { createLab, type Lab, type LabNode } from "../../sim/lab.ts";
import { createRecordStream } from "../protocol/record-stream.ts";
import { Collector, type CollectorReport, type HostClock } from "../collect/collector.ts";
import type { CollectEvent } from "../collect/events.ts";
import { buildReport } from "../report/build.ts";
import type { ReportModel } from "../report/model.ts";
import { openStore } from "../store/open.ts";
import { attachLabNode, attachLabUdp, labClock } from "../transport/in-process.ts";
import { scenarioLeap, trueClockErrorNs } from "./run.ts";

export const LAB_UDP_PORT = 5740;
/** How often the truth is sampled for the fits set beside the estimates, virtual seconds. */
const TRUTH_EVERY_S = 10;

export interface LabJobOptions {
  boards: string[];
  scenario: string;
  seed: number;
  durationS: number;
  dbPath: string;
  onProgress?: (virtualS: number, durationS: number) => void;
  onEvent?: (event: CollectEvent) => void;
  /** Fixed report time, for reproducible output. */
  generatedAt?: string;
  /** The collector's host clock (default labClock: true elapsed time, which ignores leap seconds). */
  hostClock?: (lab: Lab) => HostClock;
}

/** What the lab knows and the estimates do not: per node, beside the report's numbers. */
export interface NodeTruth {
  name: string;
  /** The same fits as the estimate's, through the true phase: frequency offset (ppm) and aging (ppm/day). */
  driftPpm: number;
  agingPpmPerDay: number;
  /** The true frequency error against the true temperature, fitted the same way as the estimate. */
  tempco: { quadraticPpmPerC2: number; turnoverC: number | null } | null;
  /** The board's clock readings against true UTC. */
  coverage: Coverage | null;
}

export interface LabJobResult {
  scenario: string;
  seed: number;
  durationS: number;
  db: string;
  report: ReportModel;
  truth: NodeTruth[];
  collection: CollectorReport;
}

/** Ground truth gathered while the lab runs (the oscillator models keep only recent history). */
class TruthLog {
  /** Each clock reading a board sent, with its true error: by node, then by the reading's local ns. */
  readonly clockReadings = new Map<string, Map<number, BoundedError>>();
  readonly samples = new Map<
    string,
    { t: number[]; x: number[]; c: number[]; y: number[]; startS: number }
  >();

  constructor(private readonly lab: Lab) {
    lab.nodes.forEach((node, index) => {
      const startS = lab.scenario.environment(index).coldStartS + 1;
      this.samples.set(node.name, { t: [], x: [], c: [], y: [], startS });
      const readings = new Map<number, BoundedError>();
      this.clockReadings.set(node.name, readings);
      const stream = createRecordStream((record) => {
        if (record.type !== REC_CLOCK) return;
        const f = record.fields.map(Number);
        if (f.length < 8 || !f.slice(0, 8).every(Number.isFinite)) return;
        const [localUs, utcS, utcNs, second60, e95, l95, eHard, lHard] = f as [number, ...number[]];
        readings.set(localUs * 1000, {
          errorNs: trueClockErrorNs(lab, node, localUs, utcS!, utcNs!, second60 === 1),
          earliest95Ns: e95!,
          latest95Ns: l95!,
          earliestHardNs: eHard!,
          latestHardNs: lHard!,
        });
      });
      node.onHostBound((data) => stream.push(data));
    });
  }

  /** Once a virtual second: every TRUTH_EVERY_S, the true phase, frequency and temperature. */
  sample(t: number): void {
    this.lab.nodes.forEach((node, index) => {
      const log = this.samples.get(node.name)!;
      if (t >= log.startS && t % TRUTH_EVERY_S === 0) {
        log.t.push(t);
        log.x.push(node.oscillator.truePhaseS(t));
        log.c.push(this.lab.scenario.environment(index).temperature.at(t));
        log.y.push(node.oscillator.trueFrequencyErrorPpm(t) / 1e6);
      }
    });
  }

  nodeTruth(node: LabNode): NodeTruth {
    const log = this.samples.get(node.name)!;
    const clockErrors = [...(this.clockReadings.get(node.name)?.values() ?? [])];
    const enough = log.t.length >= 12;
    const driftPpm = enough ? fitPhaseDrift(log.t, log.x, { model: "linear" }).offsetPpm.value : NaN;
    const agingPpmPerDay = enough
      ? (fitPhaseDrift(log.t, log.x, { model: "quadratic" }).agingPpmPerDay?.value ?? NaN)
      : NaN;
    const measured = enough ? measuredTempco(log.c, log.y) : null;
    const tempco: NodeTruth["tempco"] = measured
      ? {
          quadraticPpmPerC2: measured.fit.quadraticPpmPerC2.value,
          turnoverC: measured.turnover?.temperatureC ?? null,
        }
      : null;
    return {
      name: node.name,
      driftPpm,
      agingPpmPerDay,
      tempco,
      coverage: clockErrors.length > 0 ? boundCoverage(clockErrors) : null,
    };
  }
}

export function runLabJob(options: LabJobOptions): LabJobResult {
  const lab = createLab({
    boards: options.boards,
    scenario: options.scenario,
    seed: options.seed,
    udpHostPort: LAB_UDP_PORT,
  });
  // The lab's database can be made again from the seed: no need to sync every commit to disk.
  const store = openStore(options.dbPath, { synchronous: "normal" });
  try {
    const bySerial = new Map(lab.nodes.map((n) => [n.board.serialNumber, n]));
    const collector = new Collector({
      db: store.db,
      clock: options.hostClock?.(lab) ?? labClock(lab),
      ...(options.onEvent ? { emit: options.onEvent } : {}),
      // Commit every few virtual seconds: the lab runs thousands of times faster than real time.
      flushEveryNs: 5_000_000_000n,
      nameFor: (identity) =>
        bySerial.get(identity.serial)?.name ?? `${identity.board}-${identity.serial.slice(-4)}`,
    });
    for (const node of lab.nodes) if (node.udpHostPort === 0) attachLabNode(collector, node);
    attachLabUdp(collector, lab, LAB_UDP_PORT);
    const truth = new TruthLog(lab);
    const leap = scenarioLeap(lab);
    if (leap.sign !== 0)
      lab.scheduler.at(1, () => {
        for (const node of lab.nodes) node.sendToBoard(`leap ${leap.midnightS} +${leap.sign}\n`);
      });
    const progressEveryS = 600;
    for (let t = 1; t <= options.durationS; t++) {
      lab.runUntil(t);
      collector.tick();
      truth.sample(t);
      if (t % progressEveryS === 0) options.onProgress?.(t, options.durationS);
    }
    collector.flush();
    const report = buildReport(store.db, {
      title: `timenode lab: scenario ${lab.scenario.name}, seed ${lab.seed}`,
      source: options.dbPath,
      ...(options.generatedAt ? { generatedAt: options.generatedAt } : {}),
      clockTruth: (row, reading) => truth.clockReadings.get(row.name)?.get(reading.localNs)?.errorNs ?? null,
    });
    return {
      scenario: lab.scenario.name,
      seed: lab.seed,
      durationS: options.durationS,
      db: options.dbPath,
      report,
      truth: lab.nodes.map((node) => truth.nodeTruth(node)),
      collection: collector.report(),
    };
  } finally {
    store.db.close();
  }
}
