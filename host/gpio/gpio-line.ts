// The GPIO line a PPS arrives on: the part of onoff's Gpio that timenode uses, so tests can put a
// modelled line in its place. Opening one says, in one line, why it cannot be had and how to fix it.
import { accessSync, constants, existsSync } from "node:fs";
import { Gpio } from "onoff";

export type PpsEdge = "rising" | "falling";

export interface GpioLine {
  watch(callback: (error: Error | null | undefined, value: 0 | 1) => void): void;
  unwatch(callback?: (error: Error | null | undefined, value: 0 | 1) => void): void;
  readSync(): 0 | 1;
  unexport(): void;
}

export class GpioAccessError extends Error {}

const SYSFS_GPIO = "/sys/class/gpio";

export interface GpioHost {
  platform: NodeJS.Platform;
  /** onoff's own verdict: can this process use the sysfs GPIO interface? */
  accessible: boolean;
  sysfsExists: boolean;
  sysfsWritable: boolean;
}

export function gpioHost(): GpioHost {
  let writable: boolean;
  try {
    accessSync(`${SYSFS_GPIO}/export`, constants.W_OK);
    writable = true;
  } catch {
    writable = false;
  }
  return {
    platform: process.platform,
    accessible: Gpio.accessible,
    sysfsExists: existsSync(SYSFS_GPIO),
    sysfsWritable: writable,
  };
}

/** Why GPIO cannot be used here and what to do about it; null when it can. */
export function gpioAccessProblem(host: GpioHost): string | null {
  if (host.accessible) return null;
  if (host.platform !== "linux")
    return `GPIO through onoff needs Linux (this is ${host.platform}): run timenode gpio-pps on the board the PPS is wired to, e.g. a Raspberry Pi`;
  if (!host.sysfsExists)
    return `this machine has no GPIO sysfs interface (${SYSFS_GPIO}): it is not a board with GPIO pins, or its kernel lacks CONFIG_GPIO_SYSFS`;
  if (!host.sysfsWritable)
    return `no permission to use ${SYSFS_GPIO}: add your user to the gpio group (sudo usermod -aG gpio $USER, then log in again), or add a udev rule giving that group the GPIO files`;
  return `GPIO through ${SYSFS_GPIO} is not usable by this process: check the gpio group and udev rules`;
}

/** One line for an error of opening pin `pin` as an input with edge interrupts. */
export function explainPinError(pin: number, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const message = error instanceof Error ? error.message : String(error);
  if (code === "EBUSY")
    return `GPIO ${pin} is in use by a kernel driver (pps-gpio, a HAT overlay?) or another program: free it, or read /dev/pps0 through chrony's PPS refclock instead`;
  if (code === "EINVAL" || code === "ENOENT")
    return `GPIO ${pin} does not exist on this board or cannot be exported: check the pin number (the GPIO line, not the header pin)`;
  if (code === "EACCES" || code === "EPERM")
    return `no permission to export or configure GPIO ${pin}: add your user to the gpio group, or a udev rule for /sys/class/gpio/gpio${pin}`;
  if (/edge/i.test(message))
    return `GPIO ${pin} cannot raise interrupts on edges: pick a pin that can, or use kernel PPS (/dev/pps0)`;
  return `cannot open GPIO ${pin} as an input: ${message}`;
}

/** Opens `pin` as an input interrupting on `edge`; throws a GpioAccessError with one line when it cannot. */
export function openGpioLine(pin: number, edge: PpsEdge, host: GpioHost = gpioHost()): GpioLine {
  const problem = gpioAccessProblem(host);
  if (problem) throw new GpioAccessError(problem);
  let gpio: Gpio;
  try {
    gpio = new Gpio(pin, "in", edge);
  } catch (error) {
    throw new GpioAccessError(explainPinError(pin, error));
  }
  if (gpio.direction() !== "in") {
    gpio.unexport();
    throw new GpioAccessError(`GPIO ${pin} is not an input: it is set as an output by something else`);
  }
  return gpio;
}
