import { ListHostedZonesByNameCommand, type HostedZone } from '@aws-sdk/client-route-53';
import { couldNotCheck } from '../errors.js';
import { GLOBAL, type CheckContext, type Finding } from '../types.js';

// Route 53 returns zones in name order starting at DNSName, so the first one either is the zone or proves
// it is absent. Names come back with a trailing dot.
export async function checkHostedZone(ctx: CheckContext): Promise<Finding> {
  const zone = ctx.config.dns.zone;
  const check = 'hosted-zone';
  let zones;
  try {
    zones = (await ctx.clients.route53().send(new ListHostedZonesByNameCommand({ DNSName: zone, MaxItems: 5 }))).HostedZones ?? [];
  } catch (err) {
    return couldNotCheck(GLOBAL, check, `hosted zone ${zone}`, err);
  }
  const matches = zones.filter((z) => (z.Name ?? '').replace(/\.$/, '').toLowerCase() === zone);
  const publicZone = matches.find((z) => z.Config?.PrivateZone !== true);
  if (ctx.config.dns.createZone) return managedZone(ctx, publicZone);
  if (publicZone) {
    return { region: GLOBAL, check, status: 'pass', message: `hosted zone ${zone} (${String(publicZone.Id).replace('/hostedzone/', '')})` };
  }
  if (matches.length > 0) {
    return {
      region: GLOBAL,
      check,
      status: 'fail',
      message: `hosted zone ${zone} is private: clients outside its VPCs cannot resolve the service's names`,
      fix: `create a public zone (aws route53 create-hosted-zone --name ${zone} --caller-reference $(date +%s)) or set dns.zone in regionctl.yml`,
    };
  }
  return {
    region: GLOBAL,
    check,
    status: 'fail',
    message: `hosted zone ${zone} not found`,
    fix: `create it (aws route53 create-hosted-zone --name ${zone} --caller-reference $(date +%s)) or set dns.zone in regionctl.yml`,
  };
}

// dns.createZone: the dns stack owns the zone. Route 53 happily creates a second zone with the same name,
// so an existing zone that is not the stack's own (its comment says so) would leave the records in a
// zone nobody delegates to.
function managedZone(ctx: CheckContext, existing: HostedZone | undefined): Finding {
  const { zone } = ctx.config.dns;
  const ours = `regionctl ${ctx.config.service} ${ctx.config.stage}`;
  if (!existing) return { region: GLOBAL, check: 'hosted-zone', status: 'pass', message: `hosted zone ${zone} will be created by the dns stack (dns.createZone)` };
  if (existing.Config?.Comment === ours) return { region: GLOBAL, check: 'hosted-zone', status: 'pass', message: `hosted zone ${zone} is managed by regionctl's dns stack` };
  return {
    region: GLOBAL,
    check: 'hosted-zone',
    status: 'warn',
    message: `hosted zone ${zone} already exists (${String(existing.Id).replace('/hostedzone/', '')}) but dns.createZone is true: the dns stack would create a second zone with the same name`,
    fix: 'set dns.createZone: false in regionctl.yml to use the existing zone',
  };
}
