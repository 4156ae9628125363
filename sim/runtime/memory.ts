// process.memory(): an ESTIMATE of the JsVar blocks the firmware's data would use on the board,
// from walking what its globals (and its registered callbacks) reach, with Espruino's cost rules
// (espruino.md §3):
// - every value takes at least one block; an object/array takes one plus its elements;
// - an element is a key block plus a value block, except that an array index with a bool or small
//   int, or a key of <= 4 chars with a small int, packs into one block; keys longer than 10 chars
//   (7 on 12-byte builds) need extension blocks;
// - a string takes ceil(length / charsPerBlock) blocks with charsPerBlock = bytesPerVar - 4 (the
//   JsVar header and links take ~4 bytes of each block; an approximation);
// - a typed array takes a view block, a buffer block and ceil(byteLength / bytesPerVar) data blocks
//   (flat string);
// - a function takes one block plus one for its scope, plus its source text when the code was uploaded
//   to RAM (ceil(length / charsPerBlock) blocks); code loaded from Storage stays in flash (one block
//   for the reference). A function's properties are read once (see functionFacts).
// "Small int" = fits the JsVarRef field (10-16 bits by variable count, src/jsutils.h; an inference).
// Not visible to the walk: variables captured only in closures, and top-level let/const/class
// bindings (the bundle keeps its state in top-level vars, so those are seen).

export interface MemoryCostModel {
  bytesPerVar: number;
  /** Variable count, 0 = resizable (Linux). */
  jsVars: number;
}

export interface FirmwareCode {
  /** True for functions written by the firmware (false for built-ins and the lab's API). */
  isFirmwareFunction(fn: unknown): boolean;
  /** True when the function's text lives in RAM (RAM upload), false when it stayed in flash. */
  isCodeInRam(fn: object, source: string): boolean;
}

export interface MemoryRoot {
  label: string;
  value: unknown;
  /** Set for a global variable: its name is a key of the root scope. */
  key?: string;
  /** Blocks of Espruino's own bookkeeping object for this root (watch/timer/listener record). */
  overheadBlocks: number;
}

export interface BlockCount {
  usage: number;
  byRoot: Record<string, number>;
}

/** Blocks a freshly booted interpreter uses ([L] process.memory() at startup showed usage 42). */
export const FRESH_BOARD_BLOCKS = 40;
const MAX_VISITS = 2_000_000;

export class MemoryWalker {
  private readonly charsPerBlock: number;
  private readonly keyCharsInName: number;
  private readonly smallIntMax: number;

  constructor(
    private readonly model: MemoryCostModel,
    private readonly code: FirmwareCode,
    /** Prototypes whose link costs nothing (Object.prototype, Array.prototype, …). */
    private readonly plainPrototypes: ReadonlySet<unknown>,
  ) {
    this.charsPerBlock = Math.max(1, model.bytesPerVar - 4);
    this.keyCharsInName = model.bytesPerVar <= 12 ? 7 : 10;
    this.smallIntMax = 2 ** (refBits(model.jsVars) - 1) - 1;
  }

  count(roots: readonly MemoryRoot[]): BlockCount {
    const seen = new Set<object>();
    const byRoot: Record<string, number> = {};
    let usage = FRESH_BOARD_BLOCKS;
    for (const root of roots) {
      let blocks = root.overheadBlocks;
      if (root.key === undefined) blocks += this.walk(root.value, seen);
      else if (isObjectLike(root.value))
        blocks += this.keyBlocks(root.key, false) + this.walk(root.value, seen);
      else blocks += this.elementBlocks(root.key, root.value, false);
      byRoot[root.label] = (byRoot[root.label] ?? 0) + blocks;
      usage += blocks;
    }
    return { usage, byRoot };
  }

  /** Blocks of `value` and everything it reaches that was not seen yet. */
  private walk(value: unknown, seen: Set<object>): number {
    if (!isObjectLike(value)) return this.primitiveBlocks(value);
    let blocks = 0;
    const stack: object[] = [];
    visit(value, seen, stack);
    while (stack.length > 0) {
      const obj = stack.pop() as object;
      blocks += this.ownBlocks(obj, seen, stack);
    }
    return blocks;
  }

  private ownBlocks(obj: object, seen: Set<object>, stack: object[]): number {
    if (ArrayBuffer.isView(obj)) return 2 + Math.ceil(obj.byteLength / this.model.bytesPerVar);
    if (obj instanceof ArrayBuffer || Object.prototype.toString.call(obj) === "[object ArrayBuffer]") {
      return 1 + Math.ceil((obj as ArrayBuffer).byteLength / this.model.bytesPerVar);
    }
    const isFunction = typeof obj === "function";
    if (isFunction && !this.code.isFirmwareFunction(obj)) return 1;
    let blocks = 1;
    let keys: readonly string[];
    if (isFunction) {
      const facts = functionFacts(obj);
      blocks = 2 + this.codeBlocks(obj, facts);
      keys = facts.keys;
    } else {
      const proto: unknown = Object.getPrototypeOf(obj);
      if (proto !== null && !this.plainPrototypes.has(proto)) {
        blocks += 1;
        visit(proto, seen, stack);
      }
      keys = Object.getOwnPropertyNames(obj);
    }
    const isArray = Array.isArray(obj);
    for (const key of keys) {
      if (isArray && key === "length") continue;
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (desc === undefined) continue;
      const isIndex = isArray && isArrayIndex(key);
      if (desc.get !== undefined || desc.set !== undefined) {
        blocks += this.keyBlocks(key, isIndex) + 1;
        visit(desc.get, seen, stack);
        visit(desc.set, seen, stack);
        continue;
      }
      const v: unknown = desc.value;
      if (isObjectLike(v)) {
        blocks += this.keyBlocks(key, isIndex);
        visit(v, seen, stack);
      } else {
        blocks += this.elementBlocks(key, v, isIndex);
      }
    }
    return blocks;
  }

  private elementBlocks(key: string, v: unknown, isIndex: boolean): number {
    if (v === undefined) return this.keyBlocks(key, isIndex);
    const smallInt = typeof v === "number" && Number.isInteger(v) && Math.abs(v) <= this.smallIntMax;
    if (isIndex && (smallInt || typeof v === "boolean")) return 1;
    if (!isIndex && key.length <= 4 && smallInt) return 1;
    return this.keyBlocks(key, isIndex) + this.primitiveBlocks(v);
  }

  private keyBlocks(key: string, isIndex: boolean): number {
    if (isIndex) return 1;
    const extra = key.length - this.keyCharsInName;
    return 1 + (extra > 0 ? Math.ceil(extra / this.charsPerBlock) : 0);
  }

  private primitiveBlocks(v: unknown): number {
    if (typeof v === "string") return Math.max(1, Math.ceil(v.length / this.charsPerBlock));
    return 1;
  }

  private codeBlocks(fn: object, facts: FunctionFacts): number {
    // A class's text includes its methods, which are counted as functions of their own.
    if (facts.isClass || !this.code.isCodeInRam(fn, facts.source)) return 1;
    return 1 + Math.ceil(facts.source.length / this.charsPerBlock);
  }
}

interface FunctionFacts {
  source: string;
  isClass: boolean;
  /** Own properties worth walking: not length/name/…, and `prototype` only when it carries methods. */
  keys: string[];
}

/**
 * Facts about a function, read once: its properties are taken as fixed after the first look (the
 * memory walk runs every few seconds of firmware time, and re-reading every function dominated it).
 */
const factsCache = new WeakMap<object, FunctionFacts>();
const STANDARD_FUNCTION_KEYS = new Set(["length", "name", "arguments", "caller", "prototype"]);

function functionFacts(fn: object): FunctionFacts {
  let facts = factsCache.get(fn);
  if (facts === undefined) {
    const source = Function.prototype.toString.call(fn);
    const keys = Object.getOwnPropertyNames(fn).filter((k) => !STANDARD_FUNCTION_KEYS.has(k));
    const proto = Object.getOwnPropertyDescriptor(fn, "prototype")?.value as unknown;
    if (hasOwnDataBeyondConstructor(proto)) keys.push("prototype");
    facts = { source, isClass: source.startsWith("class"), keys };
    factsCache.set(fn, facts);
  }
  return facts;
}

/** Bits in a JsVarRef for a given variable count (src/jsutils.h); 16 when resizable. */
export function refBits(jsVars: number): number {
  if (jsVars <= 0) return 16;
  for (const bits of [10, 11, 12, 13, 14, 16]) if (jsVars <= 2 ** bits - 1) return bits;
  return 16;
}

function visit(v: unknown, seen: Set<object>, stack: object[]): void {
  if (isObjectLike(v) && !seen.has(v) && seen.size < MAX_VISITS) {
    seen.add(v);
    stack.push(v);
  }
}

function isObjectLike(v: unknown): v is object {
  return (typeof v === "object" && v !== null) || typeof v === "function";
}

function isArrayIndex(key: string): boolean {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key;
}

function hasOwnDataBeyondConstructor(proto: unknown): boolean {
  if (!isObjectLike(proto)) return false;
  return Object.getOwnPropertyNames(proto).some((k) => k !== "constructor");
}
