// Espruino's IO event queue (espruino.md §1.2): interrupts push pin-change and received-character
// events; the main loop pops them. It is sized in bytes (profile.ioQueueBytes). A watch event is a
// 2-byte header (length, flags) plus the low 32 bits of the time: 6 bytes. A character event is the
// same 2-byte header plus up to 64 characters (IOEVENT_MAX_LEN in src/jsdevices.h); characters for the
// device of the newest event are appended to it while it has room, as jshPushIOCharEvent does.

export const WATCH_EVENT_BYTES = 6;
export const EVENT_HEADER_BYTES = 2;
export const MAX_CHARS_PER_EVENT = 64;

/** Event kind for pin watches; character events use their device index (>= 0). */
export const WATCH_KIND = -1;

export class IoQueue {
  private kinds: number[] = [];
  private pinIndexes: number[] = [];
  private states: boolean[] = [];
  private low32s: number[] = [];
  private chars: string[] = [];
  private head = 0;
  private size = 0;
  private bytes = 0;

  // Fields of the last popped watch event (avoids allocating a result object per event).
  poppedPinIndex = 0;
  poppedState = false;
  poppedLow32 = 0;
  /** Number of queue events merged by the last takeCharRun(). */
  takenEvents = 0;

  constructor(readonly capacityBytes: number) {
    if (!(capacityBytes > WATCH_EVENT_BYTES))
      throw new RangeError(`IO queue of ${capacityBytes} bytes is too small`);
    this.grow(64);
  }

  get eventCount(): number {
    return this.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  /** Kind of the oldest event, or undefined when empty. */
  peekKind(): number | undefined {
    return this.size === 0 ? undefined : this.kinds[this.head];
  }

  /** Returns false (event lost) when the queue has no room. */
  pushWatch(pinIndex: number, state: boolean, low32: number): boolean {
    if (this.bytes + WATCH_EVENT_BYTES > this.capacityBytes) return false;
    const slot = this.allocate();
    this.kinds[slot] = WATCH_KIND;
    this.pinIndexes[slot] = pinIndex;
    this.states[slot] = state;
    this.low32s[slot] = low32;
    this.chars[slot] = "";
    this.bytes += WATCH_EVENT_BYTES;
    return true;
  }

  /** Queues as many characters as fit, in order; returns how many were accepted (the rest are lost). */
  pushChars(device: number, data: string): number {
    let accepted = 0;
    const n = data.length;
    if (this.size > 0) {
      const tail = this.slotOf(this.size - 1);
      const have = (this.chars[tail] as string).length;
      if (this.kinds[tail] === device && have < MAX_CHARS_PER_EVENT) {
        const take = Math.min(n, MAX_CHARS_PER_EVENT - have, this.capacityBytes - this.bytes);
        if (take > 0) {
          this.chars[tail] += data.slice(0, take);
          this.bytes += take;
          accepted = take;
        }
      }
    }
    while (accepted < n) {
      const room = this.capacityBytes - this.bytes - EVENT_HEADER_BYTES;
      if (room <= 0) break;
      const take = Math.min(n - accepted, MAX_CHARS_PER_EVENT, room);
      const slot = this.allocate();
      this.kinds[slot] = device;
      this.pinIndexes[slot] = 0;
      this.states[slot] = false;
      this.low32s[slot] = 0;
      this.chars[slot] = data.slice(accepted, accepted + take);
      this.bytes += EVENT_HEADER_BYTES + take;
      accepted += take;
    }
    return accepted;
  }

  /** Pops the oldest event, which must be a watch event; its fields go to popped*. */
  popWatch(): void {
    const slot = this.head;
    this.poppedPinIndex = this.pinIndexes[slot] as number;
    this.poppedState = this.states[slot] as boolean;
    this.poppedLow32 = this.low32s[slot] as number;
    this.bytes -= WATCH_EVENT_BYTES;
    this.release();
  }

  /**
   * Pops the oldest event (a character event) and every following event of the same device (jsiIdle
   * hands consecutive events of one device over as one chunk); returns their characters.
   * `takenEvents` tells how many events were merged.
   */
  takeCharRun(): string {
    const device = this.kinds[this.head] as number;
    let text = "";
    let taken = 0;
    while (this.size > 0 && this.kinds[this.head] === device) {
      const s = this.chars[this.head] as string;
      text += s;
      this.bytes -= EVENT_HEADER_BYTES + s.length;
      this.chars[this.head] = "";
      this.release();
      taken++;
    }
    this.takenEvents = taken;
    return text;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
    this.bytes = 0;
    this.chars.fill("");
  }

  private slotOf(i: number): number {
    const cap = this.kinds.length;
    const s = this.head + i;
    return s >= cap ? s - cap : s;
  }

  private allocate(): number {
    if (this.size === this.kinds.length) this.grow(this.kinds.length * 2);
    const slot = this.slotOf(this.size);
    this.size++;
    return slot;
  }

  private release(): void {
    this.head = this.head + 1 === this.kinds.length ? 0 : this.head + 1;
    this.size--;
  }

  /** Re-lays the ring out from index 0 with a larger capacity. */
  private grow(capacity: number): void {
    const order = Array.from({ length: this.size }, (_, i) => this.slotOf(i));
    const remap = <T>(arr: T[], fill: T): T[] => {
      const next = new Array<T>(capacity).fill(fill);
      order.forEach((slot, i) => (next[i] = arr[slot] as T));
      return next;
    };
    this.kinds = remap(this.kinds, 0);
    this.pinIndexes = remap(this.pinIndexes, 0);
    this.states = remap(this.states, false);
    this.low32s = remap(this.low32s, 0);
    this.chars = remap(this.chars, "");
    this.head = 0;
  }
}
