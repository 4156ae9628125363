// Authenticated record lines: a board built with a node key (set when it is flashed) ends each line it
// sends with " ~<serial>:<tag>", the tag being HMAC-SHA256(key, serial + "\n" + line) cut to 64 bits,
// so the host (host/truth/record-auth.ts) can tell its records from forged or replayed ones. The hash is
// the board's own (require("crypto").SHA256); the HMAC's two padded keys are made once, at boot.

/** SHA-256 of an 8-bit string, as a 32-character 8-bit string. */
export type Sha256 = (data: string) => string;

export interface RecordSigner {
  serial: string;
  /** key ⊕ ipad and key ⊕ opad, 64 characters each. */
  inner: string;
  outer: string;
  sha256: Sha256;
}

const BLOCK = 64;
const TAG_BYTES = 8;

export function createRecordSigner(keyHex: string, serial: string, sha256: Sha256): RecordSigner {
  let key = "";
  for (let i = 0; i + 1 < keyHex.length; i += 2)
    key += String.fromCharCode(parseInt(keyHex.substr(i, 2), 16));
  if (key.length > BLOCK) key = sha256(key);
  let inner = "";
  let outer = "";
  for (let i = 0; i < BLOCK; i++) {
    const b = i < key.length ? key.charCodeAt(i) : 0;
    inner += String.fromCharCode(b ^ 0x36);
    outer += String.fromCharCode(b ^ 0x5c);
  }
  return { serial: serial, inner: inner, outer: outer, sha256: sha256 };
}

/** A framed line (ending "\r\n") with its tag added. */
export function signRecordLine(signer: RecordSigner, line: string): string {
  let end = line.length;
  while (end > 0 && (line.charAt(end - 1) === "\n" || line.charAt(end - 1) === "\r")) end--;
  const record = line.substr(0, end);
  const mac = signer.sha256(signer.outer + signer.sha256(signer.inner + signer.serial + "\n" + record));
  let tag = "";
  for (let i = 0; i < TAG_BYTES; i++) {
    const b = mac.charCodeAt(i);
    tag += (b < 16 ? "0" : "") + b.toString(16);
  }
  return record + " ~" + signer.serial + ":" + tag + "\r\n";
}
