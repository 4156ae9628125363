// The node keys a collector verifies records with: a JSON object of serial → key (hex, at least 16
// bytes), one per node, the same key its firmware was built with. Problems are returned, one line each.
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { describeFsError } from "../fs-error.ts";

export interface KeyFile {
  keys: Map<string, Buffer>;
  problems: string[];
}

export function parseKeyFile(text: string): KeyFile {
  const keys = new Map<string, Buffer>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { keys, problems: [`not JSON: ${(error as Error).message}`] };
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    return {
      keys,
      problems: ['expected an object of serial → hex key, e.g. {"0123456789ab": "…64 hex digits…"}'],
    };
  const problems: string[] = [];
  for (const [serial, key] of Object.entries(parsed)) {
    if (typeof key !== "string" || !/^([0-9a-fA-F]{2}){16,}$/.test(key))
      problems.push(`key of ${serial}: expected at least 32 hex digits (16 bytes), an even number`);
    else keys.set(serial, Buffer.from(key, "hex"));
  }
  if (keys.size === 0 && problems.length === 0) problems.push("no keys in the file");
  return { keys, problems };
}

/**
 * The key of the node with this serial in the key file at `path`, made (32 random bytes) and added to
 * the file when the node has none yet; the file is created when missing and kept readable by its owner
 * only. Throws KeyFileError, with one line saying what is wrong, on a file that is not a key file.
 */
export function ensureNodeKey(path: string, serial: string): { keyHex: string; created: boolean } {
  let text: string | null = null;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new KeyFileError(`cannot read key file ${path}: ${describeFsError(error)}`);
  }
  const entries: Record<string, string> = {};
  if (text !== null) {
    const { keys, problems } = parseKeyFile(text);
    if (problems.length > 0 && !(keys.size === 0 && problems[0] === "no keys in the file"))
      throw new KeyFileError(`${path}: ${problems[0]}`);
    for (const [s, key] of keys) entries[s] = key.toString("hex");
  }
  const existing = entries[serial];
  if (existing !== undefined) return { keyHex: existing, created: false };
  const keyHex = randomBytes(32).toString("hex");
  entries[serial] = keyHex;
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(entries, null, 2) + "\n", { mode: 0o600 });
  renameSync(temporary, path);
  return { keyHex, created: true };
}

export class KeyFileError extends Error {}
