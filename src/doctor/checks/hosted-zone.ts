import { findHostedZone, type ZoneLookup } from '../../aws/route53.js';
import { managedZoneComment } from '../../stage/names.js';
import { couldNotCheck } from '../errors.js';
import { GLOBAL, type CheckContext, type Finding } from '../types.js';

// The same lookup deploy uses (src/aws/route53.ts): the public zone with the configured name.
export async function checkHostedZone(ctx: CheckContext): Promise<Finding> {
  const zone = ctx.config.dns.zone;
  const check = 'hosted-zone';
  let found: ZoneLookup;
  try {
    found = await findHostedZone(ctx.clients.route53(), zone);
  } catch (err) {
    return couldNotCheck(GLOBAL, check, `hosted zone ${zone}`, err);
  }
  if (ctx.config.dns.createZone) return managedZone(ctx, found.zone);
  if (found.zone) return { region: GLOBAL, check, status: 'pass', message: `hosted zone ${zone} (${found.zone.id})` };
  if (found.privateZones.length > 0) {
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
function managedZone(ctx: CheckContext, existing: ZoneLookup['zone']): Finding {
  const { zone } = ctx.config.dns;
  if (!existing) return { region: GLOBAL, check: 'hosted-zone', status: 'pass', message: `hosted zone ${zone} will be created by the dns stack (dns.createZone)` };
  if (existing.comment === managedZoneComment(ctx.config)) return { region: GLOBAL, check: 'hosted-zone', status: 'pass', message: `hosted zone ${zone} is managed by regionctl's dns stack` };
  return {
    region: GLOBAL,
    check: 'hosted-zone',
    status: 'warn',
    message: `hosted zone ${zone} already exists (${existing.id}) but dns.createZone is true: the dns stack would create a second zone with the same name`,
    fix: 'set dns.createZone: false in regionctl.yml to use the existing zone',
  };
}
