// Electrical cross-checks: logic levels both ways, the supply against the module's range, and the PPS
// edge and width the firmware needs.
import { problem, type CheckInput, type End } from "./check-common.ts";
import type { GpsModule, Wiring, WiringProblem } from "./types.ts";

/** (inference) The usual CMOS absolute maximum for an input is its supply + 0.3 V. */
export const INPUT_MARGIN_V = 0.3;
/** (inference) A 5 V-tolerant input takes a 5 V signal with 10 % to spare. */
export const FIVE_VOLT_TOLERANT_MAX_V = 5.5;
/** u-blox data sheets give V_IH ≥ 0.7·VCC for their I/O; (inference) the same for other modules. */
export const INPUT_HIGH_FRACTION = 0.7;
/** espruino.md §1.2: without `hispeed`, nRF52 boards may miss pulses shorter than 25 µs. */
export const NRF52_MIN_PULSE_S = 25e-6;
/** Volts are compared with this slack so that 3.0 + 0.3 is not above 3.3. */
const EPSILON_V = 1e-9;

/** The module's output high level: its fixed logic level, or its supply when the I/O runs from VCC. */
export function moduleLogicVolts(module: GpsModule, wiring: Wiring): number {
  const logic = module.logicVolts.value;
  return logic === "supply" ? wiring.connections.power.volts : logic;
}

export function levelProblems(input: CheckInput, existing: readonly End[]): WiringProblem[] {
  const { board, module, wiring } = input;
  const moduleVolts = moduleLogicVolts(module, wiring);
  const io = board.pins.ioVoltage;
  const tolerant = board.pins.fiveVoltTolerant;
  const problems: WiringProblem[] = [];
  for (const end of existing) {
    if (end.path.includes("/boardTxToModuleRx/")) {
      problems.push(...boardToModuleLevelProblems(input, end, moduleVolts));
      continue;
    }
    const isTolerant = tolerant.includes(end.pin);
    const limit = isTolerant ? FIVE_VOLT_TOLERANT_MAX_V : io + INPUT_MARGIN_V;
    if (moduleVolts <= limit + EPSILON_V) continue;
    const what = isTolerant
      ? `${end.pin} is 5 V tolerant but takes at most ${round(limit)} V`
      : `${end.pin} is not 5 V tolerant (${board.id} I/O ${io} V, at most ${round(limit)} V; boards/${board.id}.json /pins/fiveVoltTolerant)`;
    const others = tolerant.length ? `; 5 V-tolerant pins on ${board.id}: ${tolerant.join(" ")}` : "";
    problems.push(
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${module.name} drives ${round(moduleVolts)} V logic into ${end.pin}, and ${what}`,
        `add a level shifter (or a resistor divider) between them, or run the module's I/O at ${io} V${others}`,
      ),
    );
  }
  return problems;
}

function boardToModuleLevelProblems(input: CheckInput, end: End, moduleVolts: number): WiringProblem[] {
  const { board, module } = input;
  const io = board.pins.ioVoltage;
  const max = moduleVolts + INPUT_MARGIN_V;
  const minHigh = INPUT_HIGH_FRACTION * moduleVolts;
  if (io > max + EPSILON_V) {
    return [
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${board.id} drives ${io} V logic from ${end.pin} into ${module.name}'s ${module.pins.value.rx.name}, which takes at most ${round(max)} V at ${round(moduleVolts)} V logic`,
        "add a level shifter, or leave the module's RX unconnected",
      ),
    ];
  }
  if (io < minHigh - EPSILON_V) {
    return [
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${board.id}'s ${io} V high level from ${end.pin} is below ${module.name}'s input-high threshold of about ${round(minHigh)} V (0.7 × ${round(moduleVolts)} V, inference)`,
        "add a level shifter, or leave the module's RX unconnected",
      ),
    ];
  }
  return [];
}

export function powerProblems(input: CheckInput): WiringProblem[] {
  const { module, wiring } = input;
  const volts = wiring.connections.power.volts;
  const range = module.supplyVolts.value;
  if (volts >= range.min - EPSILON_V && volts <= range.max + EPSILON_V) return [];
  return [
    problem(
      input.wiringFile,
      "/connections/power/volts",
      volts,
      `${module.name} needs a ${range.min}–${range.max} V supply (${module.supplyVolts.source})`,
      `power it from a pin or regulator between ${range.min} and ${range.max} V`,
    ),
  ];
}

/** The firmware timestamps rising edges (firmware/src/main.ts: setWatch edge "rising"). */
export function pulseProblems(input: CheckInput): WiringProblem[] {
  const { board, module } = input;
  const problems: WiringProblem[] = [];
  if (module.pps.polarity.value !== "rising") {
    problems.push(
      problem(
        input.moduleFile,
        "/pps/polarity/value",
        module.pps.polarity.value,
        `the firmware timestamps the rising edge (firmware/src/main.ts setWatch edge "rising"), which on this module is the end of the pulse, not the top of the second`,
        "configure the module's time pulse for a rising edge at the top of the second (u-blox: UBX-CFG-TP5 / CFG-TP-POL_TP1) and set polarity to rising",
      ),
    );
  }
  // An unknown width (null) is not flagged: the module file's source says what to look out for.
  const width = module.pps.pulseWidthS.value;
  if (board.timebase.kind === "nrf52-rtc" && width !== null && width < NRF52_MIN_PULSE_S) {
    problems.push(
      problem(
        input.moduleFile,
        "/pps/pulseWidthS/value",
        width,
        `${board.id} (nRF52) may miss pulses shorter than 25 µs without setWatch's hispeed option (espruino.md §1.2)`,
        "configure the module for a pulse of 1 ms or more",
      ),
    );
  }
  return problems;
}

function round(volts: number): number {
  return Math.round(volts * 100) / 100;
}
