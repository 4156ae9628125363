// The console device and the REPL's visible side (espruino.md §5; src/jsinteractive.c). Console
// output turns "\n" into "\r\n". With echo on, the REPL shows a ">" prompt: before printing, Espruino
// removes the (empty) input line with "\r" + ESC[J, and returns the prompt at the end of the loop
// turn. Moving the console prints "-> NEW" on the old device and "<- OLD" on the new one. Input that
// arrives on the console device goes to the REPL (repl.ts). A connected USB (or Bluetooth) link takes
// the console whenever it is not forced elsewhere, and keeps it across reset() and load().

export const NULL_CONSOLE = "null";

export type ConsoleWrite = (device: string, data: string) => void;

export class ConsoleState {
  device: string;
  forced = false;
  echo = true;
  private inputLineRemoved = true;
  /** Bytes that arrived on the console device (the REPL's input). */
  replInputBytes = 0;
  /** A connected USB/Bluetooth link, which becomes the console unless it is forced elsewhere. */
  connectedDevice: string | null = null;

  constructor(
    private readonly defaultDevice: string,
    private readonly write: ConsoleWrite,
  ) {
    this.device = defaultDevice;
  }

  /** jsiConsolePrint after jsiConsoleRemoveInputLine: what print() and console.log() do. */
  print(text: string): void {
    this.removeInputLine();
    this.emit(text.replace(/\n/g, "\r\n"));
  }

  /** End of a main-loop turn: show the prompt again if output removed it. */
  returnInputLine(): void {
    if (!this.inputLineRemoved) return;
    this.inputLineRemoved = false;
    if (this.echo) this.emit(">");
  }

  /** jsiSetConsoleDevice. */
  moveTo(device: string, force: boolean): void {
    this.forced = force;
    if (device === this.device) return;
    if (this.echo) {
      this.removeInputLine();
      this.emit(`-> ${device}\r\n`);
    }
    const old = this.device;
    this.device = device;
    if (this.echo) this.emit(`<- ${old}\r\n`);
  }

  /** Typed characters shown back (echo on). */
  echoInput(text: string): void {
    if (this.echo) this.emit(text);
  }

  /** Enter on a complete line: a newline now, the prompt again at the end of the turn. */
  endInputLine(): void {
    if (this.echo) this.emit("\r\n");
    this.inputLineRemoved = true;
  }

  /** Enter on an incomplete line: the ":" continuation prompt. */
  continueInputLine(): void {
    if (this.echo) this.emit("\r\n:");
  }

  /** Ctrl-C on a non-empty line: the line disappears, the prompt comes back. */
  clearInputLine(): void {
    this.removeInputLine();
  }

  /** Bytes exactly as given (packet replies). */
  raw(data: string): void {
    this.emit(data);
  }

  /** After load()/reset(): the console goes back to the connected link, else the default device. */
  reset(): void {
    this.device = this.connectedDevice ?? this.defaultDevice;
    this.forced = false;
    this.echo = true;
    this.inputLineRemoved = true;
  }

  private removeInputLine(): void {
    if (this.inputLineRemoved) return;
    this.inputLineRemoved = true;
    if (this.echo) this.emit("\r\x1b[J");
  }

  private emit(data: string): void {
    if (this.device !== NULL_CONSOLE) this.write(this.device, data);
  }
}
