import type { CloudContext } from '../types.js';
import { badRequest, conflict, notFound } from './errors.js';
import type { ExecuteRequest, ExecuteResponse } from './execute.js';
import { newId } from './ids.js';
import { API_GATEWAY_HOSTED_ZONES, CLOUDFRONT_HOSTED_ZONE } from './regional-zones.js';
import { dict, keyedState } from '../keyed.js';

export interface BasePathMappingRecord {
  basePath: string;
  restApiId: string;
  stage?: string;
}

export interface DomainNameRecord {
  domainName: string;
  endpointType: 'REGIONAL' | 'EDGE';
  certificateArn?: string;
  regionalCertificateArn?: string;
  regionalDomainName?: string;
  distributionDomainName?: string;
  securityPolicy: string;
  createdAt: number;
  mappings: Record<string, BasePathMappingRecord>;
}

interface DomainNamesState {
  regions: Record<string, Record<string, DomainNameRecord>>;
}

/** How the domain names reach the APIs they map to. */
export interface StageExecutor {
  execute(apiId: string, stage: string, req: ExecuteRequest): Promise<ExecuteResponse>;
  getRestApi(region: string, apiId: string): unknown;
}

const NONE = '(none)';

// API Gateway custom domain names and base path mappings; executing through one strips the
// base path and forwards to the mapped API stage, as the regional endpoint does.
export class DomainNames {
  constructor(
    private readonly ctx: CloudContext,
    private readonly gw: StageExecutor,
  ) {}

  private get state(): DomainNamesState {
    return keyedState<DomainNamesState>(this.ctx.state, 'apigateway-domain-names', () => ({ regions: dict() }));
  }

  /** Declare a change to a domain name record for the state's write barrier. */
  private changed(region: string, domainName: string, ...path: string[]): void {
    this.ctx.state.changed('apigateway-domain-names', 'regions', region, domainName, ...path);
  }

  private domains(region: string): Record<string, DomainNameRecord> {
    this.state.regions[region] ??= dict();
    return this.state.regions[region];
  }

  private record(region: string, domainName: string): DomainNameRecord {
    const d = this.state.regions[region]?.[domainName.toLowerCase()];
    if (!d) throw notFound('Invalid domain name identifier specified');
    return d;
  }

  view(region: string, d: DomainNameRecord) {
    return {
      domainName: d.domainName,
      certificateArn: d.certificateArn,
      regionalCertificateArn: d.regionalCertificateArn,
      regionalDomainName: d.regionalDomainName,
      regionalHostedZoneId: d.regionalDomainName ? API_GATEWAY_HOSTED_ZONES[region] : undefined,
      distributionDomainName: d.distributionDomainName,
      distributionHostedZoneId: d.distributionDomainName ? CLOUDFRONT_HOSTED_ZONE : undefined,
      certificateUploadDate: d.certificateArn ? Math.floor(d.createdAt / 1000) : undefined,
      endpointConfiguration: { types: [d.endpointType] },
      domainNameStatus: 'AVAILABLE',
      securityPolicy: d.securityPolicy,
    };
  }

  create(
    region: string,
    input: { domainName?: string; certificateArn?: string; regionalCertificateArn?: string; endpointConfiguration?: { types?: string[] }; securityPolicy?: string },
  ) {
    if (!input.domainName) throw badRequest('Invalid domain name identifier specified');
    const name = input.domainName.toLowerCase();
    const type = input.endpointConfiguration?.types?.[0] ?? 'EDGE';
    if (type !== 'REGIONAL' && type !== 'EDGE') throw badRequest(`Invalid endpoint configuration type specified: ${type}`);
    if (this.domains(region)[name]) throw conflict('The domain name you provided already exists.');
    if (type === 'REGIONAL' && !input.regionalCertificateArn) throw badRequest('A regional certificate must be provided for a regional domain name');
    if (type === 'EDGE' && !input.certificateArn) throw badRequest('A certificate was not provided for the domain name');
    const record: DomainNameRecord = {
      domainName: name,
      endpointType: type,
      certificateArn: input.certificateArn,
      regionalCertificateArn: input.regionalCertificateArn,
      securityPolicy: input.securityPolicy ?? 'TLS_1_2',
      createdAt: this.ctx.clock.now(),
      mappings: dict(),
    };
    if (type === 'REGIONAL') record.regionalDomainName = `d-${newId(10)}.execute-api.${region}.amazonaws.com`;
    else record.distributionDomainName = `d${newId(13)}.cloudfront.net`;
    this.domains(region)[name] = record;
    this.changed(region, name);
    return this.view(region, record);
  }

  get(region: string, domainName: string) {
    return this.view(region, this.record(region, domainName));
  }

  list(region: string) {
    return { item: Object.values(this.domains(region)).map((d) => this.view(region, d)) };
  }

  delete(region: string, domainName: string): void {
    const d = this.record(region, domainName);
    delete this.domains(region)[d.domainName];
    this.changed(region, d.domainName);
  }

  createMapping(region: string, domainName: string, input: { basePath?: string; restApiId?: string; stage?: string }): BasePathMappingRecord {
    const d = this.record(region, domainName);
    if (!input.restApiId) throw badRequest('Invalid REST API identifier specified');
    this.gw.getRestApi(region, input.restApiId);
    const basePath = input.basePath && input.basePath !== '' ? input.basePath : NONE;
    if (d.mappings[basePath]) throw conflict('Base path already exists for this domain name');
    const mapping: BasePathMappingRecord = { basePath, restApiId: input.restApiId, stage: input.stage };
    d.mappings[basePath] = mapping;
    this.changed(region, d.domainName, 'mappings', basePath);
    return { ...mapping };
  }

  getMapping(region: string, domainName: string, basePath: string): BasePathMappingRecord {
    const m = this.record(region, domainName).mappings[basePath || NONE];
    if (!m) throw notFound('Invalid base path mapping identifier specified');
    return { ...m };
  }

  listMappings(region: string, domainName: string) {
    return { item: Object.values(this.record(region, domainName).mappings).map((m) => ({ ...m })) };
  }

  deleteMapping(region: string, domainName: string, basePath: string): void {
    const d = this.record(region, domainName);
    if (!d.mappings[basePath || NONE]) throw notFound('Invalid base path mapping identifier specified');
    delete d.mappings[basePath || NONE];
    this.changed(region, d.domainName, 'mappings', basePath || NONE);
  }

  /** A domain by its custom name (in one region, or the only region that has it) or by its regional name. */
  find(domainName: string, region?: string): { region: string; record: DomainNameRecord } | undefined {
    const name = domainName.toLowerCase().replace(/\.$/, '');
    const found: Array<{ region: string; record: DomainNameRecord }> = [];
    for (const [r, domains] of Object.entries(this.state.regions)) {
      if (region && r !== region) continue;
      for (const record of Object.values(domains)) {
        if (record.domainName === name || record.regionalDomainName === name) found.push({ region: r, record });
      }
    }
    return found.length === 1 ? found[0] : undefined;
  }

  // The first path segment selects a base path mapping; '(none)' catches everything else.
  async execute(domainName: string, req: ExecuteRequest, region?: string): Promise<ExecuteResponse | undefined> {
    const hit = this.find(domainName, region);
    if (!hit) return undefined;
    const [, first = '', ...rest] = req.path.split('/');
    const mapped = hit.record.mappings[first];
    const mapping = mapped ?? hit.record.mappings[NONE];
    if (!mapping || !mapping.stage) {
      return { status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' }, body: Buffer.from(JSON.stringify({ message: 'Forbidden' })) };
    }
    const path = mapped ? `/${rest.join('/')}` : req.path;
    return this.gw.execute(mapping.restApiId, mapping.stage, { ...req, path });
  }
}
