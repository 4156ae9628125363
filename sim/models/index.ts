// Physical models of the virtual lab (see sim/contracts.ts for the seams they implement).
export { createRng, type RngSeed } from "../rng.ts";
export {
  createUtcMapping,
  formatHhmmss,
  type UtcLabel,
  type UtcMapping,
  type UtcMappingOptions,
} from "./utc.ts";
export {
  constantTemperature,
  dailyCycle,
  rampTemperature,
  stepTemperature,
  sumTemperature,
} from "./temperature.ts";
export { createOscillator, type OscillatorClock, type OscillatorOptions } from "./oscillator.ts";
export {
  createGpsReceiver,
  type GpsCounters,
  type GpsOutage,
  type GpsPosition,
  type GpsReceiver,
  type GpsReceiverOptions,
  type NmeaSentenceType,
} from "./gps.ts";
export { nmeaChecksum, nmeaSentence, parseNmea, type ParsedNmea } from "./nmea.ts";
export {
  createNmeaBurstWriter,
  type NmeaBurst,
  type NmeaBurstOptions,
  type NmeaBurstWriter,
  type ReceiverState,
} from "./nmea-burst.ts";
export {
  createSerialLink,
  type SerialLink,
  type SerialLinkCounters,
  type SerialLinkOptions,
} from "./serial-link.ts";
export {
  createUdpNetwork,
  type UdpDelayModel,
  type UdpNetwork,
  type UdpNetworkCounters,
  type UdpNetworkOptions,
} from "./udp-network.ts";
export { createHostClock, type HostClock, type HostClockOptions } from "./host-clock.ts";
