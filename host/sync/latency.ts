// How late JavaScript sees a datagram after the kernel had it: the receive timestamps here are taken in
// the 'message' handler, after the event loop woke up, so they lag the kernel's (what ptp4l's software
// stamps record) by tens to hundreds of µs. Measured on loopback, where the kernel's own path is a few
// µs: (time seen in the handler − time just before send()) over a few datagrams. The least of them is
// what the least-delayed exchanges (those the minimum-delay filter keeps) carry. linuxptp calls the
// same correction ingressLatency.
import { createSocket, type Socket } from "node:dgram";

export interface IngressLatency {
  medianNs: number;
  minNs: number;
  maxNs: number;
  samples: number;
}

const literalLookup = (
  address: string,
  _options: unknown,
  callback: (error: NodeJS.ErrnoException | null, address: string, family: number) => void,
) => callback(null, address, 4);

export function measureIngressLatency(samples = 32, spacingMs = 5): Promise<IngressLatency> {
  return new Promise((resolve, reject) => {
    const sender: Socket = createSocket({ type: "udp4", lookup: literalLookup });
    const receiver: Socket = createSocket("udp4");
    const delays: number[] = [];
    let sentNs = 0n;
    const finish = (error?: Error) => {
      sender.close();
      receiver.close();
      if (error) return reject(error);
      delays.sort((a, b) => a - b);
      resolve({
        medianNs: delays[delays.length >> 1]!,
        minNs: delays[0]!,
        maxNs: delays.at(-1)!,
        samples: delays.length,
      });
    };
    const send = () => {
      const buffer = Buffer.alloc(44);
      sentNs = process.hrtime.bigint();
      sender.send(buffer, receiver.address().port, "127.0.0.1");
    };
    receiver.on("message", () => {
      delays.push(Number(process.hrtime.bigint() - sentNs));
      if (delays.length >= samples) finish();
      else setTimeout(send, spacingMs);
    });
    sender.on("error", finish);
    receiver.on("error", finish);
    receiver.bind(0, "127.0.0.1", () => sender.bind(0, "127.0.0.1", send));
  });
}
