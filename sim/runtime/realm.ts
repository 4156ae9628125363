// The firmware's JavaScript realm: a Node vm context whose globals are the Espruino subset. Built-ins
// Espruino lacks are deleted so firmware that uses them fails as on a board (espruino.md §4). Date and
// Math.random are replaced so nothing reads the host's wall clock or unseeded randomness, and Promise is
// wrapped so the lab knows when to run promise jobs and can report rejections nobody handles (instead
// of Node treating them as process-level errors).

import vm from "node:vm";

export interface RealmHost {
  /** Date.now() / new Date(): the board clock in ms. */
  nowMs(): number;
  /** Math.random(): the board's seeded generator. */
  random(): number;
  /** Called once, the first time firmware creates or chains a promise. */
  promiseUsed(): void;
  unhandledRejection(reason: unknown): void;
}

const SETUP = new vm.Script(
  `(function (host) {
  "use strict";
  var g = globalThis;
  var defineProperty = Object.defineProperty;
  var RealPromise = g.Promise;
  var realThen = RealPromise.prototype.then;
  var RealWeakSet = g.WeakSet;
  var RealDate = g.Date;

  function strip(obj, names) { for (var i = 0; i < names.length; i++) delete obj[names[i]]; }
  strip(g, ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "FinalizationRegistry", "Symbol", "Proxy", "Reflect",
    "BigInt", "BigInt64Array", "BigUint64Array", "SharedArrayBuffer", "Atomics", "WebAssembly", "Intl", "AggregateError"]);
  strip(Array, ["from", "of"]);
  strip(Array.prototype, ["flat", "flatMap", "lastIndexOf"]);
  strip(Number, ["isInteger", "isFinite", "isNaN", "isSafeInteger"]);
  // EPSILON and MAX/MIN_SAFE_INTEGER cannot be deleted (non-configurable): swap in a Number without them.
  var RealNumber = Number;
  var BoardNumber = function Number(value) {
    if (new.target === undefined) return arguments.length === 0 ? 0 : RealNumber(value);
    return new RealNumber(arguments.length === 0 ? 0 : value);
  };
  BoardNumber.prototype = RealNumber.prototype;
  ["MAX_VALUE", "MIN_VALUE", "NaN", "NEGATIVE_INFINITY", "POSITIVE_INFINITY", "parseFloat", "parseInt"].forEach(
    function (k) { defineProperty(BoardNumber, k, { value: RealNumber[k], writable: false, configurable: false }); });
  defineProperty(RealNumber.prototype, "constructor", { value: BoardNumber, writable: true, configurable: true });
  defineProperty(g, "Number", { value: BoardNumber, writable: true, configurable: true, enumerable: false });
  strip(Math, ["trunc", "log2", "log10", "cbrt", "hypot", "fround", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
    "expm1", "log1p", "clz32", "imul"]);
  strip(Object, ["freeze", "seal"]);
  strip(RealPromise, ["race", "allSettled", "any"]);
  strip(RealPromise.prototype, ["finally"]);
  var realUTCForBoard = RealDate.UTC;
  strip(RealDate, ["UTC"]);
  strip(String, ["raw", "fromCodePoint"]);
  strip(String.prototype, ["codePointAt"]);

  // Espruino's local time is UTC (plus E.setTimeZone, 0 by default); the host's time zone must not leak in.
  var realUTC = realUTCForBoard;
  var nowMs = host.nowMs;
  var BoardDate = (function () {
    return class Date extends RealDate {
      constructor() {
        if (arguments.length === 0) super(nowMs());
        else if (arguments.length === 1) super(arguments[0]);
        else super(realUTC.apply(undefined, arguments));
      }
      static now() { return nowMs(); }
    };
  })();
  var dp = RealDate.prototype;
  ["FullYear", "Month", "Date", "Day", "Hours", "Minutes", "Seconds", "Milliseconds"].forEach(function (part) {
    defineProperty(dp, "get" + part, { value: dp["getUTC" + part], writable: true, configurable: true });
    if (part !== "Day") defineProperty(dp, "set" + part, { value: dp["setUTC" + part], writable: true, configurable: true });
  });
  defineProperty(dp, "getTimezoneOffset", { value: function getTimezoneOffset() { return 0; }, writable: true, configurable: true });
  defineProperty(dp, "toString", { value: dp.toUTCString, writable: true, configurable: true });
  defineProperty(g, "Date", { value: BoardDate, writable: true, configurable: true, enumerable: false });

  var hostRandom = host.random;
  defineProperty(Math, "random", {
    value: function random() { return hostRandom(); }, writable: true, configurable: true, enumerable: false });

  var handled = new RealWeakSet();
  var attaching = false;
  var used = false;
  function markUsed() { if (!used) { used = true; host.promiseUsed(); } }
  var BoardPromise = (function () {
    return class Promise extends RealPromise {
      constructor(executor) {
        super(executor);
        markUsed();
        if (attaching) return;
        attaching = true;
        var self = this;
        try {
          realThen.call(this, undefined, function (reason) { if (!handled.has(self)) host.unhandledRejection(reason); });
        } finally {
          attaching = false;
        }
      }
      then(onFulfilled, onRejected) {
        markUsed();
        handled.add(this);
        return super.then(onFulfilled, onRejected);
      }
    };
  })();
  defineProperty(g, "Promise", { value: BoardPromise, writable: true, configurable: true, enumerable: false });
  defineProperty(g, "global", { value: g, writable: true, configurable: true, enumerable: false });
})`,
  { filename: "timenode-lab:espruino-realm.js" },
);

const DRAIN = new vm.Script("undefined", { filename: "timenode-lab:drain.js" });

/** Compiled firmware scripts, shared by all boards running the same bundle. */
const scriptCache = new Map<string, vm.Script>();
const SCRIPT_CACHE_ENTRIES = 32;

function compile(code: string, filename: string): vm.Script {
  const key = `${filename}\u0000${code}`;
  let script = scriptCache.get(key);
  if (script === undefined) {
    script = new vm.Script(code, { filename });
    if (scriptCache.size >= SCRIPT_CACHE_ENTRIES) {
      const oldest = scriptCache.keys().next().value;
      if (oldest !== undefined) scriptCache.delete(oldest);
    }
    scriptCache.set(key, script);
  }
  return script;
}

export class Realm {
  readonly context: vm.Context;
  readonly global: Record<string, unknown>;
  private readonly ObjectCtor: ObjectConstructor;
  private readonly ArrayCtor: ArrayConstructor;
  private readonly ErrorCtor: ErrorConstructor;
  private readonly TypeErrorCtor: TypeErrorConstructor;
  readonly FunctionCtor: FunctionConstructor;
  private baseline: ReadonlySet<string> = new Set();

  /** The interpreter's own globals (built-ins and the Espruino API), fixed by freezeBaseline(). */
  get baselineNames(): ReadonlySet<string> {
    return this.baseline;
  }

  /**
   * The object the context was made from: Node keeps every global the scripts or the API define on it
   * (not the built-ins), and it is an ordinary object, so listing it avoids the context's slow
   * interceptors.
   */
  private readonly sandbox: Record<string, unknown> = {};

  constructor(name: string, host: RealmHost) {
    this.context = vm.createContext(this.sandbox, {
      name,
      codeGeneration: { strings: true, wasm: false },
      microtaskMode: "afterEvaluate",
    });
    this.global = vm.runInContext("globalThis", this.context) as Record<string, unknown>;
    this.ObjectCtor = this.global["Object"] as ObjectConstructor;
    this.ArrayCtor = this.global["Array"] as ArrayConstructor;
    this.ErrorCtor = this.global["Error"] as ErrorConstructor;
    this.TypeErrorCtor = this.global["TypeError"] as TypeErrorConstructor;
    this.FunctionCtor = this.global["Function"] as FunctionConstructor;
    (SETUP.runInContext(this.context) as (h: RealmHost) => void)(host);
  }

  /** Call after installing the API: these globals are the interpreter's, not the firmware's. */
  freezeBaseline(): void {
    this.baseline = new Set([
      ...Object.getOwnPropertyNames(this.global),
      ...Object.getOwnPropertyNames(this.sandbox),
    ]);
  }

  /** Global names the firmware created (top-level vars and functions, assignments to globals). */
  firmwareGlobals(): string[] {
    return Object.getOwnPropertyNames(this.sandbox).filter((k) => !this.baseline.has(k));
  }

  /** A firmware global's property descriptor, read without the context's interceptors. */
  globalDescriptor(name: string): PropertyDescriptor | undefined {
    return Object.getOwnPropertyDescriptor(this.sandbox, name);
  }

  /** Prototypes whose link is implicit in Espruino's storage (no __proto__ block). */
  plainPrototypes(): Set<unknown> {
    return new Set([this.ObjectCtor.prototype, this.ArrayCtor.prototype, this.FunctionCtor.prototype]);
  }

  newObject(): Record<string, unknown> {
    return new this.ObjectCtor() as Record<string, unknown>;
  }

  newArray(items: readonly unknown[] = []): unknown[] {
    const a = new this.ArrayCtor() as unknown[];
    for (const item of items) a.push(item);
    return a;
  }

  error(message: string): Error {
    return new this.ErrorCtor(message);
  }

  typeError(message: string): Error {
    return new this.TypeErrorCtor(message);
  }

  isRealmFunction(v: unknown): boolean {
    return typeof v === "function" && v instanceof this.FunctionCtor;
  }

  /** Runs a script in the context (compiled once per process for identical code). */
  run(code: string, filename: string): unknown {
    return compile(code, filename).runInContext(this.context, { displayErrors: false });
  }

  /** Runs pending promise jobs (the context has its own microtask queue). */
  drainMicrotasks(): void {
    DRAIN.runInContext(this.context);
  }
}
