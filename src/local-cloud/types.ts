import type { Clock } from './clock.js';
import type { ClientLocationMode, Realism } from './realism.js';
import type { DomainOf, ServiceDomains, ServiceName } from './registry.js';

/** One HTTP request after the front door has decided which service and region it is for. */
export interface CloudRequest {
  /** SigV4 signing name: sts, s3, cloudformation, iam, lambda, apigateway, dynamodb, monitoring, route53, sns, events. */
  service: string;
  region: string;
  accountId: string;
  method: string;
  /** Decoded path, without the query string. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
  requestId: string;
}

export interface CloudResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export type ServiceHandler = (req: CloudRequest) => Promise<CloudResponse>;

/**
 * Values are JSON plus Map, Set and null-prototype objects (no Buffers, Dates or class
 * instances: use epoch ms; Map keys must be strings to be logged per entry).
 * get() returns the same live object every time; mutate it in place, then declare what changed
 * with changed(): the store has no other way to learn of it (a write barrier, not a comparison;
 * persistence/SPEC.md).
 */
export interface StateStore {
  get<T extends object>(key: string, init: () => T): T;
  /**
   * Declare that the value at `key` → `path` changed, was added or was removed, right after
   * changing it (before the next await). The next commit logs its current value there, or its
   * absence; a path covers everything under it, so declare the smallest thing that changed (the
   * one item, not its table: a commit costs what it writes). Path segments are object / Map keys
   * or array indices: an index logs that element (declare each index appended); after removing
   * elements, declare the array itself. A path into a Set logs the Set. Inside a request it is what makes
   * the front door commit before answering (a request that declared nothing is taken for a
   * read); outside one (a timer) the change is committed within 1 s.
   */
  changed(key: string, ...path: string[]): void;
  /** Forget everything (local reset). */
  clear(): void;
}

/** Content-addressed binary storage (S3 object bodies, Lambda code zips). */
export interface BlobStore {
  put(data: Buffer): string; // returns sha256 hex
  get(sha: string): Buffer;
  has(sha: string): boolean;
}

/** Shared by every service of one local cloud. */
export interface CloudContext {
  clock: Clock;
  accountId: string;
  /** Base URL of the local cloud, e.g. http://127.0.0.1:4566 (API Gateway invoke URLs, Lambda AWS_ENDPOINT_URL). */
  url(): string;
  /**
   * Where the cloud's own functions reach it (their AWS_ENDPOINT_URL): a listener of its own, so
   * their calls do not count as a client keeping a resting clock awake (rest.ts). Default url().
   */
  functionsUrl?(): string;
  state: StateStore;
  blobs: BlobStore;
  /** Directory for scratch files (extracted Lambda code); inside dataDir or a temp dir. */
  workDir: string;
  /**
   * Another service's domain object, typed by the registry (registry.ts), e.g. the LambdaDomain
   * from API Gateway. Undefined when this cloud does not run that service (tests start subsets).
   */
  service<K extends ServiceName>(name: K): ServiceDomains[K] | undefined;
  /** The CloudFormation resource provider for a type (e.g. AWS::Lambda::Function), if any service offers it. */
  resource(type: string): ResourceProvider | undefined;
  log(message: string): void;
  /** The key pair a --require-auth cloud accepts; code it runs (Lambda) calls back with it. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Timing profile (realism.ts); absent = fast (tests of single services build contexts by hand). */
  realism?: Realism;
  /** How EDNS client subnets map to a location (realism.ts); absent = subnets. */
  clientLocation?: ClientLocationMode;
  /** Injected faults (region outages), for services that reach other regions without the front door. */
  faults?: {
    isRegionDown(region: string): boolean;
    /** Global-table replication from one region to another is paused (a fault). */
    isReplicationPaused?(from: string, to: string): boolean;
    /** Configured replication lag between two regions, in cloud ms. */
    replicationLag?(from: string, to: string): number;
    /** Told after the faults change. */
    onChange?: () => void;
  };
}

/** What CloudFormation passes to a resource provider. */
export interface ResourceContext {
  cloud: CloudContext;
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
  logicalId: string;
}

export interface ResourceResult {
  physicalId: string;
  /** Values for Fn::GetAtt, by attribute name. */
  attributes: Record<string, unknown>;
}

/**
 * Resolved template properties as the runner holds them. Providers are declared with defineResource
 * (cloudformation/resource-properties.ts), which validates these with the type's schema and hands
 * the provider typed properties.
 */
export type ResourceProps = Record<string, unknown>;

/**
 * A CloudFormation resource type the local cloud can create, as the runner holds it. Properties
 * arrive with every intrinsic already resolved. Throw AwsError (or Error) to fail the resource;
 * CloudFormation records the message as the ResourceStatusReason and rolls back. Declare new types
 * with defineResource, not by hand.
 */
export interface ResourceProvider {
  type: string;
  create(ctx: ResourceContext, props: ResourceProps): Promise<ResourceResult>;
  /** In-place update. Absent: every property change replaces the resource. */
  update?(ctx: ResourceContext, physicalId: string, props: ResourceProps, oldProps: ResourceProps): Promise<ResourceResult>;
  delete(ctx: ResourceContext, physicalId: string, props: ResourceProps): Promise<void>;
  /** Property names whose change forces replacement (create new, then delete old). */
  replaceOn?: string[];
}

/** A service plugged into the front door. */
export interface LocalService<K extends string = string> {
  /** Signing names this service answers (usually one). */
  names: K[];
  handle: ServiceHandler;
  resources?: ResourceProvider[];
  /** Called once at start (after state is loaded) to re-arm timers. */
  start?(): void;
  /** Called at close (stop workers, timers). */
  stop?(): Promise<void>;
}

/**
 * Builds a service for one cloud. ServiceFactory<'lambda'> must offer the registry's domain for
 * 'lambda'; a plain ServiceFactory (a test fake) may offer anything.
 */
export type ServiceFactory<K extends string = string> = (ctx: CloudContext) => LocalService<K> & (K extends ServiceName ? { domain: DomainOf<K> } : { domain?: unknown });
