import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/capture.ts";
import { ensureNodeKey, KeyFileError, parseKeyFile } from "./key-file.ts";

describe("node key files", () => {
  it("makes a node's key once, keeps the others, and keeps the file private", () => {
    const dir = mkdtempSync(join(tmpdir(), "timenode-keys-"));
    try {
      const path = join(dir, "keys.json");
      const first = ensureNodeKey(path, "AAA");
      expect(first.created).toBe(true);
      expect(first.keyHex).toMatch(/^[0-9a-f]{64}$/);
      const second = ensureNodeKey(path, "BBB");
      expect(second.keyHex).not.toBe(first.keyHex);
      expect(ensureNodeKey(path, "AAA")).toEqual({ keyHex: first.keyHex, created: false });
      const { keys, problems } = parseKeyFile(readFileSync(path, "utf8"));
      expect(problems).toEqual([]);
      expect([...keys.keys()]).toEqual(["AAA", "BBB"]);
      expect(statSync(path).mode & 0o077).toBe(0);
      writeFileSync(path, "{ not json");
      expect(() => ensureNodeKey(path, "CCC")).toThrow(KeyFileError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads serial → hex key and names every bad entry", () => {
    const good = "00112233445566778899aabbccddeeff";
    const { keys, problems } = parseKeyFile(JSON.stringify({ A1: good, B2: "xyz", C3: 7 }));
    expect([...keys.keys()]).toEqual(["A1"]);
    expect(keys.get("A1")!.toString("hex")).toBe(good);
    expect(problems).toEqual([
      "key of B2: expected at least 32 hex digits (16 bytes), an even number",
      "key of C3: expected at least 32 hex digits (16 bytes), an even number",
    ]);
    expect(parseKeyFile("[1]").problems[0]).toContain("expected an object");
    expect(parseKeyFile("{}").problems).toEqual(["no keys in the file"]);
    expect(parseKeyFile("{").problems[0]).toMatch(/^not JSON/);
  });

  it("never throws, whatever the text", () => {
    fc.assert(fc.property(fc.string(), (text) => void parseKeyFile(text)));
  });

  it("timenode collect --keys refuses a bad key file before opening anything (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "timenode-keys-"));
    try {
      const file = join(dir, "keys.json");
      writeFileSync(file, '{"A1": "short"}');
      const db = join(dir, "c.db");
      const result = await runCli("collect", "--udp", "127.0.0.1:0", "--keys", file, "--db", db);
      expect(result.code).toBe(2);
      expect(result.stderr.join("\n")).toContain("key of A1");
      expect(existsSync(db)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
