// E.CRC32's CRC-32 (reflected, polynomial 0xEDB88320) over a string's 8-bit characters, for the host's
// decoder and the emulated runtime (boards use E.CRC32 itself); "123456789" gives 0xCBF43926
// (espruino.md §4). Table-driven: a record line costs far less than a call into zlib.

// Signed entries: every step stays a small integer for the JIT (an unsigned table yields doubles).
const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC-32 of text[start, end). */
export function crc32Range(text: string, start: number, end: number): number {
  let crc = -1;
  for (let i = start; i < end; i++) crc = (TABLE[(crc ^ text.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

export function crc32(data: string): number {
  return crc32Range(data, 0, data.length);
}
