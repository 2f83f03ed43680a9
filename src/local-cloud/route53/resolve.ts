import { regionInfo } from '../../regions.js';
import type { CloudContext } from '../types.js';
import { parseExecuteApiHost, regionOfHost } from './api-targets.js';
import { latencyTo } from './client-location.js';
import type { HealthChecks } from './health-checks.js';
import { dnsName } from './ids.js';
import type { RecordSet, ZoneRecord } from './model.js';
import type { HostedZones } from './zones.js';

export interface DnsAnswer {
  records: string[];
  chosen?: { setIdentifier?: string; region?: string; target: string };
  rcode: 'NOERROR' | 'NXDOMAIN';
  /** The type actually answered (CNAME when a CNAME stands at the name). */
  type?: string;
  ttl?: number;
}

const MAX_DEPTH = 8;
const CLOUDFRONT = /\.cloudfront\.net\.?$/;

/** The fake address an API Gateway regional endpoint of region i answers with: 127.1.i.1. */
export function regionalAddress(region: string, type: string): string[] {
  const i = regionInfo(region)?.index ?? 0;
  if (type === 'A') return [`127.1.${i}.1`];
  if (type === 'AAAA') return [`fd00::1:${i}:1`];
  return [];
}

/** The fake address of every CloudFront distribution. */
export const CLOUDFRONT_ADDRESS: Record<string, string[]> = { A: ['127.2.0.1'], AAAA: ['fd00::2:0:1'] };

// Answers a query the way Route 53's authoritative servers do: routing policy, health, aliases,
// and "when every candidate is unhealthy, answer as if all were healthy".
export class Resolver {
  constructor(
    private readonly ctx: CloudContext,
    private readonly zones: HostedZones,
    private readonly health: HealthChecks,
  ) {}

  resolve(name: string, type: string, clientIp?: string, depth = 0): DnsAnswer {
    const qname = dnsName(name);
    const qtype = type.toUpperCase();
    const zone = this.zones.zoneFor(qname);
    if (!zone || depth > MAX_DEPTH) return { records: [], rcode: 'NXDOMAIN' };
    const atName = this.recordsAt(zone, qname);
    if (atName.length === 0) return { records: [], rcode: 'NXDOMAIN' };
    let candidates = atName.filter((r) => r.type === qtype);
    if (candidates.length === 0) candidates = atName.filter((r) => r.type === 'CNAME');
    if (candidates.length === 0) return { records: [], rcode: 'NOERROR' };
    const record = this.choose(candidates, clientIp, depth);
    return this.answer(record, record.type, qtype, clientIp, depth);
  }

  // Exact name first, then the closest wildcard (*.parent) inside the zone.
  private recordsAt(zone: ZoneRecord, qname: string): RecordSet[] {
    const exact = zone.records.filter((r) => r.name === qname);
    if (exact.length > 0) return exact;
    const labels = qname.split('.');
    for (let i = 1; i < labels.length - 1; i++) {
      const wildcard = `*.${labels.slice(i).join('.')}`;
      if (wildcard.length <= zone.name.length) break;
      const found = zone.records.filter((r) => r.name === wildcard);
      if (found.length > 0) return found;
    }
    // A name that only exists as a parent of other names is NOERROR/empty, not NXDOMAIN.
    if (zone.records.some((r) => r.name.endsWith(`.${qname}`))) return [{ name: qname, type: '__ENT__' }];
    return [];
  }

  private choose(candidates: RecordSet[], clientIp: string | undefined, depth: number): RecordSet {
    const healthy = candidates.filter((r) => this.isRecordHealthy(r, clientIp, depth));
    const pool = healthy.length > 0 ? healthy : candidates;
    const first = candidates[0];
    if (first.region !== undefined) {
      const mode = this.ctx.clientLocation;
      return pool.reduce((best, r) => (latencyTo(clientIp, r.region!, mode) < latencyTo(clientIp, best.region!, mode) ? r : best));
    }
    if (first.failover !== undefined) {
      return pool.find((r) => r.failover === 'PRIMARY') ?? pool.find((r) => r.failover === 'SECONDARY') ?? pool[0];
    }
    if (first.weight !== undefined) {
      const weighted = pool.filter((r) => (r.weight ?? 0) > 0);
      const from = weighted.length > 0 ? weighted : pool;
      const total = from.reduce((sum, r) => sum + (r.weight || 1), 0);
      let pick = Math.random() * total;
      for (const r of from) {
        pick -= r.weight || 1;
        if (pick < 0) return r;
      }
      return from[from.length - 1];
    }
    return first;
  }

  private isRecordHealthy(r: RecordSet, clientIp: string | undefined, depth: number): boolean {
    if (r.healthCheckId && !this.health.isHealthy(r.healthCheckId)) return false;
    if (r.alias?.evaluateTargetHealth) return this.targetHealthy(r.alias.dnsName, r.type, clientIp, depth + 1);
    return true;
  }

  // An alias to another record name is healthy when any record there is; AWS-managed targets
  // (API Gateway regional domains, CloudFront) are always healthy.
  private targetHealthy(target: string, type: string, clientIp: string | undefined, depth: number): boolean {
    const zone = this.zones.zoneFor(target);
    if (!zone || depth > MAX_DEPTH) return true;
    const candidates = zone.records.filter((r) => r.name === dnsName(target) && r.type === type);
    if (candidates.length === 0) return false;
    return candidates.some((r) => this.isRecordHealthy(r, clientIp, depth));
  }

  private answer(record: RecordSet, recordType: string, qtype: string, clientIp: string | undefined, depth: number): DnsAnswer {
    const base = { setIdentifier: record.setIdentifier, region: record.region };
    if (record.type === '__ENT__') return { records: [], rcode: 'NOERROR' };
    if (!record.alias) {
      const records = record.values ?? [];
      return { records, rcode: 'NOERROR', type: recordType, ttl: record.ttl, chosen: { ...base, target: records[0] ?? '' } };
    }
    const target = record.alias.dnsName;
    const chosen = { ...base, target };
    if (this.zones.zoneFor(target)) {
      const sub = this.resolve(target, qtype, clientIp, depth + 1);
      // The leaf target (where traffic really goes) is what callers route by; the outer record names the policy.
      const leaf = { setIdentifier: base.setIdentifier ?? sub.chosen?.setIdentifier, region: base.region ?? sub.chosen?.region, target: sub.chosen?.target ?? target };
      return { ...sub, type: sub.type ?? recordType, ttl: sub.ttl ?? 60, chosen: leaf };
    }
    if (parseExecuteApiHost(target)) {
      const region = regionOfHost(this.ctx, target);
      return { records: region ? regionalAddress(region, qtype) : [], rcode: 'NOERROR', type: qtype, ttl: 60, chosen: { ...chosen, region: base.region ?? region } };
    }
    if (CLOUDFRONT.test(target)) return { records: CLOUDFRONT_ADDRESS[qtype] ?? [], rcode: 'NOERROR', type: qtype, ttl: 60, chosen };
    return { records: [], rcode: 'NOERROR', type: qtype, ttl: 60, chosen };
  }
}
