// E.CRC32's CRC-32 (reflected, polynomial 0xEDB88320) over a string's 8-bit characters, for the host's
// decoder and the emulated runtime (boards use E.CRC32 itself); "123456789" gives 0xCBF43926
// (espruino.md §4). Table-driven: a record line costs far less than a call into zlib.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(data: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    crc = (TABLE[(crc ^ data.charCodeAt(i)) & 0xff] as number) ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
