// require("Storage") on the board's saved-code flash area (espruino.md §3, §7.2; src/jswrap_storage.c).
// Files hold 8-bit strings. A first write at offset 0 with a size creates a file of that size filled
// with 0xFF; later writes at an offset may only fill bytes that are still 0xFF (flash bits can only be
// cleared without an erase). Every file costs a header plus its size rounded up to the flash word.
// Space freed by erase() is available at once: Espruino's compaction is not modelled.

export const STORAGE_NAME_MAX_CHARS = 28;
/** JsfFileHeader: 4-byte size/flags word + 28-byte name. */
export const STORAGE_FILE_HEADER_BYTES = 32;
const FLASH_WORD_BYTES = 4;
const ERASED = "\xff";

export class FlashStorage {
  private readonly files = new Map<string, string>();

  constructor(
    readonly capacityBytes: number,
    initial?: Record<string, string>,
  ) {
    for (const [name, data] of Object.entries(initial ?? {})) {
      if (!this.write(name, data))
        throw new RangeError(`initial Storage file ${JSON.stringify(name)} does not fit`);
    }
  }

  /** Storage.write(name, data[, offset[, size]]); false when refused. */
  write(name: string, data: string, offset?: number, size?: number): boolean {
    if (!validName(name)) return false;
    const at = offset === undefined || Number.isNaN(offset) ? 0 : Math.floor(offset);
    if (at < 0) return false;
    if (at === 0) {
      const fileSize = size === undefined || Number.isNaN(size) ? data.length : Math.floor(size);
      if (fileSize < data.length) return false;
      const existingSize = this.files.get(name)?.length;
      const reclaimBytes = existingSize === undefined ? 0 : footprint(existingSize);
      if (footprint(fileSize) > this.getFree() + reclaimBytes) return false;
      const content = fileSize === data.length ? data : data + ERASED.repeat(fileSize - data.length);
      if (this.files.get(name) === content) return true;
      this.files.delete(name); // a rewritten file moves to the end of flash
      this.files.set(name, content);
      return true;
    }
    const existing = this.files.get(name);
    if (existing === undefined || at + data.length > existing.length) return false;
    for (let i = 0; i < data.length; i++) {
      const old = existing.charCodeAt(at + i);
      if (old !== 0xff && old !== data.charCodeAt(i)) return false;
    }
    this.files.set(name, existing.slice(0, at) + data + existing.slice(at + data.length));
    return true;
  }

  /** Storage.read(name[, offset[, length]]); undefined when the file does not exist. */
  read(name: string, offset?: number, length?: number): string | undefined {
    const data = this.files.get(name);
    if (data === undefined) return undefined;
    const from = offset === undefined || Number.isNaN(offset) ? 0 : Math.max(0, Math.floor(offset));
    const to =
      length === undefined || Number.isNaN(length) ? data.length : from + Math.max(0, Math.floor(length));
    return data.slice(from, to);
  }

  erase(name: string): void {
    this.files.delete(name);
  }

  /** Names in flash order, optionally filtered. */
  list(filter?: (name: string) => boolean): string[] {
    const names = [...this.files.keys()];
    return filter === undefined ? names : names.filter(filter);
  }

  getFree(): number {
    let used = 0;
    for (const data of this.files.values()) used += footprint(data.length);
    return Math.max(0, this.capacityBytes - used);
  }

  snapshot(): Record<string, string> {
    return Object.fromEntries(this.files);
  }
}

function validName(name: string): boolean {
  return typeof name === "string" && name.length > 0 && name.length <= STORAGE_NAME_MAX_CHARS;
}

function footprint(sizeBytes: number): number {
  return STORAGE_FILE_HEADER_BYTES + Math.ceil(sizeBytes / FLASH_WORD_BYTES) * FLASH_WORD_BYTES;
}
