import type { Answer, DecodedPacket, Packet, Question } from 'dns-packet';
import type { Route53Domain } from '../route53/domain.js';
import { parseExecuteApiHost } from '../route53/api-targets.js';
import { dnsName } from '../route53/ids.js';
import { CLOUDFRONT_ADDRESS, regionalAddress } from '../route53/resolve.js';

const RCODE = { NOERROR: 0, NXDOMAIN: 3, REFUSED: 5, NOTIMP: 4 } as const;
const AA = 1 << 10;
const RD = 1 << 8;
/** Answers for the client subnet are valid for the whole /16 a region owns. */
const ECS_SCOPE = 16;
const SUPPORTED = new Set(['A', 'AAAA', 'CNAME', 'TXT', 'NS', 'SOA', 'MX']);

const bare = (name: string): string => name.replace(/\.$/, '');

// Record text as Route 53 stores it → the structured data dns-packet encodes.
function rdata(type: string, value: string): unknown {
  switch (type) {
    case 'CNAME':
    case 'NS':
      return bare(value);
    case 'TXT':
      return (value.match(/"((?:[^"\\]|\\.)*)"/g) ?? [value]).map((s) => s.replace(/^"|"$/g, '').replace(/\\"/g, '"'));
    case 'MX': {
      const [preference, exchange] = value.split(/\s+/);
      return { preference: Number(preference), exchange: bare(exchange ?? '') };
    }
    case 'SOA': {
      const [mname, rname, serial, refresh, retry, expire, minimum] = value.split(/\s+/);
      return { mname: bare(mname), rname: bare(rname), serial: +serial, refresh: +refresh, retry: +retry, expire: +expire, minimum: +minimum };
    }
    default:
      return value;
  }
}

function records(name: string, type: string, ttl: number, values: string[]): Answer[] {
  return values.map((v) => ({ name: bare(name), type, class: 'IN', ttl, data: rdata(type, v) }) as Answer);
}

interface ClientSubnet {
  code: 8;
  family?: number;
  sourcePrefixLength?: number;
  scopePrefixLength?: number;
  ip?: string;
}

function clientSubnetOf(query: DecodedPacket): ClientSubnet | undefined {
  for (const extra of query.additionals ?? []) {
    if (extra.type !== 'OPT') continue;
    const ecs = (extra.options ?? []).find((o) => o.code === 8) as ClientSubnet | undefined;
    if (ecs) return ecs;
  }
  return undefined;
}

function awsOwnedAnswer(name: string, type: string): string[] | undefined {
  const api = parseExecuteApiHost(name);
  if (api) return regionalAddress(api.region, type);
  if (/\.cloudfront\.net\.?$/.test(name)) return CLOUDFRONT_ADDRESS[type];
  return undefined;
}

/** The response Route 53's authoritative server would give to one query from `sourceIp`. */
export function answerQuery(r53: Route53Domain | undefined, query: DecodedPacket, sourceIp: string): Packet {
  const question: Question | undefined = query.questions?.[0];
  const ecs = clientSubnetOf(query);
  const hasOpt = (query.additionals ?? []).some((a) => a.type === 'OPT');
  const base: Packet = { id: query.id, type: 'response', flags: (query.flags ?? 0) & RD, questions: query.questions ?? [], answers: [], authorities: [], additionals: [] };
  if (hasOpt) {
    // A fresh option: a decoded one carries its raw `data`, which the encoder would copy verbatim.
    const options = ecs ? [{ code: 8, family: ecs.family, sourcePrefixLength: ecs.sourcePrefixLength, scopePrefixLength: Math.min(ECS_SCOPE, ecs.sourcePrefixLength ?? ECS_SCOPE), ip: ecs.ip }] : [];
    base.additionals = [{ name: '.', type: 'OPT', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options } as unknown as Answer];
  }
  if (!question || !r53) return { ...base, flags: base.flags! | RCODE.REFUSED };
  const zone = r53.zoneFor(question.name);
  if (!zone) {
    // The local cloud also stands in for the AWS-owned names its aliases point at, so a client
    // can see which region an answer belongs to (127.1.i.1 is region i's API Gateway endpoint).
    const owned = awsOwnedAnswer(question.name, String(question.type));
    if (owned) return { ...base, flags: base.flags! | AA | RCODE.NOERROR, answers: records(question.name, String(question.type), 60, owned) };
    return { ...base, flags: base.flags! | RCODE.REFUSED };
  }
  const flags = base.flags! | AA;
  const type = String(question.type);
  if (!SUPPORTED.has(type)) return { ...base, flags: flags | RCODE.NOERROR };
  // The client subnet places the query when it carries a location, else the resolver's own address.
  const clientIp = r53.placeClient([ecs?.ip, sourceIp]);
  const answers: Answer[] = [];
  let name = dnsName(question.name);
  let answer = r53.resolve(name, type, clientIp);
  // Follow CNAMEs inside our zones, as an authoritative server does for in-zone targets.
  for (let hops = 0; answer.type === 'CNAME' && type !== 'CNAME' && hops < 8; hops++) {
    answers.push(...records(name, 'CNAME', answer.ttl ?? 300, answer.records));
    name = dnsName(answer.records[0] ?? '');
    if (!r53.zoneFor(name)) return { ...base, flags, answers };
    answer = r53.resolve(name, type, clientIp);
  }
  answers.push(...records(name, answer.type ?? type, answer.ttl ?? 300, answer.records));
  const soa = zone.records.find((r) => r.type === 'SOA' && r.name === zone.name);
  const authorities = answers.length === 0 && soa ? records(zone.name, 'SOA', soa.ttl ?? 900, soa.values ?? []) : [];
  return { ...base, flags: flags | (answer.rcode === 'NXDOMAIN' && answers.length === 0 ? RCODE.NXDOMAIN : RCODE.NOERROR), answers, authorities };
}
