// Which serial ports have an Espruino board (or a USB-serial bridge an ESP board sits behind), by
// USB vendor and product id. serialport's own listing needs udevadm on Linux; where that is missing
// (containers, minimal systems) the ids are read from sysfs instead.
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { SerialPort } from "serialport";

export interface PortInfo {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  kind: PortKind;
}

export type PortKind = "espruino" | "usb-serial-bridge" | "other";

/** USB ids, lower-case hex "vid:pid". */
const KNOWN: Record<string, { kind: PortKind; what: string }> = {
  "0483:5740": { kind: "espruino", what: "Espruino (STM32 USB CDC: Pico, Original, WiFi)" },
  "10c4:ea60": { kind: "usb-serial-bridge", what: "Silicon Labs CP210x (ESP32 / ESP8266 boards)" },
  "1a86:7523": { kind: "usb-serial-bridge", what: "WCH CH340 (ESP32 / ESP8266 boards)" },
  "1a86:55d4": { kind: "usb-serial-bridge", what: "WCH CH9102 (ESP32 boards)" },
  "0403:6001": { kind: "usb-serial-bridge", what: "FTDI FT232R (UART adapters)" },
  "0403:6015": { kind: "usb-serial-bridge", what: "FTDI FT231X (UART adapters)" },
  "303a:1001": { kind: "usb-serial-bridge", what: "Espressif USB serial/JTAG (ESP32-C3/S3)" },
};

export function classifyUsb(
  vendorId: string | null,
  productId: string | null,
): { kind: PortKind; what: string } {
  if (!vendorId || !productId) return { kind: "other", what: "not a USB device" };
  const key = `${vendorId.toLowerCase().padStart(4, "0")}:${productId.toLowerCase().padStart(4, "0")}`;
  return KNOWN[key] ?? { kind: "other", what: "unknown USB device" };
}

const readText = (path: string): string | null => {
  try {
    return readFileSync(path, "utf8").trim() || null;
  } catch {
    return null;
  }
};

/** Reads tty devices and their USB ids from a sysfs tree (root "/sys" normally). */
export function listPortsFromSysfs(sysRoot = "/sys", devRoot = "/dev"): PortInfo[] {
  const ttyDir = join(sysRoot, "class", "tty");
  if (!existsSync(ttyDir)) return [];
  const ports: PortInfo[] = [];
  for (const name of readdirSync(ttyDir).sort()) {
    const deviceLink = join(ttyDir, name, "device");
    if (!existsSync(deviceLink)) continue;
    let dir = realpathSync(deviceLink);
    let vendorId: string | null = null;
    let productId: string | null = null;
    let manufacturer: string | null = null;
    let serialNumber: string | null = null;
    // The USB device that owns this interface is the nearest ancestor with an idVendor file.
    while (dir.startsWith(sysRoot) && dir !== sysRoot) {
      if (existsSync(join(dir, "idVendor"))) {
        vendorId = readText(join(dir, "idVendor"));
        productId = readText(join(dir, "idProduct"));
        manufacturer = readText(join(dir, "manufacturer"));
        serialNumber = readText(join(dir, "serial"));
        break;
      }
      dir = dirname(dir);
    }
    ports.push({
      path: join(devRoot, name),
      vendorId,
      productId,
      manufacturer,
      serialNumber,
      kind: classifyUsb(vendorId, productId).kind,
    });
  }
  return ports;
}

export async function listPorts(): Promise<PortInfo[]> {
  try {
    const listed = await SerialPort.list();
    return listed.map((p) => ({
      path: p.path,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      kind: classifyUsb(p.vendorId ?? null, p.productId ?? null).kind,
    }));
  } catch {
    return listPortsFromSysfs();
  }
}
