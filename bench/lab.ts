// Virtual-lab throughput: simulated seconds per wall second for a node-day (86,400 PPS edges with
// NMEA) of the real firmware bundle, for 1 and 10 nodes, and where the time goes (the physical models
// alone, then everything).
import { EventScheduler } from "../sim/scheduler.ts";
import { createLab } from "../sim/lab.ts";
import { createRng } from "../sim/rng.ts";
import { getBoard } from "../boards/index.ts";
import { createGpsReceiver } from "../sim/models/gps.ts";
import { createOscillator } from "../sim/models/oscillator.ts";
import { createSerialLink } from "../sim/models/serial-link.ts";
import { constantTemperature } from "../sim/models/temperature.ts";
import { createUtcMapping } from "../sim/models/utc.ts";

const NODE_DAY_S = 86_400;

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function labDay(boards: string[]) {
  const lab = createLab({ boards, seed: 7 });
  let bytes = 0;
  for (const node of lab.nodes) node.onHostData((data) => (bytes += data.length));
  const start = process.hrtime.bigint();
  lab.runUntil(NODE_DAY_S);
  const wallS = seconds(start);
  return {
    nodes: boards.length,
    virtualS: NODE_DAY_S,
    wallS,
    speedup: NODE_DAY_S / wallS,
    speedupPerNode: (NODE_DAY_S * boards.length) / wallS,
    hostBytes: bytes,
    uncaughtErrors: lab.nodes.reduce((n, node) => n + node.board.uncaughtErrors.length, 0),
  };
}

/** The same day's GPS receiver, 9600-baud link and oscillator, with no board behind them. */
function modelsOnlyDay() {
  const scheduler = new EventScheduler();
  const rng = createRng(7);
  const profile = getBoard("esp32");
  const oscillator = createOscillator(profile.oscillator, {
    rng: rng.fork("osc"),
    temperature: constantTemperature(25),
  });
  let nmeaBytes = 0;
  const link = createSerialLink({
    scheduler,
    rng: rng.fork("link"),
    baud: 9600,
    // A board would read its clock for every chunk; the oscillator's share of the cost belongs here.
    sink: {
      deliver: (data, t) => {
        oscillator.localAt(t);
        nmeaBytes += data.length;
      },
    },
  });
  const gps = createGpsReceiver({
    scheduler,
    rng: rng.fork("gps"),
    utc: createUtcMapping({ utcStartMs: Date.UTC(2026, 5, 30, 12) }),
    pps: { edge: (_pin, _state, t) => void oscillator.localAt(t) },
    ppsPin: "D4",
    nmea: link,
  });
  const start = process.hrtime.bigint();
  gps.start();
  scheduler.runUntil(NODE_DAY_S);
  return { wallS: seconds(start), nmeaBytes };
}

export function benchLab() {
  labDay(["esp32"]); // warm-up: builds the bundle, compiles the models
  const models = modelsOnlyDay();
  const one = labDay(["esp32"]);
  const ten = labDay([
    "pico",
    "esp32",
    "puckjs",
    "espruino-wifi",
    "bangle2",
    "pixljs",
    "mdbt42q",
    "espruino-original",
    "esp32",
    "pico",
  ]);
  return {
    target: "≥ 20000× real time for one node",
    oneNode: one,
    tenNodes: ten,
    whereTheTimeGoes: {
      modelsWallS: models.wallS,
      runtimeAndFirmwareWallS: one.wallS - models.wallS,
      modelsShare: models.wallS / one.wallS,
    },
  };
}
