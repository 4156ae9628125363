// The REPL that reads the console device (espruino.md §7.1; README_Protocol): line editing with echo,
// a line runs once its brackets balance (":" prompt otherwise), DLE at the start of a line runs it
// without echo or result, ESC LF adds a newline without running, Ctrl-C clears the line, ENQ on an
// empty line answers with the version and board. From 2v25, DLE SOH starts a packet: a 16-bit header
// (3-bit type, 13-bit length) and its data, answered with ACK or NAK; EVAL, EVENT, FILE_SEND + DATA and
// FILE_RECV are handled. A packet that is not complete within the timeout is NAKed.

export const DLE = "\x10";
export const SOH = "\x01";
export const ACK = "\x06";
export const NAK = "\x15";
const CTRL_C = "\x03";
const ENQ = "\x05";
const ESC = "\x1b";
const BACKSPACE = "\x08";
const DELETE = "\x7f";

export const PACKET_TYPE = {
  response: 0x0000,
  eval: 0x2000,
  event: 0x4000,
  fileSend: 0x6000,
  data: 0x8000,
  fileRecv: 0xa000,
} as const;
export const PACKET_LENGTH_MASK = 0x1fff;
/** 2v25 NAKs a packet that takes more than 1 s; later versions allow 2 s (espruino.md §7.1). */
export const PACKET_TIMEOUT_S = 1;
/** An open file transfer is dropped after this long without data. */
export const FILE_IDLE_TIMEOUT_S = 10;
/** Size of the DATA packets FILE_RECV answers with. */
const FILE_RECV_CHUNK = 1024;

export type ReplResult = { ok: true; value: unknown } | { ok: false };

/** What the REPL needs from the board. */
export interface ReplHost {
  readonly version: string;
  readonly boardName: string;
  /** Now, in the board's task time (seconds), for packet timeouts. */
  nowS(): number;
  /** Whether echo is on (echo(0) turns it off). */
  readonly echo: boolean;
  /** Shows typed characters (when echo is on). */
  echoInput(text: string): void;
  /** The line was entered: newline shown, prompt returns after the turn. */
  endInputLine(): void;
  /** A continuation line: newline and ":". */
  continueInputLine(): void;
  /** Removes the input line from the terminal (Ctrl-C). */
  clearInputLine(): void;
  /** Bytes straight to the console device: ACK/NAK and packets. */
  raw(data: string): void;
  /** print(): text with "\n" → "\r\n". */
  print(text: string): void;
  /** Runs code as one task; errors are reported on the console by the host. */
  evaluate(code: string): ReplResult;
  /** "=value" text of a result, as Espruino prints it. */
  formatResult(value: unknown): string;
  /** JSON-ish text of a value for a RESPONSE packet (E.toJS). */
  toJS(value: unknown): string;
  /** E.on('packet') listeners get the parsed EVENT payload. */
  emitPacketEvent(payload: unknown): void;
  storageWrite(name: string, data: string, offset: number, size?: number): boolean;
  storageRead(name: string): string | undefined;
}

interface FileTransfer {
  name: string;
  size: number;
  written: number;
  lastDataS: number;
}

type Mode = "line" | "dle" | "esc" | "csi" | "packet";

/** 2v25 or later (packet transfer), from a version string like "2v29" or "2v25.12". */
export function supportsPackets(version: string): boolean {
  const m = /^(\d+)v(\d+)/.exec(version);
  if (!m) return false;
  return Number(m[1]) * 100 + Number(m[2]) >= 225;
}

export class Repl {
  private line = "";
  private echoOffForLine = false;
  private mode: Mode = "line";
  private lastWasCr = false;
  private packet = "";
  private packetStartS = 0;
  private file: FileTransfer | null = null;
  readonly packetsSupported: boolean;
  readonly counters = { linesRun: 0, packetsAcked: 0, packetsNaked: 0, packetTimeouts: 0 };

  constructor(private readonly host: ReplHost) {
    this.packetsSupported = supportsPackets(host.version);
  }

  /** The interpreter restarted (reset()/load()): the input line and any transfer are gone. */
  restart(): void {
    this.line = "";
    this.echoOffForLine = false;
    this.mode = "line";
    this.packet = "";
    this.file = null;
  }

  /** Characters that arrived on the console device, in one main-loop turn. */
  receive(text: string): void {
    this.expireStalePacket();
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.mode === "packet") {
        // Every byte of a packet is data (Ctrl-C included): only the timeout ends a packet early.
        this.packet += ch;
        this.finishPacketIfComplete();
        continue;
      }
      if (this.mode === "dle") {
        this.mode = "line";
        if (ch === SOH && this.packetsSupported) {
          this.mode = "packet";
          this.packet = "";
          this.packetStartS = this.host.nowS();
          continue;
        }
        if (this.line.length === 0) this.echoOffForLine = true;
        if (ch === DLE) {
          this.mode = "dle";
          continue;
        }
      }
      if (this.mode === "esc") {
        this.mode = ch === "[" ? "csi" : "line";
        if (ch === "\n") this.line += "\n"; // ESC LF: a newline inside the input, not Enter
        continue;
      }
      if (this.mode === "csi") {
        // Cursor keys and ESC [ n d (line numbers) end with a letter; none changes what runs.
        if (/[A-Za-z~]/.test(ch)) this.mode = "line";
        continue;
      }
      this.lineChar(ch);
    }
  }

  private lineChar(ch: string): void {
    const wasCr = this.lastWasCr;
    this.lastWasCr = ch === "\r";
    switch (ch) {
      case DLE:
        this.mode = "dle";
        return;
      case ESC:
        this.mode = "esc";
        return;
      case CTRL_C:
        if (this.line.length > 0 && !this.echoOffForLine && this.host.echo) this.host.clearInputLine();
        this.line = "";
        this.echoOffForLine = false;
        return;
      case ENQ:
        if (this.line.length === 0) this.host.print(`Espruino ${this.host.version} ${this.host.boardName}\n`);
        return;
      case BACKSPACE:
      case DELETE:
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1);
          this.echo("\b \b");
        }
        return;
      case "\n":
        if (wasCr) return; // CR LF is one Enter
        this.enter();
        return;
      case "\r":
        this.enter();
        return;
      default:
        if (ch < " " && ch !== "\t") return;
        this.line += ch;
        this.echo(ch);
    }
  }

  private echo(text: string): void {
    if (!this.echoOffForLine && this.host.echo) this.host.echoInput(text);
  }

  private enter(): void {
    const quiet = this.echoOffForLine || !this.host.echo;
    if (!isCompleteInput(this.line)) {
      this.line += "\n";
      if (!quiet) this.host.continueInputLine();
      return;
    }
    const code = this.line;
    this.line = "";
    this.echoOffForLine = false;
    if (!quiet) this.host.endInputLine();
    if (code.trim().length === 0) return;
    this.counters.linesRun++;
    const result = this.host.evaluate(code);
    // The result of a line typed with echo on is shown; DLE lines and echo(0) show nothing.
    if (result.ok && !quiet && this.host.echo) this.host.print(`=${this.host.formatResult(result.value)}\n`);
  }

  // ------------------------------------------------------------------ packets

  private expireStalePacket(): void {
    if (this.mode === "packet" && this.host.nowS() - this.packetStartS > PACKET_TIMEOUT_S) {
      this.counters.packetTimeouts++;
      this.abortPacket();
    }
    if (this.file !== null && this.host.nowS() - this.file.lastDataS > FILE_IDLE_TIMEOUT_S) this.file = null;
  }

  /** A packet cut short by the timeout is answered with NAK; what follows is ordinary input. */
  private abortPacket(): void {
    this.mode = "line";
    this.packet = "";
    this.nak();
  }

  /** Called by the board when the packet timeout passes with no more input. */
  checkTimeout(): void {
    this.expireStalePacket();
  }

  get packetPending(): boolean {
    return this.mode === "packet";
  }

  private finishPacketIfComplete(): void {
    if (this.packet.length < 2) return;
    const header = (this.packet.charCodeAt(0) << 8) | this.packet.charCodeAt(1);
    const length = header & PACKET_LENGTH_MASK;
    if (this.packet.length < 2 + length) return;
    const data = this.packet.slice(2);
    this.mode = "line";
    this.packet = "";
    this.handlePacket(header & ~PACKET_LENGTH_MASK, data);
  }

  private handlePacket(type: number, data: string): void {
    switch (type) {
      case PACKET_TYPE.eval: {
        const result = this.host.evaluate(data);
        if (!result.ok) return this.nak();
        this.ack();
        this.host.raw(encodePacket(PACKET_TYPE.response, this.host.toJS(result.value)));
        return;
      }
      case PACKET_TYPE.event: {
        const payload = parseJson(data);
        if (payload === undefined) return this.nak();
        this.ack();
        this.host.emitPacketEvent(payload);
        return;
      }
      case PACKET_TYPE.fileSend:
        return this.openFile(data);
      case PACKET_TYPE.data:
        return this.writeData(data);
      case PACKET_TYPE.fileRecv:
        return this.sendFile(data);
      default:
        return this.nak();
    }
  }

  private openFile(json: string): void {
    const spec = parseJson(json) as { fn?: unknown; s?: unknown } | undefined;
    const name = spec?.fn;
    const size = spec?.s;
    if (typeof name !== "string" || typeof size !== "number" || !Number.isInteger(size) || size < 0)
      return this.nak();
    // The file is created at its full size first, so a transfer that stops leaves 0xFF bytes behind.
    if (!this.host.storageWrite(name, "", 0, size)) return this.nak();
    this.file = { name, size, written: 0, lastDataS: this.host.nowS() };
    this.ack();
  }

  private writeData(data: string): void {
    const file = this.file;
    if (file === null || file.written + data.length > file.size) return this.nak();
    // A write at offset 0 creates the file, so the first block names the whole size again.
    const written =
      file.written === 0
        ? this.host.storageWrite(file.name, data, 0, file.size)
        : data.length === 0 || this.host.storageWrite(file.name, data, file.written);
    if (!written) return this.nak();
    file.written += data.length;
    file.lastDataS = this.host.nowS();
    if (file.written === file.size) this.file = null;
    this.ack();
  }

  private sendFile(json: string): void {
    const spec = parseJson(json) as { fn?: unknown } | undefined;
    const content = typeof spec?.fn === "string" ? this.host.storageRead(spec.fn) : undefined;
    if (content === undefined) return this.nak();
    this.ack();
    for (let at = 0; at < content.length; at += FILE_RECV_CHUNK)
      this.host.raw(encodePacket(PACKET_TYPE.data, content.slice(at, at + FILE_RECV_CHUNK)));
    this.host.raw(encodePacket(PACKET_TYPE.data, ""));
  }

  private ack(): void {
    this.counters.packetsAcked++;
    this.host.raw(ACK);
  }

  private nak(): void {
    this.counters.packetsNaked++;
    this.host.raw(NAK);
  }
}

/** DLE SOH, the 16-bit header (type | length), then the data (8-bit string). */
export function encodePacket(type: number, data: string): string {
  if (data.length > PACKET_LENGTH_MASK)
    throw new RangeError(`packet data of ${data.length} bytes is too long`);
  const header = type | data.length;
  return DLE + SOH + String.fromCharCode(header >> 8, header & 0xff) + data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Whether a typed input is complete: every bracket closed, not inside a string, template or block
 * comment (what Espruino's lexer-based bracket count decides). Regular expressions are not lexed.
 */
export function isCompleteInput(code: string): boolean {
  let depth = 0;
  let i = 0;
  while (i < code.length) {
    const ch = code[i] as string;
    const next = code[i + 1];
    if (ch === "/" && next === "/") {
      const end = code.indexOf("\n", i);
      if (end < 0) break;
      i = end + 1;
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = code.indexOf("*/", i + 2);
      if (end < 0) return false;
      i = end + 2;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === "`") {
      i++;
      while (i < code.length && code[i] !== ch) {
        if (code[i] === "\\") i++;
        else if (code[i] === "\n" && ch !== "`") return true; // an unterminated string ends at the line
        i++;
      }
      if (i >= code.length) return false;
      i++;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth++;
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
    i++;
  }
  return depth <= 0;
}
