// The board pins a firmware build needs, taken from a wiring file instead of the board's defaults.
import { loadWiring, type CheckedWiring } from "./load.ts";

export interface WiringPins {
  ppsPin: string;
  gpsUart: string;
  /** The board pin that receives the module's TX. */
  gpsRx: string;
  /**
   * The board's TX pin for the GPS UART: the one wired to the module's RX, else the UART's own fixed TX
   * pin (what Serial.setup uses anyway), else null on any-pin UARTs with nothing wired.
   */
  gpsTx: string | null;
  /** The wiring's baud, else the module's default. */
  gpsBaud: number;
}

/** Pins of a wiring file; throws InvalidWiringError (one line per problem) when the file has errors. */
export function wiringPins(file: string): WiringPins {
  return pinsOf(loadWiring(file));
}

export function pinsOf(checked: Pick<CheckedWiring, "wiring" | "board" | "module">): WiringPins {
  const { wiring, board, module } = checked;
  const { connections } = wiring;
  const uart = board.uarts.find((u) => u.device === connections.uart);
  const fixedTx = uart && !uart.anyPin ? uart.tx : null;
  return {
    ppsPin: connections.pps.boardPin,
    gpsUart: connections.uart,
    gpsRx: connections.moduleTxToBoardRx.boardPin,
    gpsTx: connections.boardTxToModuleRx?.boardPin ?? fixedTx,
    gpsBaud: wiring.baud ?? module.defaultBaud.value,
  };
}
