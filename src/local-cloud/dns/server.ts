import { createSocket } from 'node:dgram';
import * as dnsPacket from 'dns-packet';
import type { Route53Domain } from '../route53/domain.js';
import { answerQuery } from './answers.js';

export interface DnsServer {
  port: number;
  close(): Promise<void>;
}

/** A UDP DNS server on loopback answering from the local cloud's Route 53 data (`dig @127.0.0.1 -p PORT`). */
export async function startDnsServer(opts: { port: number; route53: () => Route53Domain | undefined; log?: (line: string) => void; onQuery?: () => void }): Promise<DnsServer> {
  const socket = createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    opts.onQuery?.();
    let reply: Buffer;
    try {
      const query = dnsPacket.decode(msg);
      reply = dnsPacket.encode(answerQuery(opts.route53(), query, rinfo.address));
    } catch (error) {
      opts.log?.(`dns: bad query from ${rinfo.address}: ${(error as Error).message}`);
      if (msg.length < 2) return;
      // FORMERR with the query id, so the client does not wait for a timeout.
      reply = dnsPacket.encode({ id: msg.readUInt16BE(0), type: 'response', flags: 1, questions: [] });
    }
    socket.send(reply, rinfo.port, rinfo.address);
  });
  const port = await new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(opts.port, '127.0.0.1', () => resolve(socket.address().port));
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
