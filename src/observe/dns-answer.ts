import { Resolver } from 'node:dns/promises';

/**
 * Addresses each region's regional endpoint resolves to, so a DNS answer (a set of addresses) can
 * be named by region. Uses the cloud's own DNS server when it advertises one, else the system's.
 */
export async function regionAddresses(regionalNames: Record<string, string>, dnsPort?: number): Promise<Map<string, string>> {
  const resolver = new Resolver({ timeout: 2000, tries: 2 });
  if (dnsPort) resolver.setServers([`127.0.0.1:${dnsPort}`]);
  const byAddress = new Map<string, string>();
  await Promise.all(
    Object.entries(regionalNames).map(async ([region, name]) => {
      try {
        for (const address of await resolver.resolve4(name)) byAddress.set(address, region);
      } catch {
        // unresolvable: answers pointing there stay unnamed
      }
    }),
  );
  return byAddress;
}

/** The region a DNS answer points at, when every address belongs to one region. */
export function regionOfAnswer(answer: string[], byAddress: Map<string, string>): string | undefined {
  const regions = new Set(answer.map((a) => byAddress.get(a)));
  if (regions.size !== 1) return undefined;
  return [...regions][0];
}
