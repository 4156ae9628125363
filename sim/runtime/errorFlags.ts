// E.getErrorFlags() (src/jsutils.h JsErrorFlags, in bit order). LOW_MEMORY is only a warning: the
// console reports new flags other than that one as "New interpreter error: …" (jsiCheckErrors).

export const ERROR_FLAG_NAMES = [
  "FIFO_FULL",
  "BUFFER_FULL",
  "CALLBACK",
  "LOW_MEMORY",
  "MEMORY",
  "MEMORY_BUSY",
  "UART_OVERFLOW",
] as const;

export type ErrorFlagName = (typeof ERROR_FLAG_NAMES)[number];

const WARNINGS_MASK = 1 << ERROR_FLAG_NAMES.indexOf("LOW_MEMORY");

export class ErrorFlags {
  private bits = 0;
  private lastSeenBits = 0;

  raise(flag: ErrorFlagName): void {
    this.bits |= 1 << ERROR_FLAG_NAMES.indexOf(flag);
  }

  /** The flags currently set, without clearing them. */
  current(): string[] {
    return namesOf(this.bits);
  }

  /** E.getErrorFlags(): returns the set flags and clears them. */
  take(): string[] {
    const names = namesOf(this.bits);
    this.bits = 0;
    return names;
  }

  /** Flags (not warnings) raised since the last call, as jsiCheckErrors reports them once per loop. */
  takeNewErrors(): string[] {
    const fresh = this.bits & ~this.lastSeenBits & ~WARNINGS_MASK;
    this.lastSeenBits = this.bits;
    return namesOf(fresh);
  }

  clear(): void {
    this.bits = 0;
    this.lastSeenBits = 0;
  }
}

function namesOf(bits: number): string[] {
  const out: string[] = [];
  ERROR_FLAG_NAMES.forEach((name, i) => {
    if (bits & (1 << i)) out.push(name);
  });
  return out;
}
