import { publicDelegation, type PublicDelegation } from '../../aws/public-dns.js';
import { findHostedZone, zoneNameServers } from '../../aws/route53.js';
import { couldNotCheck } from '../errors.js';
import { GLOBAL, type CheckContext, type Finding } from '../types.js';

// Whether the public DNS reaches the zone: ACM validates the certificates the stacks request through
// a CNAME in it (https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html), and clients
// find the service's names through it. Route 53 gives every new zone its own name servers
// (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/migrate-dns-domain-in-use.html); until
// the parent (the registrar, or the parent zone's NS records) names them, nothing outside resolves
// the zone and a certificate waits for validation until CloudFormation gives up.

/** What the certificate checks need to know about the zone's delegation. */
export interface DelegationState {
  finding: Finding;
  /** Certificates validated through the zone cannot be issued on this cloud. */
  blocksValidation: boolean;
}

const fixFor = (zone: string, nameServers: string[]) =>
  nameServers.length > 0
    ? `at ${zone}'s registrar (or with NS records for ${zone} in its parent zone), set its name servers to ${nameServers.join(', ')}`
    : `delegate ${zone} to the name servers of its hosted zone (aws route53 get-hosted-zone --id <id> --query DelegationSet.NameServers) at its registrar or in its parent zone`;

export async function checkDelegation(ctx: CheckContext): Promise<DelegationState> {
  const zone = ctx.config.dns.zone;
  const check = 'delegation';
  const done = (status: Finding['status'], message: string, fix?: string, blocksValidation = false): DelegationState => ({
    finding: { region: GLOBAL, check, status, message, ...(fix ? { fix } : {}) },
    blocksValidation,
  });
  let view: PublicDelegation | undefined;
  let found;
  try {
    found = await findHostedZone(ctx.clients.route53(), zone);
    view = await publicDelegation(zone, ctx.clients.endpoint);
  } catch (err) {
    return { finding: couldNotCheck(GLOBAL, check, `the delegation of ${zone}`, err), blocksValidation: false };
  }
  if (!view) return done('warn', `could not check the delegation of ${zone}: the endpoint has no public DNS view`);
  // On a cloud that issues certificates without looking (the local cloud's default profile), an
  // undelegated zone still deploys; say what AWS would do instead of failing.
  const onAws = (problem: string, fix: string): DelegationState =>
    view.certificatesNeedDelegation
      ? done('fail', `${problem}: certificates validated through it are never issued, and clients cannot resolve the service's names`, fix, true)
      : done('pass', `${problem} (this cloud issues certificates without DNS validation; on AWS this fails: ${fix})`);
  if (!found.zone) {
    if (!ctx.config.dns.createZone) return done('pass', `no hosted zone ${zone} yet (see hosted-zone)`);
    if (view.reason && /reserved name/.test(view.reason)) {
      return onAws(`${view.reason}`, `use a zone you own in dns.zone, or set dns.certificateArn.<region> to ISSUED certificates`);
    }
    if (view.registryDelegatesNewZones) return done('pass', `the dns stack will create ${zone}; this cloud's registry delegates it`);
    return done(
      'warn',
      `the dns stack will create ${zone} with new name servers: certificates validate only once ${zone}'s parent delegates to them (deploy waits for that)`,
      `when the dns stack is created, set ${zone}'s name servers at its registrar to the new zone's (aws route53 get-hosted-zone --id <id> --query DelegationSet.NameServers)`,
    );
  }
  let own: string[];
  try {
    own = await zoneNameServers(ctx.clients.route53(), found.zone.id);
  } catch (err) {
    return { finding: couldNotCheck(GLOBAL, check, `the name servers of ${zone}`, err), blocksValidation: false };
  }
  if (view.nameServers.length === 0) return onAws(`${zone} is not delegated: ${view.reason ?? 'the public DNS has no name servers for it'}`, fixFor(zone, own));
  const delegatedHere = view.nameServers.every((ns) => own.includes(ns));
  if (!delegatedHere) {
    return onAws(`${zone}'s parent delegates it to ${view.nameServers.join(', ')}, not to its hosted zone's name servers (${own.join(', ')})`, fixFor(zone, own));
  }
  return done('pass', `${zone} is delegated to its hosted zone's name servers (${own.join(', ')})`);
}
