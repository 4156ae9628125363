// Opens what a host PPS needs: the GPIO line (onoff) and, when given, the GPS receiver's NMEA port,
// and starts timing edges. Failures come back as one line each (GpioAccessError, SerialOpenError).
import { SerialPort } from "serialport";
import type { ClockReader, TodTracker } from "../host-clock/tod-tracker.ts";
import { explainOpenError, SerialOpenError } from "../transport/serial.ts";
import { openGpioLine, type PpsEdge } from "./gpio-line.ts";
import { HostPps, type HostPpsEdge } from "./host-pps.ts";
import { createNmeaSeconds, type NmeaSeconds } from "./nmea-seconds.ts";

export interface HostPpsSource {
  pin: number;
  edge: PpsEdge;
  nmea?: string;
  nmeaBaud: number;
}

export interface RunningHostPps {
  pps: HostPps;
  nmea: NmeaSeconds | null;
  stop(): Promise<void>;
}

export async function startHostPps(
  source: HostPpsSource,
  reader: ClockReader,
  tracker: TodTracker,
  onEdge: (edge: HostPpsEdge) => void,
): Promise<RunningHostPps> {
  const line = openGpioLine(source.pin, source.edge);
  const pps = new HostPps({ line, reader, tracker, nmeaLabels: source.nmea !== undefined, onEdge });
  let port: SerialPort | null = null;
  let nmea: NmeaSeconds | null = null;
  if (source.nmea !== undefined) {
    const path = source.nmea;
    const seconds = createNmeaSeconds((second) => pps.label(second, reader.monoNs()));
    const candidate = new SerialPort({ path, baudRate: source.nmeaBaud, autoOpen: false });
    try {
      await new Promise<void>((done, fail) => candidate.open((e) => (e ? fail(e) : done())));
    } catch (error) {
      line.unexport();
      throw new SerialOpenError(explainOpenError(path, error));
    }
    candidate.on("data", (chunk: Buffer) => seconds.push(chunk.toString("latin1")));
    port = candidate;
    nmea = seconds;
  }
  pps.start();
  return {
    pps,
    nmea,
    async stop() {
      pps.stop();
      const open = port;
      if (open?.isOpen) await new Promise<void>((done) => open.close(() => done()));
    },
  };
}
