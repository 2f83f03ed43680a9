// ACM through the real SDK: certificates are ISSUED at once, with DNS validation records.
import { ACMClient, DeleteCertificateCommand, DescribeCertificateCommand, ListCertificatesCommand, RequestCertificateCommand, ResourceNotFoundException } from '@aws-sdk/client-acm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAcmService } from '../../../src/local-cloud/acm/index.js';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let acm: ACMClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createAcmService] });
  acm = new ACMClient({ endpoint: cloud.url, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  acm.destroy();
  await cloud.close();
});

describe('ACM', () => {
  it('requests, describes, lists and deletes a certificate', async () => {
    const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: 'dev-shop.example.com', SubjectAlternativeNames: ['*.example.com'], ValidationMethod: 'DNS', IdempotencyToken: 'tok' }));
    expect(CertificateArn).toMatch(/^arn:aws:acm:eu-west-1:000000000000:certificate\/[0-9a-f-]{36}$/);
    expect((await acm.send(new RequestCertificateCommand({ DomainName: 'dev-shop.example.com', IdempotencyToken: 'tok' }))).CertificateArn).toBe(CertificateArn);
    const { Certificate } = await acm.send(new DescribeCertificateCommand({ CertificateArn }));
    expect(Certificate).toMatchObject({ Status: 'ISSUED', DomainName: 'dev-shop.example.com', SubjectAlternativeNames: ['dev-shop.example.com', '*.example.com'] });
    expect(Certificate?.CreatedAt).toEqual(new Date(Date.UTC(2026, 0, 1)));
    expect(Certificate?.DomainValidationOptions?.[0]).toMatchObject({ ValidationStatus: 'SUCCESS', ResourceRecord: { Type: 'CNAME' } });
    expect(Certificate?.DomainValidationOptions?.[0].ResourceRecord?.Name).toMatch(/^_[0-9a-f]{32}\.dev-shop\.example\.com\.$/);
    const list = await acm.send(new ListCertificatesCommand({}));
    expect(list.CertificateSummaryList?.map((c) => c.CertificateArn)).toEqual([CertificateArn]);
    await acm.send(new DeleteCertificateCommand({ CertificateArn }));
    await expect(acm.send(new DescribeCertificateCommand({ CertificateArn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
