import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { arnRegion, certificateCovers } from '../certificate-match.js';
import { couldNotCheck, errorName } from '../errors.js';
import { EDGE_REGION, globalName, regionalName } from '../../stage/names.js';
import type { CheckContext, CheckName, Finding } from '../types.js';

// CloudFront only accepts ACM certificates from us-east-1, where the edge stack lives.
export const EDGE_CERTIFICATE_REGION = EDGE_REGION;

const requestFix = (region: string, host: string, zone: string) =>
  `request one in ${region} (aws acm request-certificate --region ${region} --domain-name ${host} --subject-alternative-names '*.${zone}' --validation-method DNS) and set dns.certificateArn.${region} in regionctl.yml, or remove the entry to let the stack request one`;

// API Gateway REGIONAL custom domains need an ISSUED certificate from their own region covering the name.
export async function checkRegionalCertificate(ctx: CheckContext, region: string): Promise<Finding> {
  const host = regionalName(ctx.config);
  const arn = ctx.config.dns.certificateArn?.[region];
  if (!arn) {
    const blocked = await cannotValidate(ctx, 'certificate', region, host);
    if (blocked) return blocked;
    return {
      region,
      check: 'certificate',
      status: 'pass',
      message: `no certificate configured: the service stack will request one for ${host} with DNS validation in ${ctx.config.dns.zone}`,
    };
  }
  return describeAndMatch(ctx, 'certificate', region, arn, host, 'API Gateway regional custom domains only accept a certificate from their own region');
}

// A certificate the stack requests validates through a CNAME in the zone: through a zone the public
// DNS does not reach it stays PENDING_VALIDATION, and CloudFormation waits until it gives up.
async function cannotValidate(ctx: CheckContext, check: CheckName, region: string, host: string): Promise<Finding | undefined> {
  const delegation = await ctx.delegation;
  if (!delegation?.blocksValidation) return undefined;
  const zone = ctx.config.dns.zone;
  return {
    region,
    check,
    status: 'fail',
    message: `the stack would request a certificate for ${host} validated through ${zone}, which the public DNS does not reach: it can never be issued, and the stack would wait for it until CloudFormation gives up`,
    fix: `${delegation.finding.fix ?? `delegate ${zone}`}; or set dns.certificateArn.${region} to an ISSUED certificate covering ${host}`,
  };
}

// The optional edge stack (config.cdn) serves the global name through CloudFront.
export async function checkEdgeCertificate(ctx: CheckContext): Promise<Finding | undefined> {
  if (!ctx.config.cdn) return undefined;
  const region = EDGE_CERTIFICATE_REGION;
  const host = globalName(ctx.config);
  const arn = ctx.config.dns.certificateArn?.[region];
  if (!arn) {
    const blocked = await cannotValidate(ctx, 'edge-certificate', region, host);
    if (blocked) return blocked;
    return {
      region,
      check: 'edge-certificate',
      status: 'pass',
      message: `the edge stack will request a certificate for ${host} in ${region} with DNS validation (CloudFront only uses certificates from ${region})`,
    };
  }
  return describeAndMatch(ctx, 'edge-certificate', region, arn, host, `CloudFront only accepts a certificate from ${region}`);
}

async function describeAndMatch(ctx: CheckContext, check: CheckName, region: string, arn: string, host: string, rule: string): Promise<Finding> {
  const zone = ctx.config.dns.zone;
  const home = arnRegion(arn);
  if (home !== region) {
    return {
      region,
      check,
      status: 'fail',
      message: `certificate ${arn} is in ${home ?? 'an unknown region'}, but ${rule} (${region})`,
      fix: requestFix(region, host, zone),
    };
  }
  let cert;
  try {
    cert = (await ctx.clients.acm(region).send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') {
      return { region, check, status: 'fail', message: `certificate ${arn} not found in ${region}`, fix: requestFix(region, host, zone) };
    }
    return couldNotCheck(region, check, `certificate ${arn}`, err);
  }
  if (cert?.Status !== 'ISSUED') {
    return {
      region,
      check,
      status: 'fail',
      message: `certificate ${arn} is ${cert?.Status ?? 'in an unknown state'}, not ISSUED`,
      fix:
        cert?.Status === 'PENDING_VALIDATION'
          ? `create the DNS validation record it asks for (aws acm describe-certificate --region ${region} --certificate-arn ${arn} --query Certificate.DomainValidationOptions) in ${zone}`
          : requestFix(region, host, zone),
    };
  }
  const names = [cert.DomainName ?? '', ...(cert.SubjectAlternativeNames ?? [])].filter((n) => n !== '');
  if (!certificateCovers(names, host)) {
    return {
      region,
      check,
      status: 'fail',
      message: `certificate ${arn} covers ${names.join(', ')} but not ${host}`,
      fix: requestFix(region, host, zone),
    };
  }
  return { region, check, status: 'pass', message: `certificate for ${host} is ISSUED in ${region}` };
}
