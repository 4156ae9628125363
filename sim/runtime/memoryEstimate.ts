// process.memory() for a board: which roots the firmware's data hangs from (its globals, and the
// callbacks Espruino keeps for watches, timers and listeners), walked with the cost rules in memory.ts.

import type { BoardProfile } from "../../boards/types.ts";
import type { ErrorFlags } from "./errorFlags.ts";
import { type MemoryRoot, MemoryWalker } from "./memory.ts";
import type { Realm } from "./realm.ts";
import type { SerialDevice } from "./serial.ts";
import type { Timer } from "./timers.ts";
import type { MemoryEstimate } from "./types.ts";
import type { Watch } from "./watches.ts";

/** process.memory().total reported for resizable builds (Linux: jsVars 0). */
export const RESIZABLE_TOTAL_BLOCKS = 1 << 24;
// Espruino's own records (inference from their field lists): a watch object ~8 blocks (pin, recur,
// edge, callback, lastTime), a timer ~6 (time, interval, callback), a listener 1 key block.
const WATCH_RECORD_BLOCKS = 8;
const TIMER_RECORD_BLOCKS = 6;
const LISTENER_BLOCKS = 1;

export interface MemorySubject {
  readonly profile: BoardProfile;
  readonly realm: Realm;
  /** Scripts loaded from Storage this boot: function text found in them stayed in flash. */
  readonly flashSources: readonly string[];
  /** Current values of top-level bindings of wrapped scripts (see scriptScope.ts). */
  readonly scopedGlobals: ReadonlyMap<string, () => unknown>;
  readonly watches: readonly Watch[];
  readonly timers: Iterable<Timer>;
  readonly devices: readonly SerialDevice[];
  readonly espruinoListeners: ReadonlyMap<string, readonly unknown[]>;
  readonly errors: ErrorFlags;
}

export class MemoryEstimator {
  private readonly firmwareFunctions = new WeakMap<object, boolean>();
  private readonly codeInRam = new WeakMap<object, boolean>();

  estimate(s: MemorySubject): MemoryEstimate {
    const realm = s.realm;
    const walker = new MemoryWalker(
      { bytesPerVar: s.profile.bytesPerVar.value, jsVars: s.profile.jsVars.value },
      {
        isFirmwareFunction: (fn) => this.isFirmwareFunction(fn, realm),
        isCodeInRam: (fn, source) => this.isCodeInRam(fn, source, s.flashSources),
      },
      realm.plainPrototypes(),
    );
    const { usage, byRoot } = walker.count(roots(s));
    const total = s.profile.jsVars.value > 0 ? s.profile.jsVars.value : RESIZABLE_TOTAL_BLOCKS;
    if (usage > total) s.errors.raise("MEMORY");
    return { usage, total, free: Math.max(0, total - usage), blocksize: s.profile.bytesPerVar.value, byRoot };
  }

  /** Code uploaded to Storage and load()ed stays memory-mapped in flash (espruino.md §3). */
  private isCodeInRam(fn: object, source: string, flashSources: readonly string[]): boolean {
    let inRam = this.codeInRam.get(fn);
    if (inRam === undefined) {
      inRam = !flashSources.some((script) => script.includes(source));
      this.codeInRam.set(fn, inRam);
    }
    return inRam;
  }

  private isFirmwareFunction(fn: unknown, realm: Realm): boolean {
    if (!realm.isRealmFunction(fn)) return false;
    const f = fn as object;
    let known = this.firmwareFunctions.get(f);
    if (known === undefined) {
      known = !Function.prototype.toString.call(f).endsWith("{ [native code] }");
      this.firmwareFunctions.set(f, known);
    }
    return known;
  }
}

function roots(s: MemorySubject): MemoryRoot[] {
  const out: MemoryRoot[] = [];
  for (const name of s.realm.firmwareGlobals()) {
    out.push({ label: name, key: name, value: globalValue(s, name), overheadBlocks: 0 });
  }
  for (const w of s.watches)
    out.push({ label: `watch#${w.id}`, value: w.callback, overheadBlocks: WATCH_RECORD_BLOCKS });
  for (const t of s.timers) {
    out.push({ label: `timer#${t.id}`, value: t.callback, overheadBlocks: TIMER_RECORD_BLOCKS });
    for (const arg of t.args)
      out.push({ label: `timer#${t.id}`, value: arg, overheadBlocks: LISTENER_BLOCKS });
  }
  const listeners = (label: string, fns: readonly unknown[]): void => {
    for (const fn of fns) out.push({ label, value: fn, overheadBlocks: LISTENER_BLOCKS });
  };
  for (const dev of s.devices) listeners(`${dev.name}.on('data')`, dev.dataListeners);
  for (const [event, fns] of s.espruinoListeners) listeners(`E.on('${event}')`, fns);
  return out;
}

/** A global's value without running firmware getters (accessors are reported as their functions). */
function globalValue(s: MemorySubject, name: string): unknown {
  const scoped = s.scopedGlobals.get(name);
  if (scoped !== undefined) return scoped();
  const desc = s.realm.globalDescriptor(name);
  if (desc === undefined) return undefined;
  return "value" in desc ? desc.value : [desc.get, desc.set];
}
