// Talking to an Espruino REPL as a program: expressions are sent as DLE lines (no echo, no "=result")
// that print their JSON value between numbered markers, so an answer is told apart from echo, prompts,
// banners and records a running firmware may still be sending. Packets are answered with ACK or NAK.
import { ACK, encodePacket, NAK } from "../../sim/runtime/repl.ts";
import type { ByteLink } from "./link.ts";

export class FlashError extends Error {}

/** The link went away while we were using it. */
export class LinkLostError extends FlashError {}

const POLL_MS = 50;

export type PacketReply = "ack" | "nak" | "timeout";

export class ReplSession {
  private cursor = 0;
  private tag = 0;

  constructor(readonly link: ByteLink) {}

  /** Everything received from here on counts for the next expect(). */
  skipReceived(): void {
    this.cursor = this.link.received.length;
  }

  /** Received since the cursor (for messages and diagnostics). */
  get pending(): string {
    return this.link.received.slice(this.cursor);
  }

  async send(text: string): Promise<void> {
    try {
      await this.link.write(text);
    } catch (error) {
      throw new LinkLostError(
        this.link.closedReason ?? (error instanceof Error ? error.message : String(error)),
      );
    }
  }

  /** Waits for `pattern` in what arrived since the cursor; moves past the match. Null on timeout. */
  async expect(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray | null> {
    const deadline = this.link.nowMs() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.link.received.slice(this.cursor));
      if (match) {
        this.cursor += match.index + match[0].length;
        return match;
      }
      if (this.link.closedReason !== null) throw new LinkLostError(this.link.closedReason);
      const left = deadline - this.link.nowMs();
      if (left <= 0) return null;
      await this.link.wait(Math.min(POLL_MS, left));
    }
  }

  /**
   * Evaluates `expression` on the board and returns its value (through JSON); undefined when no answer
   * came in time. The marker is built from escapes so that an echo of the line never looks like one.
   */
  async evaluate(expression: string, timeoutMs: number): Promise<{ value: unknown } | undefined> {
    const tag = ++this.tag;
    await this.send(`\x10print("\\x3c\\x3cTN${tag}:"+JSON.stringify(${expression})+":TN\\x3e\\x3e")\n`);
    const match = await this.expect(new RegExp(`<<TN${tag}:(.*?):TN>>`), timeoutMs);
    if (!match) return undefined;
    const text = match[1] ?? "";
    if (text === "undefined" || text === "") return { value: undefined };
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      throw new FlashError(`the board answered ${JSON.stringify(text.slice(0, 80))}, which is not JSON`);
    }
  }

  /** Runs a statement whose output does not matter (reset(), load()). */
  async run(statement: string): Promise<void> {
    await this.send(`\x10${statement}\n`);
  }

  /** Sends one packet and waits for its ACK or NAK. */
  async packet(type: number, data: string, timeoutMs: number): Promise<PacketReply> {
    this.skipReceived();
    await this.send(encodePacket(type, data));
    const match = await this.expect(new RegExp(`[${ACK}${NAK}]`), timeoutMs);
    if (!match) return "timeout";
    return match[0] === ACK ? "ack" : "nak";
  }
}
