// The emulated board's shared state and the services its parts call: the task clock, running firmware
// callbacks, the IO queue, serial transmit/receive, console output, and interpreter (re)starts.

import type { BoardProfile } from "../../boards/types.ts";
import type { DatagramNetwork, Scheduler, TemperatureProfile, TruthRecorder } from "../contracts.ts";
import { ConsoleState } from "./console.ts";
import { type Datagram, DgramService } from "./dgram.ts";
import { ErrorFlags } from "./errorFlags.ts";
import { EventLoop, type LoopHost } from "./eventLoop.ts";
import { describeThrown, formatResult } from "./format.ts";
import { installGlobals } from "./globals.ts";
import { INTERRUPT } from "./interruption.ts";
import { type InterruptSink, PinInterrupts, PinTable } from "./interrupts.ts";
import { IoQueue } from "./ioQueue.ts";
import { MemoryEstimator } from "./memoryEstimate.ts";
import { Realm } from "./realm.ts";
import { PACKET_TIMEOUT_S, Repl, type ReplHost, type ReplResult } from "./repl.ts";
import { aliasesFor, analyseScript, type ScopeBinder, wrapScript } from "./scriptScope.ts";
import { SerialHub, type SerialHubHost } from "./serialHub.ts";
import { FlashStorage } from "./storage.ts";
import { BoardTimebase } from "./timebase.ts";
import { TimerRegistry } from "./timers.ts";
import { IoSource, NetSource, QueuedSource, TimerSource, TodoSource } from "./turnSources.ts";
import type { BoardStats, MemoryEstimate, UncaughtError, VirtualBoardOptions } from "./types.ts";
import { WatchRegistry } from "./watches.ts";

export const DEFAULT_TASK_COST_S = 100e-6;
export const DEFAULT_VERSION = "2v29";
/** Boot files run in this order before E.on('init') (espruino.md §7.3). */
export const BOOT_FILES = [".boot0", ".boot1", ".boot2", ".boot3", ".bootrst", ".bootcde"] as const;
/** ±4 °C: Puck.js absolute readings are 3-4 °C off ([D] boards/Puck.js.md). */
const SENSOR_OFFSET_SPAN_C = 8;

export interface QueuedCall {
  fn: unknown;
  thisArg: unknown;
  args: unknown[];
}

export type Todo = { kind: "load"; file: string | undefined } | { kind: "reset"; clearFlash: boolean };

export class BoardKernel implements InterruptSink, LoopHost, SerialHubHost {
  readonly profile: BoardProfile;
  readonly scheduler: Scheduler;
  readonly name: string;
  readonly version: string;
  readonly taskCostS: number;
  readonly timebase: BoardTimebase;
  readonly pins = new PinTable();
  readonly interrupts: PinInterrupts;
  readonly watches: WatchRegistry;
  readonly timers: TimerRegistry;
  readonly ioQueue: IoQueue;
  readonly errors = new ErrorFlags();
  readonly storage: FlashStorage;
  readonly dgram: DgramService | null;
  readonly serial: SerialHub;
  readonly console: ConsoleState;
  readonly repl: Repl;
  readonly loop: EventLoop;
  readonly uncaught: UncaughtError[] = [];
  readonly stats: BoardStats = {
    interrupts: 0,
    interruptsMerged: 0,
    watchEventsDropped: 0,
    rxBytesDropped: 0,
    replInputBytes: 0,
    rxBytesUnhandled: 0,
    txBytesDiscarded: 0,
    tasksRun: 0,
  };
  readonly serialNumber: string;

  /** Virtual time inside the running task; getTime() and writes use it. */
  taskTrueS = 0;
  tasksRun = 0;
  realm: Realm | null = null;
  readonly netQueue: Datagram[] = [];
  readonly queued: QueuedCall[] = [];
  /** E.on(event, fn) listeners. */
  readonly espruinoListeners = new Map<string, unknown[]>();
  todo: Todo | null = null;
  /** Scripts run from Storage since the interpreter started (their function text stays in flash). */
  private readonly flashSources: string[] = [];
  /** Top-level bindings of wrapped scripts: name → getter of the current value. */
  readonly scopedGlobals = new Map<string, () => unknown>();

  private readonly truth: TruthRecorder | undefined;
  private readonly temperature: TemperatureProfile;
  private readonly sensorOffsetC: number;
  private readonly mathRandom: () => number;
  private promisesUsed = false;
  private readonly memory = new MemoryEstimator();
  /** Walking the heap is not free: the estimate is reused until another task has run. */
  private memoryCache: { tasks: number; estimate: MemoryEstimate } | null = null;

  constructor(options: VirtualBoardOptions) {
    const { profile, scheduler, rng } = options;
    this.profile = profile;
    this.scheduler = scheduler;
    this.name = options.name ?? options.address ?? profile.id;
    this.version = options.version ?? DEFAULT_VERSION;
    this.taskCostS = options.taskCostS ?? DEFAULT_TASK_COST_S;
    // Zero-cost tasks would let a zero-delay interval spin forever at one instant of virtual time.
    if (!(this.taskCostS > 0)) throw new RangeError("taskCostS must be > 0");
    this.truth = options.truth;
    this.temperature = options.temperature;
    this.timebase = new BoardTimebase(options.clock, profile.timebase);
    this.ioQueue = new IoQueue(profile.ioQueueBytes.value);
    this.watches = new WatchRegistry(profile.pins);
    this.timers = new TimerRegistry(this.timebase);
    this.storage = new FlashStorage(profile.storageBytes.value, options.storage);
    this.interrupts = new PinInterrupts(
      scheduler,
      { latencyS: profile.interrupt.latencyS.value, jitterRmsS: interruptJitterS(profile, this.timebase) },
      rng.fork("interrupt-jitter"),
      this.pins,
      this,
    );
    const sensorRng = rng.fork("temperature-sensor-offset");
    this.sensorOffsetC = (sensorRng.uniform() - 0.5) * SENSOR_OFFSET_SPAN_C;
    const randomRng = rng.fork("Math.random");
    this.mathRandom = () => randomRng.uniform();
    const serialRng = rng.fork("serial-number");
    this.serialNumber = [0, 1, 2]
      .map(() => serialRng.int(0, 0xffffffff).toString(16).padStart(8, "0"))
      .join("-");
    this.serial = new SerialHub(this);
    this.console = new ConsoleState(profile.console.device, (device, data) =>
      this.serial.write(device, data),
    );
    this.repl = new Repl(this.replHost());
    this.dgram = createDgram(options.network, options.address, scheduler, (d) => this.onDatagram(d));
    this.loop = new EventLoop(
      scheduler,
      [
        new IoSource(this),
        new TimerSource(this),
        new NetSource(this),
        new QueuedSource(this),
        new TodoSource(this),
      ],
      this,
    );
  }

  // ---------------------------------------------------------------- tasks

  beginStep(trueTimeS: number): void {
    this.taskTrueS = trueTimeS;
  }

  /** Runs one firmware callback as a task: errors are reported, never thrown to the lab. */
  invoke(fn: unknown, thisArg: unknown, args: readonly unknown[]): void {
    this.tasksRun++;
    this.stats.tasksRun++;
    try {
      if (typeof fn === "function") Reflect.apply(fn, thisArg, args);
      else if (typeof fn === "string") this.requireRealm().run(fn, "callback.js");
    } catch (e) {
      this.onThrown(e);
    }
    this.afterTask();
  }

  /** Runs a script as one task (boot files, RAM uploads). */
  runScript(code: string, filename: string): void {
    this.tasksRun++;
    this.stats.tasksRun++;
    try {
      this.evaluate(code, filename);
    } catch (e) {
      this.onThrown(e);
    }
    this.afterTask();
  }

  /** See scriptScope.ts: top-level bindings become function locals mirrored as global accessors. */
  private evaluate(code: string, filename: string): void {
    const realm = this.requireRealm();
    const scope = analyseScript(code);
    if (scope === null || scope.names.some((n) => n in realm.global)) {
      realm.run(code, filename);
      return;
    }
    const wrapped = wrapScript(code, scope, aliasesFor(scope, realm.baselineNames));
    const run = realm.run(wrapped, filename) as (bind: ScopeBinder, global: unknown) => void;
    run((names, accessors) => {
      names.forEach((name, i) => {
        const get = accessors[2 * i] as () => unknown;
        const set = accessors[2 * i + 1] as (v: unknown) => void;
        Object.defineProperty(realm.global, name, { get, set, enumerable: true, configurable: true });
        this.scopedGlobals.set(name, get);
      });
    }, realm.global);
  }

  /** Work started from outside the loop (boot, upload): runs now and keeps the loop busy after it. */
  hostTask(work: () => void): void {
    this.taskTrueS = this.scheduler.now;
    work();
    this.endTurn();
    this.loop.occupyUntil(this.taskTrueS);
    this.loop.request();
  }

  endTurn(): void {
    const fresh = this.errors.takeNewErrors();
    if (fresh.length > 0 && this.realm !== null) {
      for (const fn of this.listenersOf("errorFlag"))
        this.invoke(fn, undefined, [this.realm.newArray(fresh)]);
      this.console.print(`New interpreter error: ${fresh.join(",")}\n`);
    }
    this.console.returnInputLine();
  }

  nextTimerWakeS(): number {
    return this.timers.earliestWakeTrueS();
  }

  requireRealm(): Realm {
    if (this.realm === null) throw new Error("the board has not been started (call boot() or run())");
    return this.realm;
  }

  listenersOf(event: string): unknown[] {
    return (this.espruinoListeners.get(event) ?? []).slice();
  }

  requestLoop(): void {
    this.loop.request();
  }

  recordTruth(kind: string, fields: Record<string, number | string | boolean>): void {
    if (this.truth !== undefined)
      this.truth.record(kind, this.scheduler.now, { board: this.name, ...fields });
  }

  private afterTask(): void {
    if (this.promisesUsed && this.realm !== null) {
      try {
        this.realm.drainMicrotasks();
      } catch (e) {
        this.onThrown(e);
      }
    }
    this.taskTrueS += this.taskCostS;
  }

  private onThrown(e: unknown): void {
    if (e === INTERRUPT) return;
    this.reportUncaught(`Uncaught ${describeThrown(e)}`, e);
  }

  reportUncaught(text: string, value: unknown): void {
    this.uncaught.push({ trueTimeS: this.taskTrueS, text, value });
    this.truth?.record("espruino.uncaught", this.taskTrueS, { board: this.name, text });
    this.console.print(`${text}\n`);
  }

  // ---------------------------------------------------------------- REPL

  /** Console input, inside a main-loop turn. A packet left incomplete is checked when it times out. */
  replInput(text: string): void {
    if (this.realm === null) return;
    this.console.replInputBytes += text.length;
    this.stats.replInputBytes += text.length;
    this.repl.receive(text);
    if (this.repl.packetPending)
      this.scheduler.at(this.scheduler.now + PACKET_TIMEOUT_S + 1e-3, () => {
        if (this.repl.packetPending) this.hostTask(() => this.repl.checkTimeout());
      });
  }

  private replHost(): ReplHost {
    const con = this.console;
    return {
      version: this.version,
      boardName: this.profile.espruinoBoard,
      nowS: () => this.taskTrueS,
      get echo() {
        return con.echo;
      },
      echoInput: (text) => con.echoInput(text),
      endInputLine: () => con.endInputLine(),
      continueInputLine: () => con.continueInputLine(),
      clearInputLine: () => con.clearInputLine(),
      raw: (data) => con.raw(data),
      print: (text) => con.print(text),
      evaluate: (code) => this.evaluateLine(code),
      formatResult,
      toJS: (value) => (value === undefined ? "undefined" : (JSON.stringify(value) ?? "undefined")),
      emitPacketEvent: (payload) => {
        const value = this.requireRealm().run(`(${JSON.stringify(payload)})`, "packet.js");
        for (const fn of this.listenersOf("packet")) this.invoke(fn, undefined, [value]);
      },
      storageWrite: (name, data, offset, size) => this.storage.write(name, data, offset, size),
      storageRead: (name) => this.storage.read(name),
    };
  }

  /** One REPL line or EVAL packet as a task; an exception is printed as "Uncaught …". */
  private evaluateLine(code: string): ReplResult {
    this.tasksRun++;
    this.stats.tasksRun++;
    let result: ReplResult = { ok: false };
    try {
      result = { ok: true, value: this.requireRealm().run(code, "REPL") };
    } catch (e) {
      this.onThrown(e);
    }
    this.afterTask();
    return result;
  }

  // ---------------------------------------------------------------- time and sensors

  getTimeS(): number {
    return this.timebase.secondsAt(this.taskTrueS);
  }

  temperatureC(): number {
    if (!this.profile.temperature.present) return NaN;
    const c = this.temperature.at(this.taskTrueS) + this.sensorOffsetC;
    const resolutionC = this.profile.temperature.resolutionC.value;
    return resolutionC !== null && resolutionC > 0 ? Math.round(c / resolutionC) * resolutionC : c;
  }

  // ---------------------------------------------------------------- interrupts → IO queue

  onInterrupt(pinIndex: number, level: boolean, edgeTrueS: number): void {
    const now = this.scheduler.now;
    const ticks = this.timebase.ticksAt(now);
    const queued = this.ioQueue.pushWatch(pinIndex, level, BoardTimebase.low32(ticks));
    this.stats.interrupts++;
    const pin = this.pins.names[pinIndex] as string;
    if (this.truth !== undefined) {
      const recordedLocalS = ticks / this.timebase.ticksPerS;
      this.recordTruth("espruino.irq", {
        pin,
        state: level,
        edgeTrueS,
        interruptTrueS: now,
        recordedLocalS,
        queued,
      });
    }
    if (!queued) {
      this.errors.raise("FIFO_FULL");
      this.stats.watchEventsDropped++;
      this.recordTruth("espruino.io-drop", { kind: "watch", pin, state: level, edgeTrueS });
      return;
    }
    this.loop.request();
  }

  onMergedEdge(pinIndex: number, state: boolean, edgeTrueS: number): void {
    this.stats.interruptsMerged++;
    this.recordTruth("espruino.irq-merged", { pin: this.pins.names[pinIndex] as string, state, edgeTrueS });
  }

  // ---------------------------------------------------------------- serial

  /** jsiSetConsoleDevice: a UART that becomes the console is set up at the default baud. */
  moveConsole(device: string, force: boolean): void {
    const dev = this.serial.devices.get(device);
    if (dev !== undefined && dev.kind === "uart" && dev.setup === null)
      dev.setup = this.serial.defaultSetup(dev);
    this.console.moveTo(device, force);
  }

  // ---------------------------------------------------------------- network

  private onDatagram(d: Datagram): void {
    this.netQueue.push(d);
    this.loop.request();
  }

  // ---------------------------------------------------------------- timers and watches

  timersChanged(): void {
    this.loop.timersChanged();
  }

  removeWatch(id: number): boolean {
    const w = this.watches.remove(id);
    if (w === undefined) return false;
    if (!this.watches.isPinWatched(w.pinIndex)) this.interrupts.setEnabled(w.pinIndex, false);
    return true;
  }

  removeAllWatches(): void {
    for (const w of this.watches.removeAll()) this.interrupts.setEnabled(w.pinIndex, false);
  }

  // ---------------------------------------------------------------- interpreter lifecycle

  /**
   * A fresh interpreter: new context, empty IO queue, no watches, timers or listeners, console back
   * on its default device. With `bootFiles`, runs the boot files then E.on('init') and onInit().
   */
  startInterpreter(mode: { bootFiles: boolean; file?: string }): void {
    this.removeAllWatches();
    this.timers.clear();
    this.ioQueue.clear();
    this.netQueue.length = 0;
    this.queued.length = 0;
    this.espruinoListeners.clear();
    this.todo = null;
    this.dgram?.closeAll();
    this.errors.clear();
    this.console.reset();
    this.repl.restart();
    this.serial.reset(this.console.device);
    this.loop.reset();
    this.promisesUsed = false;
    this.flashSources.length = 0;
    this.memoryCache = null;
    this.scopedGlobals.clear();
    const realm = new Realm(`espruino:${this.name}`, {
      nowMs: () => this.getTimeS() * 1000,
      random: this.mathRandom,
      promiseUsed: () => {
        this.promisesUsed = true;
      },
      unhandledRejection: (reason) =>
        this.reportUncaught(`Unhandled promise rejection: ${describeThrown(reason)}`, reason),
    });
    this.realm = realm;
    installGlobals(this, realm);
    realm.freezeBaseline();
    const files = mode.file !== undefined ? [mode.file] : mode.bootFiles ? BOOT_FILES : [];
    for (const file of files) {
      const code = this.storage.read(file);
      if (code === undefined) continue;
      this.flashSources.push(code);
      this.runScript(code, file);
    }
    if (mode.bootFiles || mode.file !== undefined) this.runInitHandlers();
  }

  private runInitHandlers(): void {
    for (const fn of this.listenersOf("init")) this.invoke(fn, undefined, []);
    const realm = this.requireRealm();
    const onInit = realm.global["onInit"];
    if (onInit !== undefined) {
      if (this.console.echo) this.console.print("Running onInit()...\n");
      this.invoke(onInit, undefined, []);
    }
  }

  /** A pending load()/reset() from firmware, done by the loop after the running code stops. */
  performTodo(): void {
    const todo = this.todo;
    if (todo === null) return;
    this.todo = null;
    for (const fn of this.listenersOf("kill")) this.invoke(fn, undefined, []);
    this.tasksRun++; // restarting takes a task's time even when no code runs
    this.taskTrueS += this.taskCostS;
    if (todo.kind === "reset") {
      if (todo.clearFlash) for (const f of [".bootcde", ".bootrst", ".varimg"]) this.storage.erase(f);
      this.startInterpreter({ bootFiles: false });
      if (this.console.echo)
        this.console.print(`\nEspruino ${this.version} on ${this.profile.espruinoBoard}\n`);
    } else {
      this.startInterpreter(
        todo.file === undefined ? { bootFiles: true } : { bootFiles: true, file: todo.file },
      );
    }
  }

  // ---------------------------------------------------------------- memory

  memoryEstimate(): MemoryEstimate {
    const cached = this.memoryCache;
    if (cached !== null && cached.tasks === this.tasksRun) return cached.estimate;
    const estimate = this.memory.estimate({
      profile: this.profile,
      realm: this.requireRealm(),
      flashSources: this.flashSources,
      scopedGlobals: this.scopedGlobals,
      watches: this.watches.all,
      timers: this.timers.all,
      devices: this.serial.list,
      espruinoListeners: this.espruinoListeners,
      errors: this.errors,
    });
    this.memoryCache = { tasks: this.tasksRun, estimate };
    return estimate;
  }
}

/**
 * The profile's jitter includes the timebase quantisation (boards/types.ts); the lab quantises
 * timestamps itself, so the interrupt delay only gets the rest: sqrt(jitter² − quantum²/12).
 */
function interruptJitterS(profile: BoardProfile, timebase: BoardTimebase): number {
  const quantumS = timebase.quantumTicks / timebase.ticksPerS;
  const jitterS = profile.interrupt.jitterRmsS.value;
  return Math.sqrt(Math.max(0, jitterS * jitterS - (quantumS * quantumS) / 12));
}

function createDgram(
  network: DatagramNetwork | undefined,
  address: string | undefined,
  scheduler: Scheduler,
  onReceive: (d: Datagram) => void,
): DgramService | null {
  if (network === undefined) return null;
  return new DgramService(network, address ?? "0.0.0.0", scheduler, onReceive);
}
