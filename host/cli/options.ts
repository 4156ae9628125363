// Option parsers shared by commands: each rejects bad values with a usage error naming the value.
import { InvalidArgumentError } from "commander";
import { parseUdpEndpoint } from "../transport/udp.ts";

export function parsePositiveInt(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a positive whole number, got "${text}"`);
  }
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  }
  return value;
}

export function parseNonNegativeInt(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`expected a whole number ≥ 0, got "${text}"`);
  }
  return value;
}

export function parsePort(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65535) {
    throw new InvalidArgumentError(`expected a UDP port from 1 to 65535, got "${text}"`);
  }
  return value;
}

/** NMEA label offset in seconds: -1 for receivers that label the next PPS edge. */
export function parseLabelOffset(text: string): number {
  if (text !== "-1" && text !== "0" && text !== "1") {
    throw new InvalidArgumentError(`expected -1, 0 or 1 (seconds), got "${text}"`);
  }
  return Number(text);
}

/** An Espruino version as process.env.VERSION spells it: "2v29", "2v25.12". */
export function parseEspruinoVersion(text: string): string {
  if (!/^\d+v\d+(\.\d+)?$/.test(text))
    throw new InvalidArgumentError(`expected a version like 2v29, got "${text}"`);
  return text;
}

/** A UDP endpoint "addr:port", ":port" or "port" (all addresses). */
export function parseUdpEndpointOption(text: string): { host: string; port: number } {
  const endpoint = parseUdpEndpoint(text);
  if (!endpoint) throw new InvalidArgumentError(`expected addr:port (e.g. 0.0.0.0:5740), got "${text}"`);
  return endpoint;
}
