// The one definition of the constants the build inlines for a board (firmware/build/bundle.ts fills
// them from the board profile; firmware code reads them as TN_BOARD.<field>, see espruino.d.ts).

/** The board constants `timenode build` inlines into the firmware, which sees them as TN_BOARD. */
export interface BoardConstants {
  id: string;
  espruinoBoard: string;
  jsVars: number;
  quantumNs: number;
  sysTicksPerS: number;
  hostDevice: string;
  hostBaud: number;
  gpsUart: string;
  gpsBaud: number;
  gpsRx: string | null;
  gpsTx: string | null;
  ppsPin: string;
  moveConsole: boolean;
  /** Interrupt latency (a constant bias the clock subtracts) and its jitter, ns. */
  latencyNs: number;
  jitterNs: number;
  /** Oscillator figures for the servo and the error bound (board profile). */
  tolerancePpb: number;
  whiteFmAdev1s: number;
  randomWalkFmAdev1s: number;
  agingPpmPerYear: number;
  tempTurnoverC: number;
  tempAPpmPerC: number;
  tempKPpmPerC2: number;
  tempBPpmPerC3: number;
  tempResolutionC: number;
  /** Recalibrated RC oscillator: its calibration, not the temperature curve, sets the frequency. */
  oscillatorRc: boolean;
  /** Its calibration trim step, ppm (0 for crystals). */
  rcStepPpm: number;
  /** Seconds to add to a receiver's NMEA label to get the second of the PPS edge before it (−1 for receivers that label the next edge). */
  labelOffsetS: number;
  /** "step", "smear" or "none" (firmware/src/leap.ts). */
  leapPolicy: "step" | "smear" | "none";
  /** Servo and disciplined clock on the board; false on boards too small for them (raw observations only). */
  timeCore: boolean;
  /** The host link is the GPS UART's TX: no commands from the host can arrive. */
  hostSharedWithGps: boolean;
  /** WiFi boards built for a UDP host link: the host's IPv4 address and port ("" and 0: serial link). */
  udpHost: string;
  udpPort: number;
  /**
   * Boards with the time core built as PTP master (docs/sync.md): Sync/Follow_Up/Announce to udpHost,
   * or as `#TP2` lines on the serial host device when ptpSerial.
   */
  ptpMaster: boolean;
  /** The PTP master speaks over the serial host device (boards built without a UDP host). */
  ptpSerial: boolean;
  /** WiFi boards built as PTP slave: UTC from a PTP master over UDP instead of GPS (no time core). */
  ptpSlave: boolean;
  /** The node key (hex) the board tags its record lines with (firmware/src/auth.ts); "" for none. */
  authKey: string;
  firmwareVersion: string;
  selftest: boolean;
}
