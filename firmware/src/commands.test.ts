import { crc32 } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createCommandCounters,
  createCommandReader,
  dispatchCommand,
  type CommandBoard,
  type CommandContext,
} from "./commands.ts";
import {
  COMMAND_MAX_LINE,
  decodeRecord,
  frameRecord,
  recordBody,
  REC_CONFIG,
  REC_ERROR,
  REC_LOST,
  REC_PPS,
  REC_STATUS,
  REC_TIME,
  type DecodedRecord,
} from "./protocol.ts";
import { createRing, ringPush } from "./ring.ts";

const crcOf = (text: string) => crc32(Buffer.from(text, "latin1"));

const BOARD: CommandBoard = {
  id: "pico",
  firmwareVersion: "0.1.0",
  ppsPin: "B3",
  gpsUart: "Serial2",
  gpsBaud: 9600,
  gpsRx: "A3",
  gpsTx: null,
  hostDevice: "USB",
  hostBaud: 115200,
};

interface Harness {
  ctx: CommandContext;
  /** Every line written to the host, in order, decoded. */
  written: DecodedRecord[];
  replCalls: number;
  /** Leap announcements taken: [midnight POSIX s, sign]. */
  leaps: [number, number][];
  /** Sends a numbered record as the firmware would (framed, kept in the ring). */
  sendRecord(type: string, fields: string): void;
}

function harness(maxLines = 8, maxBytes = 2048, nowUs = 123456789): Harness {
  const ring = createRing(maxLines, maxBytes);
  const written: DecodedRecord[] = [];
  let nextSeq = 0;
  const write = (line: string) => {
    const decoded = decodeRecord(line, crcOf);
    if (typeof decoded === "string") throw new Error(`board wrote a bad record (${decoded}): ${line}`);
    written.push(decoded);
  };
  const sendRecord = (type: string, fields: string) => {
    const body = recordBody(type, "0BADCAFE", nextSeq, fields);
    const line = frameRecord(body, crcOf(body));
    ringPush(ring, nextSeq, line);
    nextSeq++;
    write(line);
  };
  const h: Harness = {
    written,
    replCalls: 0,
    leaps: [],
    sendRecord,
    ctx: {
      ring,
      board: BOARD,
      espruinoVersion: "2v29",
      serial: "33FFD605-41573033-15720843",
      counters: createCommandCounters(),
      localUs: () => nowUs,
      send: sendRecord,
      resend: write,
      nmeaRejects: () => 3,
      fifoOverflows: () => 1,
      repl: () => void h.replCalls++,
      announceLeap: (midnightPosixS, sign) => {
        h.leaps.push([midnightPosixS, sign]);
        return true;
      },
    },
  };
  return h;
}

function run(h: Harness, line: string): DecodedRecord[] {
  const before = h.written.length;
  dispatchCommand(line, h.ctx);
  return h.written.slice(before).map((r) => ({ ...r }));
}

const brief = (records: DecodedRecord[]) => records.map((r) => [r.type, r.seq, ...r.fields]);

describe("leap announcements", () => {
  it("takes a UTC midnight and a sign, and rejects anything else", () => {
    const h = harness();
    expect(run(h, "leap 1483228800 +1")).toEqual([]);
    expect(run(h, "leap 1483228800 0")).toEqual([]);
    expect(h.leaps).toEqual([
      [1483228800, 1],
      [1483228800, 0],
    ]);
    for (const bad of ["leap", "leap 1483228801 +1", "leap 1483228800 +2", "leap x +1", "leap 1483228800"]) {
      expect(brief(run(h, bad)).map((r) => r.slice(2))).toEqual([["bad-argument", "leap"]]);
    }
  });
});

describe("host commands: fixed vectors", () => {
  it("status reports the ring, uptime and error counters", () => {
    const h = harness();
    for (let i = 0; i < 3; i++) h.sendRecord(REC_PPS, `${i},0,0`);
    run(h, "ack 0");
    expect(brief(run(h, "status"))).toEqual([
      [REC_STATUS, 3, "123456789", "3", "1", "0", "2", "68", "0", "0", "3", "1"],
    ]);
  });

  it("config reports board, pins, versions and ring size", () => {
    const h = harness(16, 1024);
    expect(brief(run(h, "config"))).toEqual([
      [
        REC_CONFIG,
        0,
        "pico",
        "0.1.0",
        "2v29",
        "B3",
        "Serial2",
        "9600",
        "A3",
        "-",
        "USB",
        "115200",
        "16",
        "1024",
        "33FFD605-41573033-15720843",
      ],
    ]);
  });

  it("time answers with the board's µs and echoes the query id", () => {
    const h = harness(8, 2048, 42);
    expect(brief(run(h, "time"))).toEqual([[REC_TIME, 0, "42", "-"]]);
    expect(brief(run(h, "time q-17"))).toEqual([[REC_TIME, 1, "42", "q-17"]]);
  });

  it("reads the clock before anything else", () => {
    const h = harness();
    const calls: string[] = [];
    const inner = h.ctx.send;
    h.ctx.localUs = () => (calls.push("clock"), 7);
    h.ctx.send = (type, fields) => (calls.push("send"), inner(type, fields));
    run(h, "time");
    expect(calls).toEqual(["clock", "send"]);
  });

  it("resend repeats kept records verbatim and reports the ones it no longer has", () => {
    const h = harness(3);
    for (let i = 0; i < 5; i++) h.sendRecord(REC_PPS, `${i},0,0`);
    const out = run(h, "resend 1");
    expect(brief(out)).toEqual([
      [REC_PPS, 2, "2", "0", "0"],
      [REC_PPS, 3, "3", "0", "0"],
      [REC_PPS, 4, "4", "0", "0"],
      [REC_LOST, 5, "1", "1"],
    ]);
    expect(brief(run(h, "resend 6"))).toEqual([]);
  });

  it("ack is silent and drops what it acknowledges", () => {
    const h = harness();
    for (let i = 0; i < 4; i++) h.sendRecord(REC_PPS, `${i},0,0`);
    expect(run(h, "ack 2")).toEqual([]);
    expect(brief(run(h, "resend 0"))).toEqual([
      [REC_PPS, 3, "3", "0", "0"],
      [REC_LOST, 4, "0", "2"],
    ]);
  });

  it("repl hands the console back", () => {
    const h = harness();
    run(h, "repl");
    expect(h.replCalls).toBe(1);
  });

  it("tolerates extra spaces and tabs between words", () => {
    const h = harness();
    expect(brief(run(h, "  time \t 5 "))).toEqual([[REC_TIME, 0, "123456789", "5"]]);
  });

  it("ignores an empty line", () => {
    const h = harness();
    expect(run(h, "")).toEqual([]);
  });
});

describe("host commands: bad input is always answered with X", () => {
  const cases: [string, string, string][] = [
    ["bogus", "unknown-command", "bogus"],
    ["STATUS", "unknown-command", "STATUS"],
    ["st,at*us", "unknown-command", "-"],
    ["status now", "bad-argument", "status"],
    ["config 1", "bad-argument", "config"],
    ["repl please", "bad-argument", "repl"],
    ["resend", "bad-argument", "resend"],
    ["resend -1", "bad-argument", "resend"],
    ["resend 1.5", "bad-argument", "resend"],
    ["resend 1 2", "bad-argument", "resend"],
    ["resend 99", "bad-argument", "resend"],
    ["resend 1234567890123456", "bad-argument", "resend"],
    ["ack", "bad-argument", "ack"],
    ["ack 2", "bad-argument", "ack"],
    ["ack x", "bad-argument", "ack"],
    ["time a,b", "bad-argument", "time"],
    ["time 12345678901234567", "bad-argument", "time"],
    ["time a b", "bad-argument", "time"],
    ["x".repeat(COMMAND_MAX_LINE + 1), "line-too-long", String(COMMAND_MAX_LINE)],
  ];
  for (const [line, reason, detail] of cases) {
    it(`${JSON.stringify(line.slice(0, 30))} → ${reason}`, () => {
      const h = harness();
      h.sendRecord(REC_PPS, "0,0,0");
      h.sendRecord(REC_PPS, "1,0,0");
      expect(brief(run(h, line))).toEqual([[REC_ERROR, 2, reason, detail]]);
      expect(h.ctx.counters.errors).toBe(1);
      expect(h.replCalls).toBe(0);
    });
  }

  it("garbage never throws and is answered with exactly one well-formed X (or nothing for blank lines)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (garbage) => {
        const line = garbage.replace(/[\r\n]/g, "");
        const h = harness();
        h.sendRecord(REC_PPS, "0,0,0");
        let out: DecodedRecord[] = [];
        expect(() => (out = run(h, line))).not.toThrow();
        const known = /^[ \t]*(status|config|repl|time|resend|ack)([ \t]|$)/.test(line);
        if (line.trim().length === 0 && /^[ \t]*$/.test(line)) expect(out).toEqual([]);
        else if (!known) {
          expect(out).toHaveLength(1);
          expect(out[0]!.type).toBe(REC_ERROR);
          expect(out[0]!.fields).toHaveLength(2);
        }
        expect(h.replCalls).toBe(0);
      }),
    );
  });
});

describe("command reader", () => {
  it("assembles lines from any chunking, CR LF or LF", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 30 }), (cuts) => {
        const h = harness();
        const reader = createCommandReader(h.ctx);
        const text = "time 1\r\nbogus\ntime 2\r\n" + "y".repeat(200) + "\r\ntime 3\n";
        let at = 0;
        for (const cut of cuts) {
          reader.push(text.substr(at, cut));
          at += cut;
        }
        reader.push(text.substr(at));
        expect(brief(h.written).map((r) => r.slice(2).join(" "))).toEqual([
          "123456789 1",
          "unknown-command bogus",
          "123456789 2",
          `line-too-long ${COMMAND_MAX_LINE}`,
          "123456789 3",
        ]);
      }),
    );
  });

  it("takes a line of exactly the maximum length, with or without CR", () => {
    const h = harness();
    const reader = createCommandReader(h.ctx);
    const longest = "time " + "1".repeat(COMMAND_MAX_LINE - 5);
    reader.push(longest + "\r\n" + longest + "\n");
    expect(brief(h.written).map((r) => r[2])).toEqual(["bad-argument", "bad-argument"]);
  });
});
