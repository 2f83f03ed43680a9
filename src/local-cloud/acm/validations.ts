// ACM's per-operation input constraints, checked at the wire before the domain runs
// (ValidationException, "1 validation error detected: …"). Constraints are each operation's Request
// Parameters: https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html,
// API_DescribeCertificate, API_ListCertificates, API_DeleteCertificate.
import { z } from 'zod';
import { awsEnum, awsInput, awsInteger, awsList, awsString } from '../protocols/validation.js';

const DOMAIN = '^(\\*\\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$';
const DOMAIN_NAME = awsString({ pattern: [new RegExp(DOMAIN), DOMAIN], min: 1, max: 253 });
const ARN = 'arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*';
const CERTIFICATE_ARN = awsString({ pattern: [new RegExp(`^(?:${ARN})$`), ARN], min: 20, max: 2048 });
const STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'] as const;
const tag = awsInput({ Key: awsString({ min: 1, max: 128 }), Value: awsString({ max: 256 }).optional() });

export const acmInputs = {
  RequestCertificate: awsInput({
    DomainName: DOMAIN_NAME,
    ValidationMethod: awsEnum(['EMAIL', 'DNS', 'HTTP']).optional(),
    SubjectAlternativeNames: awsList(DOMAIN_NAME, { min: 1, max: 100 }).optional(),
    IdempotencyToken: awsString({ pattern: [/^\w+$/, '\\w+'], min: 1, max: 32 }).optional(),
    DomainValidationOptions: awsList(awsInput({ DomainName: DOMAIN_NAME, ValidationDomain: DOMAIN_NAME }), { min: 1, max: 100 }).optional(),
    Options: z.unknown().optional(),
    CertificateAuthorityArn: awsString({ min: 20, max: 2048 }).optional(),
    Tags: awsList(tag, { min: 1, max: 50 }).optional(),
    KeyAlgorithm: awsEnum(['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1']).optional(),
    ManagedBy: z.unknown().optional(),
  }),
  DescribeCertificate: awsInput({ CertificateArn: CERTIFICATE_ARN }),
  ListCertificates: awsInput({
    CertificateStatuses: awsList(awsEnum(STATUSES)).optional(),
    Includes: z.unknown().optional(),
    NextToken: awsString({ min: 1, max: 10000 }).optional(),
    MaxItems: awsInteger({ min: 1, max: 1000 }).optional(),
  }),
  DeleteCertificate: awsInput({ CertificateArn: CERTIFICATE_ARN }),
};
