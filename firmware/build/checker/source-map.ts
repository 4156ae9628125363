import { FlattenMap, originalPositionFor, type TraceMap } from "@jridgewell/trace-mapping";
import type { SourcePosition } from "./types.ts";

/** Maps a 1-based line/column of the checked code to the original source, or null if unmapped. */
export type OriginalLocator = (line: number, column: number) => SourcePosition | null;

/** Reads a source map (JSON text or object); throws an Error saying why it cannot be used. */
export function parseSourceMap(sourceMap: string | object): TraceMap {
  const parsed: unknown = typeof sourceMap === "string" ? JSON.parse(sourceMap) : sourceMap;
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("a source map must be a JSON object");
  }
  if (!("mappings" in parsed) && !("sections" in parsed)) {
    throw new Error('not a source map: it has neither "mappings" nor "sections"');
  }
  return new FlattenMap(parsed as ConstructorParameters<typeof FlattenMap>[0]);
}

/** A locator for the map, or null when there is no usable map. */
export function createOriginalLocator(sourceMap: string | object | undefined): OriginalLocator | null {
  if (sourceMap === undefined) return null;
  let map: TraceMap;
  try {
    map = parseSourceMap(sourceMap);
  } catch {
    return null;
  }
  return (line, column) => {
    try {
      const found = originalPositionFor(map, { line, column: column - 1 });
      if (found.source === null || found.line === null) return null;
      return { file: found.source, line: found.line, column: found.column + 1 };
    } catch {
      return null;
    }
  };
}

const MAPPING_URL_COMMENT = /\/\/[#@][ \t]*sourceMappingURL=([^\s'"`]+)[ \t]*$/gm;

/** The URL of the last `//# sourceMappingURL=` comment, or null. */
export function findSourceMappingUrl(code: string): string | null {
  let url: string | null = null;
  for (const match of code.matchAll(MAPPING_URL_COMMENT)) url = match[1] ?? null;
  return url;
}

/** The text of a `data:` URL (base64 or percent-encoded); null for any other URL or a broken one. */
export function decodeDataUrl(url: string): string | null {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (!match) return null;
  const [, header = "", payload = ""] = match;
  try {
    if (/;base64$/i.test(header)) return Buffer.from(payload, "base64").toString("utf8");
    return decodeURIComponent(payload);
  } catch {
    return null;
  }
}
