import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { encodePtp, PTP_DELAY_REQ, PTP_FOLLOW_UP, PTP_SYNC, ptpMessage } from "../../firmware/src/ptp.ts";
import { framePtpLine } from "../../firmware/src/ptp-frame.ts";
import { kindOf, PtpLineReader } from "./serial.ts";

describe("PTP line reader", () => {
  it("decodes lines split anywhere across chunks", () => {
    const messages = [PTP_SYNC, PTP_FOLLOW_UP, PTP_DELAY_REQ].map((t) =>
      encodePtp(ptpMessage(t, 0, "0000000000000001", 1)),
    );
    const stream = messages.map((m) => framePtpLine(m, crc32)).join("");
    fc.assert(
      fc.property(fc.array(fc.nat({ max: stream.length }), { maxLength: 6 }), (cuts) => {
        const got: string[] = [];
        const reader = new PtpLineReader((bytes) => got.push(bytes));
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        for (let i = 1; i < points.length; i++) reader.push(stream.slice(points[i - 1], points[i]));
        expect(got).toEqual(messages);
        expect(reader.rejected).toEqual({});
      }),
    );
  });

  it("counts garbage and keeps no more than one long line's worth of it", () => {
    const reader = new PtpLineReader(() => undefined);
    reader.push("hello\r\n#TP2,00*00000000\r\n");
    for (let i = 0; i < 1000; i++) reader.push("x".repeat(100));
    reader.push("\n");
    expect(reader.rejected).toMatchObject({ "not-a-ptp-line": 1, "bad-checksum": 1 });
    expect(reader.rejected["line-too-long"]).toBe(200); // dropped each time 400 characters are exceeded
  });

  it("gives Sync and Delay_Req the event kind, the rest general", () => {
    expect(kindOf(encodePtp(ptpMessage(PTP_SYNC, 0, "", 1)))).toBe("event");
    expect(kindOf(encodePtp(ptpMessage(PTP_DELAY_REQ, 0, "", 1)))).toBe("event");
    expect(kindOf(encodePtp(ptpMessage(PTP_FOLLOW_UP, 0, "", 1)))).toBe("general");
  });
});
