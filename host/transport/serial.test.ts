// The serial transport over serialport's mock binding: no port needed. (End-to-end tests over real
// pseudo-terminals are in host/cli/commands/collect-pty.test.ts.)
import { MockBinding, type MockPortBinding } from "@serialport/binding-mock";
import { afterEach, describe, expect, it } from "vitest";
import { crc32 } from "../../firmware/src/crc32.ts";
import { frameRecord, recordBody } from "../../firmware/src/protocol.ts";
import { Collector } from "../collect/collector.ts";
import type { CollectEvent } from "../collect/events.ts";
import { openStore } from "../store/open.ts";
import { explainOpenError, openSerialLink } from "./serial.ts";

const line = (type: string, seq: number, fields: string) => {
  const body = recordBody(type, "0BADF00D", seq, fields);
  return frameRecord(body, crc32(body));
};

/** MockBinding, keeping hold of the ports it opens so a test can play the board. */
function recordingBinding() {
  const opened: MockPortBinding[] = [];
  const binding: typeof MockBinding = Object.create(MockBinding) as typeof MockBinding;
  binding.open = async (options) => {
    const port = await MockBinding.open(options);
    opened.push(port);
    return port;
  };
  return { binding, opened };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setImmediate(r));
};

describe("serial transport", () => {
  afterEach(() => MockBinding.reset());

  it("asks a new board who it is, takes its records and acknowledges them once stored", async () => {
    MockBinding.createPort("/dev/ttyMOCK0", { record: true });
    const { binding, opened } = recordingBinding();
    const { db } = openStore(":memory:");
    const events: CollectEvent[] = [];
    const collector = new Collector({ db, emit: (e) => events.push(e) });
    const link = openSerialLink({
      path: "/dev/ttyMOCK0",
      baudRate: 9600,
      collector,
      emit: (e) => events.push(e),
      binding,
    });
    await link.opened;
    const port = opened[0]!;
    await until(() => port.recording.toString().includes("config\n"));
    expect(port.recording.toString()).toBe("config\n");
    port.emitData(
      line("C", 0, "pico,0.1.0,2v29,B3,Serial2,9600,A3,-,USB,115200,16,1024,33FFD605-41573033-15720843") +
        Array.from({ length: 8 }, (_, i) => line("P", i + 1, `${(i + 1) * 1_000_000},1000000,0`)).join(""),
    );
    await until(() => collector.report().nodes[0]?.stored === 9);
    collector.flush();
    await until(() => port.recording.toString().includes("ack"));
    expect(port.recording.toString()).toBe("config\nack 8\n");
    expect(events.map((e) => e.event)).toEqual(["link-open", "node", "reset"]);
    await link.close();
    expect(events.at(-1)).toEqual({
      event: "link-closed",
      link: "/dev/ttyMOCK0",
      reason: "collector stopped",
    });
  });

  it("refuses a port that cannot be opened with one line naming it", async () => {
    const { db } = openStore(":memory:");
    const collector = new Collector({ db });
    const { binding } = recordingBinding();
    const link = openSerialLink({ path: "/dev/ttyNOPE", baudRate: 9600, collector, emit: () => {}, binding });
    await expect(link.opened).rejects.toThrow(/^cannot open serial port \/dev\/ttyNOPE: /);
    await link.close();
  });

  it("explains the usual open errors with what to do", () => {
    expect(
      explainOpenError(
        "/dev/ttyACM9",
        new Error("Error: No such file or directory, cannot open /dev/ttyACM9"),
      ),
    ).toBe("serial port /dev/ttyACM9 does not exist: check the cable, or list boards with timenode ports");
    expect(
      explainOpenError("/dev/ttyACM0", new Error("Error: Permission denied, cannot open /dev/ttyACM0")),
    ).toMatch(/dialout group/);
    expect(
      explainOpenError("/dev/ttyACM0", new Error("Error Resource temporarily unavailable Cannot lock port")),
    ).toMatch(/is busy: another program/);
    expect(explainOpenError("/etc/passwd", new Error("Inappropriate ioctl for device"))).toMatch(
      /is not a serial port/,
    );
  });
});
