import { AwsError } from '../aws-error.js';
import type { CloudContext } from '../types.js';
import { bareId, dnsName, route53Id } from './ids.js';
import type { RecordSet, Route53State, ZoneRecord } from './model.js';
import { unknownRegionError } from './record-input.js';

export type ChangeAction = 'CREATE' | 'DELETE' | 'UPSERT';
export interface Change {
  action: ChangeAction;
  record: RecordSet;
}

export const NAME_SERVERS = ['ns-1.awsdns-local.com', 'ns-2.awsdns-local.net', 'ns-3.awsdns-local.org', 'ns-4.awsdns-local.co.uk'];

// AWS brackets the list even when it holds one message ("[Cannot find region 'us-gov-west-1'. No
// changes made.]", https://github.com/boto/botocore/issues/2661; "[RRSet of type TXT … already
// exists in zone …]", https://github.com/kubernetes-sigs/external-dns/issues/2757).
const batchError = (messages: string[]): AwsError => new AwsError('InvalidChangeBatch', `[${messages.join(', ')}]`, 400);

const describe = (r: RecordSet): string =>
  `[name='${r.name}', type='${r.type}'${r.setIdentifier !== undefined ? `, set-identifier='${r.setIdentifier}'` : ''}]`;

const sameSet = (a: RecordSet, b: RecordSet): boolean => a.name === b.name && a.type === b.type && (a.setIdentifier ?? '') === (b.setIdentifier ?? '');

/** Reversed labels: how Route 53 orders names (com.example.www). */
export const nameSortKey = (name: string): string => name.replace(/\.$/, '').split('.').reverse().join('.');

export function isInZone(name: string, zoneName: string): boolean {
  return name === zoneName || name.endsWith(`.${zoneName}`);
}

// Hosted zones and their record sets; every change batch is validated whole, then applied.
export class HostedZones {
  constructor(
    private readonly ctx: CloudContext,
    private readonly state: () => Route53State,
  ) {}

  private newChange(): { Id: string; Status: string; SubmittedAt: string } {
    const id = route53Id('C');
    const now = this.ctx.clock.now();
    this.state().changes[id] = { id, submittedAt: now };
    this.ctx.state.changed('route53', 'changes', id);
    return { Id: `/change/${id}`, Status: this.changeStatus(now), SubmittedAt: new Date(now).toISOString() };
  }

  /** PENDING until the change has propagated (realism aws: 60 s after it was submitted), then INSYNC. */
  private changeStatus(submittedAt: number): 'PENDING' | 'INSYNC' {
    return this.ctx.clock.now() >= submittedAt + (this.ctx.realism?.route53ChangeMs ?? 0) ? 'INSYNC' : 'PENDING';
  }

  getChange(id: string) {
    const change = this.state().changes[bareId(id)];
    if (!change) throw new AwsError('NoSuchChange', `A change with the specified change ID does not exist.`, 404);
    return { Id: `/change/${change.id}`, Status: this.changeStatus(change.submittedAt), SubmittedAt: new Date(change.submittedAt).toISOString() };
  }

  zone(id: string): ZoneRecord {
    const zone = this.state().zones[bareId(id)];
    if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${bareId(id)}`, 404);
    return zone;
  }

  zoneByName(name: string): ZoneRecord | undefined {
    const wanted = dnsName(name);
    return Object.values(this.state().zones).find((z) => z.name === wanted);
  }

  /** The public zone with the longest name containing `name`, as a resolver would find it. */
  zoneFor(name: string): ZoneRecord | undefined {
    const wanted = dnsName(name);
    let best: ZoneRecord | undefined;
    for (const z of Object.values(this.state().zones)) {
      if (!z.privateZone && isInZone(wanted, z.name) && (!best || z.name.length > best.name.length)) best = z;
    }
    return best;
  }

  list(): ZoneRecord[] {
    return Object.values(this.state().zones).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  listByName(): ZoneRecord[] {
    return Object.values(this.state().zones).sort((a, b) => nameSortKey(a.name).localeCompare(nameSortKey(b.name)) || a.id.localeCompare(b.id));
  }

  create(input: { name: string; callerReference: string; comment?: string; privateZone?: boolean }) {
    if (!input.name) throw new AwsError('InvalidInput', "Invalid request: Missing field 'Name' in CreateHostedZoneRequest", 400);
    if (!input.callerReference) throw new AwsError('InvalidInput', "Invalid request: Missing field 'CallerReference' in CreateHostedZoneRequest", 400);
    const name = dnsName(input.name);
    if (!/^([a-z0-9_*-]+\.)+$/.test(name)) throw new AwsError('InvalidDomainName', `${input.name} is reserved by AWS!`, 400);
    if (Object.values(this.state().zones).some((z) => z.callerReference === input.callerReference)) {
      throw new AwsError('HostedZoneAlreadyExists', `A hosted zone has already been created with the specified caller reference.`, 409);
    }
    let id = route53Id('Z');
    while (this.state().zones[id]) id = route53Id('Z');
    const zone: ZoneRecord = {
      id,
      name,
      callerReference: input.callerReference,
      comment: input.comment,
      privateZone: input.privateZone ?? false,
      createdAt: this.ctx.clock.now(),
      records: [
        { name, type: 'NS', ttl: 172800, values: NAME_SERVERS.map((n) => `${n}.`) },
        { name, type: 'SOA', ttl: 900, values: [`${NAME_SERVERS[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`] },
      ],
    };
    this.state().zones[id] = zone;
    this.ctx.state.changed('route53', 'zones', id);
    return { zone, change: this.newChange() };
  }

  delete(id: string) {
    const zone = this.zone(id);
    if (zone.records.some((r) => !(r.name === zone.name && (r.type === 'SOA' || r.type === 'NS')))) {
      throw new AwsError('HostedZoneNotEmpty', 'The specified hosted zone contains non-required resource record sets and so cannot be deleted.', 400);
    }
    delete this.state().zones[zone.id];
    this.ctx.state.changed('route53', 'zones', zone.id);
    return this.newChange();
  }

  // Atomic: the batch is applied to a copy and only committed when every change is valid.
  change(id: string, changes: Change[]) {
    const zone = this.zone(id);
    if (changes.length === 0) throw new AwsError('InvalidInput', 'Invalid request: Missing field \'Changes\' in ChangeBatch', 400);
    const records = structuredClone(zone.records);
    const errors: string[] = [];
    for (const { action, record } of changes) {
      const noRegion = unknownRegionError(record);
      if (noRegion) {
        errors.push(noRegion);
        continue;
      }
      if (!isInZone(record.name, zone.name)) {
        errors.push(`RRSet with DNS name ${record.name} is not permitted in zone ${zone.name}`);
        continue;
      }
      const at = records.findIndex((r) => sameSet(r, record));
      if (action === 'CREATE') {
        if (at >= 0) errors.push(`Tried to create resource record set ${describe(record)} but it already exists`);
        else records.push(record);
      } else if (action === 'DELETE') {
        if (at < 0) errors.push(`Tried to delete resource record set ${describe(record)} but it was not found`);
        else if (JSON.stringify(normalised(records[at])) !== JSON.stringify(normalised(record))) {
          errors.push(`Tried to delete resource record set ${describe(record)} but the values provided do not match the current values`);
        } else if (record.name === zone.name && (record.type === 'SOA' || record.type === 'NS')) {
          errors.push(`A HostedZone must contain at least one NS record for the zone itself.`);
        } else records.splice(at, 1);
      } else if (action === 'UPSERT') {
        if (at >= 0) records[at] = record;
        else records.push(record);
      } else {
        throw new AwsError('InvalidInput', `Invalid request: Invalid XML ; Action must be one of CREATE, DELETE, UPSERT`, 400);
      }
    }
    const submitted = new Set(changes.map((c) => c.record));
    for (const r of records) {
      const sameName = records.filter((o) => o.name === r.name);
      if (r.type === 'CNAME' && r.name === zone.name) errors.push(`RRSet of type CNAME with DNS name ${r.name} is not permitted at apex in zone ${zone.name}`);
      else if (r.type === 'CNAME' && sameName.some((o) => o.type !== 'CNAME')) {
        errors.push(`RRSet of type CNAME with DNS name ${r.name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`);
      }
      const siblings = sameName.filter((o) => o.type === r.type);
      if (siblings.length > 1 && siblings.some((o) => o.setIdentifier === undefined)) {
        errors.push(`RRSet with DNS name ${r.name}, type ${r.type} cannot be created as a non-weighted set exists with the same name and type.`);
      }
      if (r.region !== undefined && submitted.has(r) && siblings.filter((o) => o.region === r.region).length > 1) {
        // https://github.com/hashicorp/terraform-provider-aws/issues/1668 (AWS's text, verbatim)
        errors.push(`RRSet with DNS name ${r.name}, type ${r.type}, SetIdentifier ${r.setIdentifier}, and Region Name=${r.region} cannot be created because a latency RRSet with the same name, type and region already exists.`);
      }
      if (r.failover && siblings.filter((o) => o.failover === r.failover).length > 1) {
        errors.push(`RRSet with DNS name ${r.name}, type ${r.type}, SetIdentifier ${r.setIdentifier} cannot be created because a failover record of the same type already exists`);
      }
      if (r.healthCheckId && !this.state().healthChecks[r.healthCheckId]) errors.push(`Invalid HealthCheckId: ${r.healthCheckId}`);
    }
    if (errors.length) throw batchError([...new Set(errors)]);
    zone.records = records;
    this.ctx.state.changed('route53', 'zones', zone.id, 'records');
    return this.newChange();
  }

  /** Sorted as ListResourceRecordSets returns them: by reversed name, then type, then set identifier. */
  sortedRecords(zone: ZoneRecord): RecordSet[] {
    return [...zone.records].sort(
      (a, b) =>
        nameSortKey(a.name).localeCompare(nameSortKey(b.name)) ||
        a.type.localeCompare(b.type) ||
        (a.setIdentifier ?? '').localeCompare(b.setIdentifier ?? ''),
    );
  }
}

function normalised(r: RecordSet): RecordSet {
  return { ...r, values: r.values ? [...r.values].sort() : undefined };
}
