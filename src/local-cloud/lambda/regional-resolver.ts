import { regionInfo } from '../../regions.js';
import type { CloudContext } from '../types.js';
import type { FunctionResolver } from './worker-pool.js';

// A function in region R resolves names as R's clients are answered: on AWS its resolver is the
// Route 53 Resolver of R's VPC (https://docs.aws.amazon.com/vpc/latest/userguide/AmazonDNS-concepts.html),
// whose queries reach Route 53 from R, so latency records answer with the region nearest R. Here
// the query is placed by R's public client address (src/regions.ts, from ip-ranges.json), so it
// holds in --client-location none too. Names outside the local hosted zones are left to the host.
export function regionalResolver(ctx: CloudContext): FunctionResolver {
  return (functionId, name, rrtype) => {
    const r53 = ctx.service('route53');
    if (!r53 || !r53.zoneFor(name)) return undefined;
    const region = functionId.slice(0, functionId.indexOf('/'));
    const client = regionInfo(region)?.publicClientIp;
    let current = name;
    let answer = r53.resolve(current, rrtype, client);
    // Follow CNAMEs inside the local zones, as a recursive resolver would.
    for (let hops = 0; answer.type === 'CNAME' && rrtype !== 'CNAME' && hops < 8; hops++) {
      current = answer.records[0] ?? '';
      if (!r53.zoneFor(current)) return { rcode: 'NOERROR', records: [] };
      answer = r53.resolve(current, rrtype, client);
    }
    return { rcode: answer.rcode, records: answer.records.map((r) => r.replace(/\.$/, '')) };
  };
}
