// Cross-checks of the board pins a wiring names: they exist, the PPS pin can be watched without an EXTI
// clash, the UART pins belong to the UART, no pin is used twice.
import type { BoardProfile, Uart } from "../../boards/index.ts";
import { hostDeviceFor } from "../../firmware/build/bundle.ts";
import { problem, type CheckInput, type End } from "./check-common.ts";
import type { WiringProblem } from "./types.ts";

/** The pins boards/<id>.json knows of: the watchable ones, the UARTs' and the ones Espruino watches. */
export function boardPins(board: BoardProfile): Set<string> {
  const pins = new Set(board.pins.watchable);
  for (const uart of board.uarts) {
    if (uart.rx !== null) pins.add(uart.rx);
    if (uart.tx !== null) pins.add(uart.tx);
  }
  for (const pin of board.pins.otherWatched?.value ?? []) pins.add(pin);
  return pins;
}

export function missingPinProblem(input: CheckInput, end: End): WiringProblem {
  const { board } = input;
  const suggestion = suggestedPin(input, end);
  return problem(
    input.wiringFile,
    end.path,
    end.pin,
    `board ${board.id} has no pin ${end.pin} (boards/${board.id}.json knows ${[...boardPins(board)].join(" ")})`,
    suggestion ? `use one of its pins, e.g. ${suggestion}` : "use one of its pins",
  );
}

/** The board profile's default for the role of `end`. */
function suggestedPin(input: CheckInput, end: End): string | null {
  const { pins } = input.board;
  if (end.path.includes("/pps/")) return pins.defaultPps;
  if (end.path.includes("/moduleTxToBoardRx/")) return pins.defaultGpsRx;
  return pins.defaultGpsTx;
}

export function ppsAvailableProblems(input: CheckInput): WiringProblem[] {
  const available = input.board.pins.ppsAvailable;
  if (available === undefined || available.value) return [];
  return [
    problem(
      input.wiringFile,
      "/board",
      input.wiring.board,
      `board ${input.board.id} has no pin a PPS can be wired to (${available.source})`,
      "choose a board with a free GPIO for the PPS",
    ),
  ];
}

/** The PPS pin must be watchable, and on STM32 must not share its EXTI line with a pin Espruino watches. */
export function ppsProblems(input: CheckInput, existing: readonly End[]): WiringProblem[] {
  const end = existing.find((e) => e.path === "/connections/pps/boardPin");
  if (!end) return [];
  const { board } = input;
  const { pins } = board;
  if (!pins.watchable.includes(end.pin)) {
    return [
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${end.pin} cannot be watched with setWatch on ${board.id} (not in boards/${board.id}.json /pins/watchable)`,
        `use a watchable pin, e.g. ${pins.defaultPps}`,
      ),
    ];
  }
  if (pins.extiRule.value !== "pin-number") return [];
  const line = pinNumber(end.pin);
  // The firmware watches only the PPS pin (firmware/src/main.ts); Espruino itself may watch otherWatched.
  const clashes = (pins.otherWatched?.value ?? []).filter(
    (pin) => pin !== end.pin && pinNumber(pin) === line,
  );
  return clashes.map((pin) =>
    problem(
      input.wiringFile,
      end.path,
      end.pin,
      `${end.pin} shares EXTI line ${line} with ${pin}, which Espruino watches (${pins.otherWatched?.source ?? ""}); STM32 has one EXTI line per pin number (${pins.extiRule.source})`,
      `use a watchable pin whose number is not ${line}, e.g. ${pins.defaultPps}`,
    ),
  );
}

function pinNumber(pin: string): number {
  return Number(pin.slice(1));
}

export function uartProblems(input: CheckInput, existing: readonly End[]): WiringProblem[] {
  const { board, wiring } = input;
  const device = wiring.connections.uart;
  const uart = board.uarts.find((u) => u.device === device);
  if (!uart) {
    return [
      problem(
        input.wiringFile,
        "/connections/uart",
        device,
        `board ${board.id} has no ${device} (boards/${board.id}.json /uarts: ${board.uarts.map((u) => u.device).join(", ")})`,
        `use ${board.pins.defaultGpsUart}, the board's GPS UART`,
      ),
    ];
  }
  const problems: WiringProblem[] = [];
  const rx = existing.find((e) => e.path === "/connections/moduleTxToBoardRx/boardPin");
  const tx = existing.find((e) => e.path === "/connections/boardTxToModuleRx/boardPin");
  if (uart.rx === null && !uart.anyPin) {
    problems.push(
      problem(
        input.wiringFile,
        "/connections/uart",
        device,
        `${device} on ${board.id} cannot receive: it has no RX pin (${uart.source})`,
        `use ${board.pins.defaultGpsUart}, the board's GPS UART`,
      ),
    );
  } else if (rx) {
    problems.push(...uartPinProblems(input, uart, rx, "rx"));
  }
  if (tx) problems.push(...uartPinProblems(input, uart, tx, "tx"));
  problems.push(...hostLinkProblems(input, tx));
  problems.push(...consoleProblems(input, uart, rx));
  return problems;
}

function uartPinProblems(input: CheckInput, uart: Uart, end: End, role: "rx" | "tx"): WiringProblem[] {
  const { board } = input;
  if (uart.anyPin) {
    if (board.pins.watchable.includes(end.pin)) return [];
    return [
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${uart.device} on ${board.id} takes any pin, but ${end.pin} is not a free GPIO (not in boards/${board.id}.json /pins/watchable)`,
        `use a GPIO such as ${(role === "rx" ? board.pins.defaultGpsRx : board.pins.defaultGpsTx) ?? board.pins.watchable[0]}`,
      ),
    ];
  }
  const expected = uart[role];
  if (end.pin === expected) return [];
  if (expected === null) {
    return [
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${uart.device} on ${board.id} has no ${role.toUpperCase()} pin (${uart.source})`,
        `remove this connection or use another UART`,
      ),
    ];
  }
  return [
    problem(
      input.wiringFile,
      end.path,
      end.pin,
      `${uart.device}'s ${role.toUpperCase()} pin on ${board.id} is ${expected}, not ${end.pin} (boards/${board.id}.json /uarts; ${uart.source})`,
      `use ${expected}, or the UART whose ${role.toUpperCase()} pin is ${end.pin}`,
    ),
  ];
}

/** Where the host link shares the GPS UART its TX carries host records, not commands for the GPS. */
function hostLinkProblems(input: CheckInput, tx: End | undefined): WiringProblem[] {
  if (!tx) return [];
  const { board, wiring } = input;
  let shared: boolean;
  try {
    const pins = { ...board.pins, defaultGpsUart: wiring.connections.uart };
    shared = hostDeviceFor({ ...board, pins }).sharedWithGps;
  } catch {
    return [];
  }
  if (!shared) return [];
  return [
    problem(
      input.wiringFile,
      tx.path,
      tx.pin,
      `${tx.pin} sends the host link on ${board.id} (the host shares ${wiring.connections.uart}: firmware/build/bundle.ts hostDeviceFor), so the module would receive host records`,
      "remove boardTxToModuleRx and configure the module another way",
      "warning",
    ),
  ];
}

/** nRF52: Serial1 becomes the console at boot when its RX pin is high, as a GPS's idle TX is. */
function consoleProblems(input: CheckInput, uart: Uart, rx: End | undefined): WiringProblem[] {
  const { board } = input;
  if (!rx || !uart.anyPin || board.console.device !== uart.device || rx.pin !== uart.rx) return [];
  return [
    problem(
      input.wiringFile,
      rx.path,
      rx.pin,
      `${rx.pin} is ${uart.device}'s console RX pin: held high by the GPS at boot it makes ${uart.device} the console (espruino.md §5)`,
      `use another GPIO, e.g. ${board.pins.defaultGpsRx ?? board.pins.watchable[0]}`,
      "warning",
    ),
  ];
}

/** PPS, RX and TX must be three different pins. */
export function sharedPinProblems(input: CheckInput, existing: readonly End[]): WiringProblem[] {
  const problems: WiringProblem[] = [];
  existing.forEach((end, index) => {
    const earlier = existing.slice(0, index).find((e) => e.pin === end.pin);
    if (!earlier) return;
    problems.push(
      problem(
        input.wiringFile,
        end.path,
        end.pin,
        `${end.pin} is already wired at ${earlier.path}`,
        "give each signal its own pin",
      ),
    );
  });
  return problems;
}
