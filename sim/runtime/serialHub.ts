// The board's serial devices and the paths between them and the IO queue: bytes from the outside
// world (dropped when a UART is not set up or the queue is full; held back by flow control on USB),
// firmware writes (paced by each device, blocking the writer when the transmit buffer is full), and
// the loopback pair.

import type { BoardProfile } from "../../boards/types.ts";
import type { Scheduler } from "../contracts.ts";
import type { ErrorFlags } from "./errorFlags.ts";
import { type IoQueue, MAX_CHARS_PER_EVENT } from "./ioQueue.ts";
import { DEFAULT_BAUD, SerialDevice, type SerialKind, type SerialSetup } from "./serial.ts";
import type { BoardStats } from "./types.ts";

/** Flow-controlled senders (USB CDC) are held back above this fill of the IO queue (IOBUFFER_XOFF; inferred). */
const XOFF_FILL = 0.75;
const PAST_TOLERANCE_S = 1e-9;

export interface SerialHubHost {
  readonly scheduler: Scheduler;
  readonly profile: BoardProfile;
  readonly ioQueue: IoQueue;
  readonly errors: ErrorFlags;
  readonly stats: BoardStats;
  /** The running task's virtual time; a blocked write moves it on. */
  taskTrueS: number;
  requestLoop(): void;
  recordTruth(kind: string, fields: Record<string, number | string | boolean>): void;
}

export class SerialHub {
  readonly devices = new Map<string, SerialDevice>();
  readonly list: SerialDevice[] = [];
  /** Context-side objects of the devices (the `this` of their 'data' handlers). */
  readonly handles = new Map<string, unknown>();
  private readonly xoffBytes: number;

  constructor(private readonly host: SerialHubHost) {
    this.xoffBytes = Math.floor(host.profile.ioQueueBytes.value * XOFF_FILL);
    for (const spec of deviceSpecs(host.profile)) {
      const dev = new SerialDevice(spec.name, this.list.length, spec.kind, host.scheduler, spec.streamBaud);
      this.devices.set(spec.name, dev);
      this.list.push(dev);
    }
  }

  device(name: string): SerialDevice {
    const dev = this.devices.get(name);
    if (dev === undefined) {
      const known = [...this.devices.keys()].join(", ");
      throw new RangeError(`${this.host.profile.id} has no serial device ${name} (has ${known})`);
    }
    return dev;
  }

  /** A fresh interpreter: no listeners, UARTs not set up except the console's. */
  reset(consoleDevice: string): void {
    this.handles.clear();
    for (const dev of this.list) {
      dev.dataListeners = [];
      dev.heldRx = "";
      dev.setup = dev.name === consoleDevice && dev.kind === "uart" ? this.defaultSetup(dev) : null;
    }
  }

  /** The pins and baud a UART gets without arguments (the console's from the profile, else 9600). */
  defaultSetup(dev: SerialDevice): SerialSetup {
    const profile = this.host.profile;
    const uart = profile.uarts.find((u) => u.device === dev.name);
    const baud = dev.name === profile.console.device ? (profile.console.baud ?? DEFAULT_BAUD) : DEFAULT_BAUD;
    return { baud, rx: uart?.rx ?? null, tx: uart?.tx ?? null };
  }

  /** Bytes from the outside world reach a device's receiver at `trueTimeS` (now or later). */
  receive(dev: SerialDevice, data: string, trueTimeS: number): void {
    if (!Number.isFinite(trueTimeS)) throw new RangeError(`receive time must be finite, got ${trueTimeS}`);
    const now = this.host.scheduler.now;
    if (trueTimeS > now) {
      this.host.scheduler.at(trueTimeS, () => this.arrive(dev, data));
      return;
    }
    if (trueTimeS < now - PAST_TOLERANCE_S) {
      throw new RangeError(`data for ${dev.name} at ${trueTimeS} s is in the past (now ${now} s)`);
    }
    this.arrive(dev, data);
  }

  /** Received bytes enter the IO queue now. */
  arrive(dev: SerialDevice, data: string): void {
    if (data.length === 0) return;
    if (!dev.isReady) {
      this.drop(dev, data.length, "not-set-up");
      return;
    }
    if (dev.flowControlled) {
      dev.heldRx += data;
      this.admitHeld(dev);
      return;
    }
    const accepted = this.host.ioQueue.pushChars(dev.index, data);
    if (accepted < data.length) {
      this.host.errors.raise("FIFO_FULL");
      this.drop(dev, data.length - accepted, "queue-full");
    }
    if (accepted > 0) this.host.requestLoop();
  }

  /** Lets flow-controlled senders go on once the main loop has made room. */
  admitAllHeld(): void {
    for (const dev of this.list) if (dev.heldRx.length > 0) this.admitHeld(dev);
  }

  /** Firmware (or the console) writes to a device. */
  write(name: string, data: string): void {
    if (data.length === 0) return;
    const dev = this.devices.get(name);
    if (dev === undefined) return;
    const host = this.host;
    if (!dev.isReady) {
      host.stats.txBytesDiscarded += data.length;
      return;
    }
    const blockedUntilS = dev.transmit(data, host.taskTrueS);
    if (blockedUntilS > host.taskTrueS) host.taskTrueS = blockedUntilS;
    if (dev.kind === "loopback") {
      const other = this.devices.get(name === "LoopbackA" ? "LoopbackB" : "LoopbackA");
      if (other !== undefined) this.arrive(other, data);
    }
  }

  /** USB CDC stops accepting packets while the IO queue is above the XOFF level (espruino.md §5). */
  private admitHeld(dev: SerialDevice): void {
    const queue = this.host.ioQueue;
    let admitted = false;
    while (dev.heldRx.length > 0 && queue.usedBytes < this.xoffBytes) {
      const accepted = queue.pushChars(dev.index, dev.heldRx.slice(0, MAX_CHARS_PER_EVENT));
      if (accepted === 0) break;
      dev.heldRx = dev.heldRx.slice(accepted);
      admitted = true;
    }
    if (admitted) this.host.requestLoop();
  }

  private drop(dev: SerialDevice, bytes: number, reason: string): void {
    this.host.stats.rxBytesDropped += bytes;
    this.host.recordTruth("espruino.io-drop", { kind: "serial", device: dev.name, bytes, reason });
  }
}

interface DeviceSpec {
  name: string;
  kind: SerialKind;
  streamBaud: number | null;
}

/** The serial devices a board has: its transports and UARTs, its console, and the two loopbacks. */
function deviceSpecs(profile: BoardProfile): DeviceSpec[] {
  const specs = new Map<string, DeviceSpec>();
  for (const t of profile.transports) {
    if (t.kind === "wifi-udp") continue;
    const kind: SerialKind = t.kind === "usb-cdc" ? "usb" : t.kind === "uart" ? "uart" : "stream";
    specs.set(t.device, { name: t.device, kind, streamBaud: kind === "stream" ? (t.baud ?? null) : null });
  }
  for (const u of profile.uarts) {
    if (!specs.has(u.device)) specs.set(u.device, { name: u.device, kind: "uart", streamBaud: null });
  }
  const consoleName = profile.console.device;
  if (!specs.has(consoleName)) {
    const kind: SerialKind = /^Serial\d$/.test(consoleName) ? "uart" : "stream";
    specs.set(consoleName, { name: consoleName, kind, streamBaud: null });
  }
  for (const name of ["LoopbackA", "LoopbackB"])
    specs.set(name, { name, kind: "loopback", streamBaud: null });
  return [...specs.values()];
}
