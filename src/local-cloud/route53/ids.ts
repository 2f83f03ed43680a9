import { randomBytes, randomUUID } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Zone and change ids look like Z0123456789ABCDEFGHIJ / C0123456789ABCDEFGHIJ (21 chars). */
export function route53Id(prefix: 'Z' | 'C'): string {
  return prefix + [...randomBytes(20)].map((b) => UPPER[b % UPPER.length]).join('');
}

export const healthCheckId = (): string => randomUUID();

/** The SDK strips these prefixes from path ids; other clients (and alias targets) may not. */
export function bareId(id: string): string {
  return id.replace(/^\/?(hostedzone|change|healthcheck|delegationset)\//, '');
}

/** Lower-case, one trailing dot: how Route 53 stores and returns names. */
export function dnsName(name: string): string {
  const lower = String(name).trim().toLowerCase().replace(/\\052/g, '*');
  return lower.endsWith('.') ? lower : `${lower}.`;
}
