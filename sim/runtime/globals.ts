// The Espruino API the firmware sees (firmware/src/espruino.d.ts), installed as globals of a fresh
// context. Objects handed to firmware are created in the context's realm, so they carry the
// context's (trimmed) prototypes; errors are the context's Error objects.

import { createHash } from "node:crypto";
import { crc32 } from "../../firmware/src/crc32.ts";
import { formatArgs } from "./format.ts";
import { INTERRUPT } from "./interruption.ts";
import type { BoardKernel } from "./kernel.ts";
import type { Realm } from "./realm.ts";
import type { SerialDevice } from "./serial.ts";
import { NULL_CONSOLE } from "./console.ts";
import type { EdgeFilter } from "./watches.ts";

type Fn = (...args: unknown[]) => unknown;

export function installGlobals(k: BoardKernel, realm: Realm): void {
  const g = realm.global;
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  };
  const print = (...args: unknown[]): void => k.console.print(`${formatArgs(args)}\n`);

  define("getTime", () => k.getTimeS());
  define("getSerial", () => k.serialNumber);
  define("setTime", (seconds: unknown) => {
    k.timebase.setTime(Number(seconds), k.taskTrueS);
  });
  define("setWatch", (fn: unknown, pin: unknown, options: unknown) => setWatch(k, realm, fn, pin, options));
  define("clearWatch", (id: unknown) => {
    if (id === undefined) k.removeAllWatches();
    else if (!k.removeWatch(Number(id))) throw realm.error("Unknown Watch");
  });
  define("setTimeout", (fn: unknown, ms: unknown, ...args: unknown[]) =>
    addTimer(k, realm, fn, ms, args, false),
  );
  define("setInterval", (fn: unknown, ms: unknown, ...args: unknown[]) =>
    addTimer(k, realm, fn, ms, args, true),
  );
  define("clearTimeout", (id: unknown) => clearTimer(k, realm, id, "Unknown Timeout"));
  define("clearInterval", (id: unknown) => clearTimer(k, realm, id, "Unknown Interval"));
  define("print", print);
  define("echo", (on: unknown) => {
    k.console.echo = Boolean(on);
  });
  define("load", (file: unknown) => {
    k.todo = { kind: "load", file: file === undefined ? undefined : String(file) };
    throw INTERRUPT;
  });
  define("reset", (clearFlash: unknown) => {
    k.todo = { kind: "reset", clearFlash: Boolean(clearFlash) };
    throw INTERRUPT;
  });

  const consoleObject = realm.newObject();
  consoleObject["log"] = print;
  define("console", consoleObject);

  for (const dev of k.serial.list) {
    const handle = serialObject(k, realm, dev);
    k.serial.handles.set(dev.name, handle);
    if (/^[A-Za-z_$][\w$]*$/.test(dev.name)) define(dev.name, handle);
  }

  define("E", espruinoObject(k, realm));
  define("process", processObject(k, realm));

  const storage = storageModule(k, realm);
  let dgram: Record<string, unknown> | undefined;
  let crypto: Record<string, unknown> | undefined;
  define("require", (name: unknown) => {
    if (name === "Storage") return storage;
    if (name === "dgram" && k.dgram !== null) return (dgram ??= dgramModule(k, realm));
    if (name === "crypto") return (crypto ??= cryptoModule(realm));
    throw realm.error(`Module ${String(name)} not found`);
  });
}

function setWatch(
  k: BoardKernel,
  realm: Realm,
  fn: unknown,
  pinArg: unknown,
  options: unknown,
): number | undefined {
  if (typeof fn !== "function" && typeof fn !== "string")
    throw realm.error("Function or String not supplied!");
  const pin = typeof pinArg === "string" ? pinArg : String(pinArg);
  const pinIndex = k.pins.indexOf(pin);
  const refusal = k.watches.refusal(pin, pinIndex);
  if (refusal !== undefined) {
    // jsError/jsWarn print and return undefined; they do not throw.
    k.console.print(`${refusal.level === "error" ? "ERROR" : "WARNING"}: ${refusal.message}\n`);
    return undefined;
  }
  let repeat: boolean;
  let edge: EdgeFilter = 0;
  if (typeof options === "object" && options !== null) {
    const o = options as Record<string, unknown>;
    repeat = Boolean(o["repeat"]);
    const debounceMs = Number(o["debounce"]);
    if (debounceMs > 0) {
      // Espruino moves debounced events through a timeout and shifts the reported time; the lab does
      // not emulate that path, so it refuses it loudly (use debounce:0, espruino.md §1.2, §10).
      throw realm.error("timenode lab: setWatch debounce > 0 is not emulated; use debounce:0");
    }
    const parsed = parseEdge(o["edge"]);
    if (parsed === undefined) {
      throw realm.typeError("'edge' in setWatch should be a string - either 'rising', 'falling' or 'both'");
    }
    edge = parsed;
    if (o["irq"] === true) throw realm.error("irq=true set, but function is not a native function");
  } else {
    repeat = Boolean(options);
  }
  const watch = k.watches.add(pin, pinIndex, fn, edge, repeat);
  k.interrupts.setEnabled(pinIndex, true);
  return watch.id;
}

function parseEdge(v: unknown): EdgeFilter | undefined {
  if (v === undefined || v === "both" || v === 0) return 0;
  if (v === "rising" || v === 1) return 1;
  if (v === "falling" || v === -1) return -1;
  return undefined;
}

function addTimer(
  k: BoardKernel,
  realm: Realm,
  fn: unknown,
  ms: unknown,
  args: unknown[],
  isInterval: boolean,
): number {
  if (typeof fn !== "function" && typeof fn !== "string")
    throw realm.error("Function or String not supplied!");
  const id = k.timers.add(fn, Number(ms), args, isInterval, k.timebase.rawTicksAt(k.taskTrueS));
  k.timersChanged();
  return id;
}

function clearTimer(k: BoardKernel, realm: Realm, id: unknown, unknownMessage: string): void {
  if (id === undefined) k.timers.clear();
  else if (!k.timers.remove(Number(id))) throw realm.error(unknownMessage);
  k.timersChanged();
}

/** Serial.write's data: strings as they are, numbers as one byte, arrays element by element. */
function toBytes(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String.fromCharCode(v & 0xff);
  // An ArrayBuffer of the board's realm (instanceof would test this realm's constructor).
  if (Object.prototype.toString.call(v) === "[object ArrayBuffer]")
    return toBytes(new Uint8Array(v as ArrayBuffer));
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = v as ArrayLike<unknown>;
    let s = "";
    for (let i = 0; i < items.length; i++) s += toBytes(items[i]);
    return s;
  }
  return String(v);
}

function serialObject(k: BoardKernel, realm: Realm, dev: SerialDevice): Record<string, unknown> {
  const o = realm.newObject();
  o["setup"] = (baud: unknown, options: unknown) => {
    if (dev.kind !== "uart") return;
    const b = baud === undefined ? 9600 : Number(baud);
    if (!(b > 0)) throw realm.error(`Invalid baud rate ${String(baud)}`);
    const defaults = k.serial.defaultSetup(dev);
    const opts = typeof options === "object" && options !== null ? (options as Record<string, unknown>) : {};
    dev.setup = {
      baud: b,
      rx: typeof opts["rx"] === "string" ? opts["rx"] : defaults.rx,
      tx: typeof opts["tx"] === "string" ? opts["tx"] : defaults.tx,
    };
  };
  o["on"] = (event: unknown, fn: unknown) => {
    if (event === "data" && (typeof fn === "function" || typeof fn === "string")) dev.dataListeners.push(fn);
  };
  o["removeListener"] = (event: unknown, fn: unknown) => {
    if (event === "data") dev.dataListeners = dev.dataListeners.filter((f) => f !== fn);
  };
  o["removeAllListeners"] = (event: unknown) => {
    if (event === undefined || event === "data") dev.dataListeners = [];
  };
  o["write"] = (...data: unknown[]) => k.serial.write(dev.name, data.map(toBytes).join(""));
  o["print"] = (data: unknown) => k.serial.write(dev.name, String(data));
  o["println"] = (data: unknown) => k.serial.write(dev.name, `${String(data)}\r\n`);
  o["setConsole"] = (force: unknown) => k.moveConsole(dev.name, Boolean(force));
  return o;
}

/** require("crypto"): hashes of a string's 8-bit characters (or an array's bytes), as an ArrayBuffer. */
function cryptoModule(realm: Realm): Record<string, unknown> {
  const m = realm.newObject();
  const hash = (algorithm: string) => (data: unknown) => {
    const digest = createHash(algorithm)
      .update(Buffer.from(toBytes(data), "latin1"))
      .digest();
    const bytes = new (realm.global["Uint8Array"] as Uint8ArrayConstructor)(digest.length);
    bytes.set(digest);
    return bytes.buffer;
  };
  m["SHA1"] = hash("sha1");
  m["SHA256"] = hash("sha256");
  return m;
}

function espruinoObject(k: BoardKernel, realm: Realm): Record<string, unknown> {
  const e = realm.newObject();
  e["toString"] = (...data: unknown[]) => data.map(toBytes).join("");
  e["getTemperature"] = () => k.temperatureC();
  e["CRC32"] = (data: unknown) => crc32(toBytes(data));
  e["getErrorFlags"] = () => realm.newArray(k.errors.take());
  e["on"] = (event: unknown, fn: unknown) => {
    const name = String(event);
    const list = k.espruinoListeners.get(name) ?? [];
    list.push(fn);
    k.espruinoListeners.set(name, list);
  };
  e["removeAllListeners"] = (event: unknown) => {
    if (event === undefined) k.espruinoListeners.clear();
    else k.espruinoListeners.delete(String(event));
  };
  e["setConsole"] = (device: unknown, options: unknown) => {
    const force =
      typeof options === "object" &&
      options !== null &&
      Boolean((options as Record<string, unknown>)["force"]);
    if (device === null || device === undefined) {
      k.console.moveTo(NULL_CONSOLE, force);
      return;
    }
    const name = String(device);
    if (!k.serial.devices.has(name)) throw realm.error(`Unknown device ${name}`);
    k.moveConsole(name, force);
  };
  return e;
}

function processObject(k: BoardKernel, realm: Realm): Record<string, unknown> {
  const p = realm.newObject();
  p["version"] = k.version;
  // process.env values are generated on demand (espruino.md §3): a fresh object on every read.
  Object.defineProperty(p, "env", {
    enumerable: true,
    configurable: true,
    get: () => {
      const env = realm.newObject();
      env["VERSION"] = k.version;
      env["GIT_COMMIT"] = "timenode-lab";
      env["BOARD"] = k.profile.espruinoBoard;
      env["RAM"] = k.profile.mcu.ramKB * 1024;
      env["SERIAL"] = k.serialNumber;
      env["CONSOLE"] = k.console.device;
      env["STORAGE"] = k.profile.storageBytes.value;
      env["MODULES"] = k.dgram !== null ? "Storage,dgram" : "Storage";
      return env;
    },
  });
  p["memory"] = () => {
    const m = k.memoryEstimate();
    const out = realm.newObject();
    out["free"] = m.free;
    out["usage"] = m.usage;
    out["total"] = m.total;
    out["history"] = 0;
    out["gc"] = 0;
    out["gctime"] = 0;
    out["blocksize"] = m.blocksize;
    return out;
  };
  return p;
}

function storageModule(k: BoardKernel, realm: Realm): Record<string, unknown> {
  const s = realm.newObject();
  const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(v));
  s["write"] = (name: unknown, data: unknown, offset: unknown, size: unknown) =>
    k.storage.write(String(name), toBytes(data), num(offset), num(size));
  s["read"] = (name: unknown, offset: unknown, length: unknown) =>
    k.storage.read(String(name), num(offset), num(length));
  s["erase"] = (name: unknown) => k.storage.erase(String(name));
  s["list"] = (pattern: unknown) => {
    const test = pattern !== undefined && pattern !== null ? (pattern as { test?: Fn }).test : undefined;
    const names = k.storage.list(
      typeof test === "function" ? (n) => Boolean(Reflect.apply(test, pattern, [n])) : undefined,
    );
    return realm.newArray(names);
  };
  s["getFree"] = () => k.storage.getFree();
  return s;
}

/** Rethrows the service's errors as the context's Error, so firmware `instanceof Error` holds. */
function inRealm(realm: Realm, work: () => void): void {
  try {
    work();
  } catch (e) {
    throw realm.error(e instanceof Error ? e.message : String(e));
  }
}

function dgramModule(k: BoardKernel, realm: Realm): Record<string, unknown> {
  const dgram = k.dgram;
  if (dgram === null) throw realm.error("Module dgram not found");
  const m = realm.newObject();
  m["createSocket"] = (type: unknown) => {
    const kind = typeof type === "object" && type !== null ? (type as Record<string, unknown>)["type"] : type;
    if (kind !== "udp4") throw realm.error(`Unsupported socket type ${String(kind)}`);
    const state = dgram.open();
    const sock = realm.newObject();
    state.handle = sock;
    sock["bind"] = (port: unknown, cb: unknown) => {
      inRealm(realm, () => dgram.bind(state, Number(port)));
      if (typeof cb === "function") k.queued.push({ fn: cb, thisArg: sock, args: [] });
      k.loop.request();
      return sock;
    };
    sock["on"] = (event: unknown, fn: unknown) => {
      if (event === "message") state.messageListeners.push(fn);
      else if (event === "close") state.closeListeners.push(fn);
    };
    sock["send"] = (...a: unknown[]) => {
      // send(msg, port, address) or send(msg, offset, length, port, address)
      const full = a.length >= 5;
      let msg = String(a[0]);
      if (full) msg = msg.substr(Number(a[1]), Number(a[2]));
      const port = Number(full ? a[3] : a[1]);
      const address = String(full ? a[4] : a[2]);
      inRealm(realm, () => dgram.send(state, msg, port, address, k.taskTrueS));
    };
    sock["close"] = () => {
      if (state.closed) return;
      dgram.close(state);
      for (const fn of state.closeListeners) k.queued.push({ fn, thisArg: sock, args: [] });
      k.loop.request();
    };
    sock["addMembership"] = () => undefined;
    return sock;
  };
  return m;
}
