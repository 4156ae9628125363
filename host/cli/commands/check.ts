// `timenode check <file.js> [--map <file>] [--json]`: runs the Espruino-compatibility checker on a
// bundle and prints each violation at its TypeScript position when a source map is found.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkScript, formatViolation, type Violation } from "../../../firmware/build/checker/index.ts";
import {
  decodeDataUrl,
  findSourceMappingUrl,
  parseSourceMap,
} from "../../../firmware/build/checker/source-map.ts";
import { CliError, EXIT_FAILURE } from "../errors.ts";
import type { Output } from "../io.ts";
import type { CommandContext, RegisterCommand } from "../main.ts";
import { describeFsError } from "../../fs-error.ts";

interface CheckCommandOptions {
  map?: string;
  json?: boolean;
}

/** A parsed source map and the directory its `sources` are relative to. */
interface LoadedMap {
  map: object;
  directory: string;
}

const HELP = `
Checks the final bundle (not the TypeScript) for everything Espruino cannot run:
  syntax     destructuring, spread and rest, default values, computed keys, ** and **=,
             optional chaining, async/await, generators, labels, tagged templates
  built-ins  Map, Set, WeakMap, Symbol, Proxy, Reflect, BigInt, Array.from, Number.isInteger,
             Math.trunc/log2/hypot..., Object.freeze, Promise.race/allSettled/any, .finally(),
             Date.UTC, String.raw, .codePointAt(), .flat()
  regex      {n} quantifiers (Espruino silently never matches them), lookaround, named groups,
             flags y u s d v
  semantics  functions and classes used before their declaration (nothing is hoisted), static
             members used through a subclass, let/const loop variables captured by closures
Each violation names the Espruino-safe alternative. Positions are in the TypeScript source when a
source map is found: --map, else <file.js>.map, else the file's //# sourceMappingURL comment.

Exit status: 0 compatible, 1 violations or an unreadable or unparsable file, 2 usage error.

Examples:
  timenode check out/timenode-pico.js
  timenode check out/timenode-pico.js --map out/timenode-pico.js.map --json`;

export const registerCheck: RegisterCommand = (program, ctx) => {
  program
    .command("check")
    .description("check a bundled script for constructs Espruino cannot run")
    .argument("<file.js>", "the bundled JavaScript, as uploaded to the board")
    .option("--map <file>", "its source map (default: <file.js>.map, else its sourceMappingURL)")
    .option("--json", "print {file, bytes, violations, parseError} as JSON")
    .addHelpText("after", HELP)
    .action((file: string, options: CheckCommandOptions) => runCheck(file, options, ctx));
};

function runCheck(file: string, options: CheckCommandOptions, ctx: CommandContext): void {
  const content = readOrFail(file, `cannot read ${file}`, "check the path, or build the firmware first");
  const code = content.toString("utf8");
  const loaded = loadSourceMap(file, code, options.map, ctx.out);
  const result = checkScript(code, { fileName: file, ...(loaded ? { sourceMap: loaded.map } : {}) });
  const violations = loaded
    ? result.violations.map((v) => withDisplayedSource(v, loaded.directory))
    : result.violations;
  if (result.parseError || violations.length > 0) ctx.exitCode = EXIT_FAILURE;

  if (options.json) {
    ctx.out.json({ file, bytes: content.length, violations, parseError: result.parseError });
    return;
  }
  if (result.parseError) {
    const { message, at } = result.parseError;
    throw new CliError(
      `${at.file}:${at.line}:${at.column}: cannot parse ${file} (${message}); check that it is the bundled JavaScript, not TypeScript`,
    );
  }
  for (const violation of violations) ctx.out.line(formatViolation(violation));
  if (violations.length > 0) {
    ctx.out.line(`${violations.length} violation${violations.length === 1 ? "" : "s"} in ${file}`);
  } else {
    ctx.out.line(`${file}: Espruino-compatible (${content.length} bytes)`);
  }
}

function readOrFail(file: string, what: string, fix: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError(`${what}: ${describeFsError(error)}; ${fix}`);
  }
}

/**
 * The map given with --map (it must work), else `<file>.map`, else the one the sourceMappingURL
 * comment names; a map found by looking that cannot be used is skipped with a warning.
 */
function loadSourceMap(
  file: string,
  code: string,
  explicit: string | undefined,
  out: Output,
): LoadedMap | null {
  if (explicit !== undefined) {
    const text = readOrFail(explicit, `cannot read source map ${explicit}`, "check the --map path").toString(
      "utf8",
    );
    try {
      return { map: usableMap(text), directory: dirname(resolve(explicit)) };
    } catch (error) {
      throw new CliError(
        `${explicit} is not a usable source map: ${messageOf(error)}; pass the .map file the build wrote`,
      );
    }
  }
  const adjacent = `${file}.map`;
  if (existsSync(adjacent))
    return tryMap(() => readFileSync(adjacent, "utf8"), adjacent, dirname(resolve(adjacent)), out);

  const url = findSourceMappingUrl(code);
  if (url === null) return null;
  const inline = decodeDataUrl(url);
  if (inline !== null)
    return tryMap(() => inline, `the inline source map of ${file}`, dirname(resolve(file)), out);
  if (/^[a-z][a-z\d+.-]*:/i.test(url) && !url.startsWith("file:")) return null;
  const mapFile = url.startsWith("file:")
    ? fileURLToPath(url)
    : resolve(dirname(file), decodeURIComponent(url));
  if (!existsSync(mapFile)) {
    out.warn(
      `timenode: ${file} names the source map ${url}, which does not exist; positions are in the bundle only`,
    );
    return null;
  }
  return tryMap(() => readFileSync(mapFile, "utf8"), mapFile, dirname(mapFile), out);
}

function tryMap(read: () => string, name: string, directory: string, out: Output): LoadedMap | null {
  try {
    return { map: usableMap(read()), directory };
  } catch (error) {
    out.warn(`timenode: ignoring ${name}: ${messageOf(error)}; positions are in the bundle only`);
    return null;
  }
}

/** The map as a JSON object, after checking that it can be read as a source map. */
function usableMap(text: string): object {
  const map = JSON.parse(text) as object;
  parseSourceMap(map);
  return map;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Source paths in a map are relative to the map; show them relative to the working directory. */
function withDisplayedSource(violation: Violation, mapDirectory: string): Violation {
  if (!violation.original) return violation;
  const source = violation.original.file;
  let absolute: string;
  if (source.startsWith("file:")) absolute = fileURLToPath(source);
  else if (/^[a-z][a-z\d+.-]*:/i.test(source)) return violation;
  else absolute = resolve(mapDirectory, source);
  const fromCwd = relative(process.cwd(), absolute);
  const shown = fromCwd && !fromCwd.startsWith("..") && !isAbsolute(fromCwd) ? fromCwd : absolute;
  return { ...violation, original: { ...violation.original, file: shown } };
}
