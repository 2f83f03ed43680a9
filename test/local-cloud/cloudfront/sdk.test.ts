// CloudFront distributions through the real SDK.
import {
  CloudFrontClient,
  CreateDistributionCommand,
  DeleteDistributionCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListDistributionsCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/local-cloud/clock.js';
import { createCloudFrontService } from '../../../src/local-cloud/cloudfront/index.js';
import { startLocalCloud, type LocalCloud } from '../../../src/local-cloud/server.js';

let cloud: LocalCloud;
let cf: CloudFrontClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, clock: new ManualClock(), services: [createCloudFrontService] });
  cf = new CloudFrontClient({ endpoint: cloud.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
});

afterAll(async () => {
  cf.destroy();
  await cloud.close();
});

describe('CloudFront', () => {
  it('creates, reads, lists, disables and deletes a distribution', async () => {
    const created = await cf.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: 'edge-1',
          Comment: 'global entry',
          Enabled: true,
          Aliases: { Quantity: 1, Items: ['www.example.com'] },
          Origins: { Quantity: 1, Items: [{ Id: 'api', DomainName: 'dev-shop.example.com', OriginPath: '', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
          DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'redirect-to-https' },
        },
      }),
    );
    const d = created.Distribution!;
    expect(d.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(d.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(d.Status).toBe('Deployed');
    expect(d.DistributionConfig?.Origins?.Items?.[0].DomainName).toBe('dev-shop.example.com');
    expect(d.DistributionConfig?.Aliases?.Items).toEqual(['www.example.com']);
    expect(cloud.service('cloudfront').distributionForDomain('www.example.com')?.originDomainName).toBe('dev-shop.example.com');

    const got = await cf.send(new GetDistributionCommand({ Id: d.Id }));
    expect(got.ETag).toBe(created.ETag);
    const list = await cf.send(new ListDistributionsCommand({}));
    expect(list.DistributionList?.Items?.map((i) => i.Id)).toEqual([d.Id]);

    await expect(cf.send(new DeleteDistributionCommand({ Id: d.Id, IfMatch: got.ETag }))).rejects.toMatchObject({ name: 'DistributionNotDisabled' });
    const config = await cf.send(new GetDistributionConfigCommand({ Id: d.Id }));
    const updated = await cf.send(new UpdateDistributionCommand({ Id: d.Id, IfMatch: config.ETag, DistributionConfig: { ...config.DistributionConfig!, Enabled: false } }));
    expect(updated.Distribution?.DistributionConfig?.Enabled).toBe(false);
    await cf.send(new DeleteDistributionCommand({ Id: d.Id, IfMatch: updated.ETag }));
    await expect(cf.send(new GetDistributionCommand({ Id: d.Id }))).rejects.toMatchObject({ name: 'NoSuchDistribution' });
  });
});
