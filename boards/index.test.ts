import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  boardIds,
  getBoard,
  InvalidBoardProfileError,
  listBoards,
  UnknownBoardError,
  validateBoardProfile,
  type BoardProfile,
  type InterruptTiming,
  type Oscillator,
  type Pins,
  type TemperatureSensor,
  type Timebase,
  type Transport,
  type Uart,
} from "./index.ts";

const BOARDS_DIR = new URL(".", import.meta.url);
const PROFILE_FILES = readdirSync(BOARDS_DIR)
  .filter((name) => name.endsWith(".json") && name !== "board.schema.json")
  .sort();
const EXPECTED_IDS = [
  "bangle2",
  "esp32",
  "esp8266",
  "espruino-original",
  "espruino-wifi",
  "linux",
  "mdbt42q",
  "pico",
  "pixljs",
  "puckjs",
];

function readProfileFile(fileName: string): unknown {
  return JSON.parse(readFileSync(new URL(fileName, BOARDS_DIR), "utf8"));
}

/** A mutable deep copy of a loaded (frozen) profile. */
function copyOf(id: string): BoardProfile {
  return structuredClone(getBoard(id));
}

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBoardProfileError);
    return (error as Error).message;
  }
  throw new Error("expected InvalidBoardProfileError");
}

/** Every `source` string in a profile, with its JSON path. */
function sources(value: unknown, path = ""): Array<[string, unknown]> {
  if (!value || typeof value !== "object") return [];
  const found: Array<[string, unknown]> = [];
  const record = value as Record<string, unknown>;
  if ("value" in record || "source" in record) found.push([`${path}/source`, record["source"]]);
  for (const [key, child] of Object.entries(record)) {
    if (key !== "source") found.push(...sources(child, `${path}/${key}`));
  }
  return found;
}

describe("board profiles on disk", () => {
  it("has one file per expected board, and every file validates with its own name as label", () => {
    expect(PROFILE_FILES).toEqual(EXPECTED_IDS.map((id) => `${id}.json`));
    for (const fileName of PROFILE_FILES) {
      const profile = validateBoardProfile(readProfileFile(fileName), `boards/${fileName}`);
      expect(`${profile.id}.json`).toBe(fileName);
    }
  });

  it("gives every figure a non-blank source that cites a reference or says it is inferred", () => {
    const citation = /espruino\.md|timekeeping\.md|\[[EDL]\]|\(inference\)|\(reading\)/;
    for (const profile of listBoards()) {
      const found = sources(profile);
      expect(found.length).toBeGreaterThan(15);
      for (const [path, source] of found) {
        expect(typeof source, `${profile.id}${path}`).toBe("string");
        expect(source as string, `${profile.id}${path}`).toMatch(citation);
      }
    }
  });

  it("keeps the STM32 default PPS pin off every EXTI line used by the default GPS and Espruino's own watches", () => {
    for (const { id, pins } of listBoards().filter((p) => p.pins.extiRule.value === "pin-number")) {
      const ppsLine = Number(pins.defaultPps.slice(1));
      const others = [pins.defaultGpsRx, pins.defaultGpsTx, ...(pins.otherWatched?.value ?? [])];
      for (const pin of others)
        expect(Number(pin?.slice(1)), `${id}: PPS ${pins.defaultPps} vs ${pin}`).not.toBe(ppsLine);
    }
  });

  it("records the timing facts the firmware depends on", () => {
    const byId = new Map(listBoards().map((p) => [p.id, p]));
    const board = (id: string): BoardProfile => byId.get(id)!;
    for (const id of ["espruino-original", "pico", "espruino-wifi"]) {
      expect(board(id).timebase.setTime.value).toBe("whole-seconds");
      expect(board(id).timebase.quantumS.value).toBe(2 ** -20);
      expect(board(id).pins.extiRule.value).toBe("pin-number");
    }
    for (const id of ["puckjs", "pixljs", "mdbt42q"]) {
      expect(board(id).oscillator.type).toBe("rc");
      expect(board(id).oscillator.rcCalibration?.value.periodS).toBe(4);
      expect(board(id).timebase.quantumS.value).toBe(1 / 32768);
    }
    expect(board("bangle2").oscillator.type).toBe("tuning-fork-32k");
    expect(board("bangle2").pins.ppsAvailable?.value).toBe(false);
    expect(board("pico").oscillator.type).toBe("rc");
    expect(board("pico").oscillator.tolerancePpm.value).toBe(100_000);
    expect(board("esp32").timebase.setTime.value).toBe("exact");
    expect(board("esp32").temperature.reliable).toBe(false);
    expect(board("linux").timebase.setTime.value).toBe("no-op");
    expect(board("esp8266").temperature.present).toBe(false);
    expect(board("linux").temperature.present).toBe(false);
    expect(board("espruino-original").ioQueueBytes.value).toBe(512);
    expect(board("esp8266").ioQueueBytes.value).toBe(512);
    expect(board("puckjs").ioQueueBytes.value).toBe(1024);
  });
});

// Keys of T that must be present / may be absent. Typing the tables below with them makes tsc fail when
// boards/types.ts changes; the test then fails until board.schema.json follows.
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T] & string;
type OptionalKeys<T> = Exclude<keyof T & string, RequiredKeys<T>>;
interface KeyTable<T> {
  required: Record<RequiredKeys<T>, true>;
  optional: Record<OptionalKeys<T>, true>;
}

const all = true as const;
const boardKeys: KeyTable<BoardProfile> = {
  required: {
    id: all,
    name: all,
    espruinoBoard: all,
    mcu: all,
    jsVars: all,
    bytesPerVar: all,
    storageBytes: all,
    ioQueueBytes: all,
    console: all,
    transports: all,
    timebase: all,
    interrupt: all,
    oscillator: all,
    temperature: all,
    uarts: all,
    pins: all,
  },
  optional: { notes: all },
};
const pinsKeys: KeyTable<Pins> = {
  required: {
    watchable: all,
    extiRule: all,
    extiCount: all,
    defaultPps: all,
    defaultGpsUart: all,
    defaultGpsRx: all,
    defaultGpsTx: all,
    ioVoltage: all,
    fiveVoltTolerant: all,
    source: all,
  },
  optional: { otherWatched: all, ppsAvailable: all },
};
const oscillatorKeys: KeyTable<Oscillator> = {
  required: {
    name: all,
    type: all,
    nominalHz: all,
    tolerancePpm: all,
    temperature: all,
    agingPpmPerYear: all,
    noise: all,
  },
  optional: { rcCalibration: all },
};
const timebaseKeys: KeyTable<Timebase> = {
  required: { kind: all, quantumS: all, sysTicksPerS: all, setTime: all, description: all },
  optional: {},
};
const interruptKeys: KeyTable<InterruptTiming> = {
  required: { latencyS: all, jitterRmsS: all },
  optional: { worstCaseLatencyS: all },
};
const temperatureKeys: KeyTable<TemperatureSensor> = {
  required: { present: all, resolutionC: all },
  optional: { reliable: all, notes: all },
};
const uartKeys: KeyTable<Uart> = {
  required: { device: all, rx: all, tx: all, source: all },
  optional: { anyPin: all, notes: all },
};
const transportKeys: KeyTable<Transport> = {
  required: { kind: all, device: all, source: all },
  optional: { baud: all, notes: all },
};

describe("board.schema.json and boards/types.ts", () => {
  const schema = JSON.parse(readFileSync(new URL("board.schema.json", BOARDS_DIR), "utf8")) as {
    properties: Record<string, SchemaObject>;
    $defs: Record<string, SchemaObject>;
  } & SchemaObject;
  interface SchemaObject {
    required: string[];
    properties: Record<string, unknown>;
  }
  const cases: Array<[string, SchemaObject, KeyTable<never>]> = [
    ["BoardProfile", schema, boardKeys],
    ["Pins", schema.$defs["pins"]!, pinsKeys],
    ["Oscillator", schema.$defs["oscillator"]!, oscillatorKeys],
    ["Timebase", schema.properties["timebase"]!, timebaseKeys],
    ["InterruptTiming", schema.properties["interrupt"]!, interruptKeys],
    ["TemperatureSensor", schema.properties["temperature"]!, temperatureKeys],
    ["Uart", schema.$defs["uart"]!, uartKeys],
    ["Transport", schema.$defs["transport"]!, transportKeys],
  ];

  it.each(cases)("%s has the same required and optional fields in both", (_name, node, keys) => {
    expect([...node.required].sort()).toEqual(Object.keys(keys.required).sort());
    expect(Object.keys(node.properties).sort()).toEqual(
      [...Object.keys(keys.required), ...Object.keys(keys.optional)].sort(),
    );
  });
});

describe("listBoards / getBoard / boardIds", () => {
  it("lists every board sorted by id, with unique ids, and caches the result", () => {
    const ids = listBoards().map((profile) => profile.id);
    expect(ids).toEqual(EXPECTED_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(boardIds()).toEqual(EXPECTED_IDS);
    expect(listBoards()[0]).toBe(listBoards()[0]);
  });

  it("returns the listed profile by id", () => {
    for (const profile of listBoards()) expect(getBoard(profile.id)).toBe(profile);
  });

  it("serves frozen profiles so the shared copies cannot change", () => {
    const pico = getBoard("pico");
    expect(() => {
      (pico.oscillator.tolerancePpm as { value: number }).value = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(pico.pins.watchable)).toBe(true);
  });

  it("names the known boards when an id is unknown", () => {
    expect(() => getBoard("foo")).toThrow(UnknownBoardError);
    expect(() => getBoard("foo")).toThrow(`unknown board "foo"; known boards: ${EXPECTED_IDS.join(", ")}`);
  });
});

describe("validateBoardProfile", () => {
  const label = "boards/pico.json";

  it("returns the profile when it is valid", () => {
    const copy = copyOf("pico");
    expect(validateBoardProfile(copy, label)).toBe(copy);
  });

  it("reports a negative tolerance with path, value and the bound", () => {
    const copy = copyOf("pico");
    copy.oscillator.tolerancePpm.value = -5;
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      "boards/pico.json: /oscillator/tolerancePpm/value = -5: must be > 0",
    );
  });

  it("reports a missing source", () => {
    const copy = copyOf("pico") as unknown as { jsVars: { source?: string } };
    delete copy.jsVars.source;
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      "boards/pico.json: /jsVars/source = (missing): is required (a non-blank string)",
    );
  });

  it("reports a blank source", () => {
    const copy = copyOf("pico");
    copy.timebase.quantumS.source = "   ";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /timebase/quantumS/source = "   ": must be a non-blank string',
    );
  });

  it("reports an unknown enum value with the allowed values", () => {
    const copy = copyOf("pico") as unknown as { oscillator: { type: string } };
    copy.oscillator.type = "cesium";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /oscillator/type = "cesium": must be one of "tuning-fork-32k", "at-cut", "rc", "host"',
    );
  });

  it("reports an unknown temperature model", () => {
    const copy = copyOf("pico") as unknown as { oscillator: { temperature: { value: { model: string } } } };
    copy.oscillator.temperature.value.model = "quartic";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /oscillator/temperature/value/model = "quartic": must be one of "parabolic", "cubic", "none"',
    );
  });

  it("reports a wrong type with the expected type and range", () => {
    const copy = copyOf("pico") as unknown as { jsVars: { value: unknown } };
    copy.jsVars.value = "many";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /jsVars/value = "many": must be an integer >= 0 and <= 65535',
    );
  });

  it("reports bytesPerVar out of 12..32 and an unknown property, one line each", () => {
    const copy = copyOf("pico") as unknown as Record<string, unknown> & { bytesPerVar: { value: number } };
    copy.bytesPerVar.value = 40;
    copy["colour"] = "blue";
    const lines = messageOf(() => validateBoardProfile(copy, label)).split("\n");
    expect(lines).toHaveLength(2);
    expect(lines).toContain(
      'boards/pico.json: /colour = "blue": is not allowed (known properties: id, name, espruinoBoard, mcu, jsVars, bytesPerVar, storageBytes, ioQueueBytes, console, transports, timebase, interrupt, oscillator, temperature, uarts, pins, notes)',
    );
    expect(lines).toContain("boards/pico.json: /bytesPerVar/value = 40: must be <= 32");
  });

  it("reports a malformed pin name", () => {
    const copy = copyOf("pico");
    copy.pins.defaultPps = "PA8";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /pins/defaultPps = "PA8": must be a pin name like A8 or D29',
    );
  });

  it("requires a baud on UART transports", () => {
    const copy = copyOf("pico");
    delete copy.transports[1]!.baud;
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      "boards/pico.json: /transports/1/baud = (missing): is required (an integer)",
    );
  });

  it("requires the id to equal the file name", () => {
    expect(messageOf(() => validateBoardProfile(copyOf("pico"), "boards/pico2.json"))).toBe(
      'boards/pico2.json: /id = "pico": must equal the file name "pico2"',
    );
    expect(validateBoardProfile(copyOf("pico"), "a test fixture").id).toBe("pico");
  });

  it("requires the default PPS pin to be watchable", () => {
    const copy = copyOf("pico");
    copy.pins.defaultPps = "C13";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /pins/defaultPps = "C13": must be one of /pins/watchable',
    );
  });

  it("rejects a default PPS pin sharing an STM32 EXTI line with a pin Espruino watches", () => {
    const copy = copyOf("pico");
    copy.pins.defaultPps = "B9";
    expect(messageOf(() => validateBoardProfile(copy, label))).toBe(
      'boards/pico.json: /pins/defaultPps = "B9": must not share EXTI line 9 with watched pin A9',
    );
    const nrf = copyOf("mdbt42q");
    nrf.pins.otherWatched = { value: ["D27"], source: "test" };
    expect(validateBoardProfile(nrf, "boards/mdbt42q.json").id).toBe("mdbt42q");
  });

  it("requires the GPS UART to exist and its pins to match or, on any-pin UARTs, to be real pins", () => {
    const missingUart = copyOf("pico");
    missingUart.pins.defaultGpsUart = "Serial6";
    expect(messageOf(() => validateBoardProfile(missingUart, label))).toBe(
      'boards/pico.json: /pins/defaultGpsUart = "Serial6": must be one of /uarts: Serial1, Serial2',
    );
    const wrongPin = copyOf("pico");
    wrongPin.pins.defaultGpsRx = "B7";
    expect(messageOf(() => validateBoardProfile(wrongPin, label))).toBe(
      'boards/pico.json: /pins/defaultGpsRx = "B7": must be Serial2\'s rx pin A3',
    );
    const puck = copyOf("puckjs");
    puck.pins.defaultGpsRx = "D40";
    expect(messageOf(() => validateBoardProfile(puck, "boards/puckjs.json"))).toBe(
      'boards/puckjs.json: /pins/defaultGpsRx = "D40": must be one of /pins/watchable (the UART takes any pin)',
    );
  });

  it("allows RC calibration only on RC oscillators and a resolution only on present sensors", () => {
    const crystal = copyOf("bangle2");
    crystal.oscillator.rcCalibration = { value: { periodS: 4, stepPpm: 250 }, source: "test" };
    expect(messageOf(() => validateBoardProfile(crystal, "boards/bangle2.json"))).toBe(
      'boards/bangle2.json: /oscillator/rcCalibration = {"periodS":4,"stepPpm":250}: is only allowed when /oscillator/type is "rc" (it is "tuning-fork-32k")',
    );
    const noSensor = copyOf("linux");
    noSensor.temperature.resolutionC.value = 0.5;
    expect(messageOf(() => validateBoardProfile(noSensor, "boards/linux.json"))).toBe(
      "boards/linux.json: /temperature/resolutionC/value = 0.5: must be null when /temperature/present is false",
    );
  });

  it("rejects data that is not an object", () => {
    expect(messageOf(() => validateBoardProfile(null, "stdin"))).toMatch(
      /^stdin: \/ = null: must be an object with id, name/,
    );
  });

  it("either accepts or throws InvalidBoardProfileError for random mutations of a valid profile", () => {
    const DELETE = Symbol("delete");
    // Values that pass the schema in many places, so the cross-field checks get exercised too.
    const PLAUSIBLE_VALUES = [
      "A8",
      "B9",
      "C13",
      "D4",
      "Serial1",
      "Serial3",
      "rc",
      "none",
      null,
      0,
      1,
      -1,
      true,
      [],
    ];
    const template = copyOf("pico");
    const paths = collectPaths(template);
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...paths),
            fc.oneof(
              fc.constant(DELETE),
              fc.jsonValue(),
              fc.anything(),
              fc.constantFrom(...PLAUSIBLE_VALUES),
            ),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        (mutations) => {
          const data = structuredClone(template) as unknown;
          for (const [path, replacement] of mutations)
            setAt(data, path, replacement === DELETE ? undefined : replacement);
          try {
            validateBoardProfile(data, label);
          } catch (error) {
            if (!(error instanceof InvalidBoardProfileError)) throw error;
            expect(error.message.split("\n").every((line) => line.startsWith(`${label}: /`))).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("throws InvalidBoardProfileError for arbitrary values", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(() => validateBoardProfile(value, label)).toThrow(InvalidBoardProfileError);
      }),
    );
  });
});

type Path = ReadonlyArray<string | number>;

function collectPaths(value: unknown, prefix: Path = []): Path[] {
  if (!value || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value)
    ? value.map((child, index) => [index, child] as const)
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => collectPaths(child, [...prefix, key]))];
}

/** Replaces (or, for undefined, deletes) the value at `path`; stops quietly where earlier mutations changed the shape. */
function setAt(root: unknown, path: Path, replacement: unknown): void {
  if (path.length === 0) return;
  let node = root;
  for (const key of path.slice(0, -1)) {
    if (!node || typeof node !== "object") return;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (!node || typeof node !== "object") return;
  const last = path[path.length - 1]!;
  if (replacement === undefined) delete (node as Record<string | number, unknown>)[last];
  else (node as Record<string | number, unknown>)[last] = replacement;
}
