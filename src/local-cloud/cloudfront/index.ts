import { restXmlProtocol } from '../protocols/rest.js';
import type { XmlValue } from '../protocols/xml.js';
import type { ServiceFactory } from '../types.js';
import { distributionConfigView, distributionInputFromXml, distributionView } from './config.js';
import { Distributions } from './domain.js';
import { distributionResource } from './resources.js';

export { Distributions, CLOUDFRONT_HOSTED_ZONE_ID } from './domain.js';

const V = '/2020-05-31';
const XMLNS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

// CloudFront (restXml, global): the distribution control plane; the global entry is its data plane.
export const createCloudFrontService: ServiceFactory<'cloudfront'> = (ctx) => {
  const cf = new Distributions(ctx);
  const one = (id: string, status = 200) => {
    const d = cf.get(id);
    return { status, headers: { etag: d.etag, location: `https://cloudfront.amazonaws.com${V}/distribution/${d.id}` }, xml: { root: 'Distribution', value: distributionView(d, ctx.accountId, cf.status(d)), xmlns: XMLNS } };
  };
  return {
    names: ['cloudfront'],
    handle: restXmlProtocol({
      service: 'cloudfront',
      errors: 'route53',
      routes: [
        { method: 'POST', path: `${V}/distribution`, op: 'CreateDistribution', handler: async (c) => one(cf.create(distributionInputFromXml(c.xml<Record<string, XmlValue>>().DistributionConfig)).id, 201) },
        { method: 'GET', path: `${V}/distribution/{Id}`, op: 'GetDistribution', handler: async (c) => one(c.params.Id) },
        {
          method: 'GET',
          path: `${V}/distribution/{Id}/config`,
          op: 'GetDistributionConfig',
          handler: async (c) => {
            const d = cf.get(c.params.Id);
            return { headers: { etag: d.etag }, xml: { root: 'DistributionConfig', value: distributionConfigView(d), xmlns: XMLNS } };
          },
        },
        {
          method: 'PUT',
          path: `${V}/distribution/{Id}/config`,
          op: 'UpdateDistribution',
          handler: async (c) => {
            const current = cf.get(c.params.Id);
            cf.update(c.params.Id, distributionInputFromXml(c.xml<Record<string, XmlValue>>().DistributionConfig, current.callerReference), c.req.headers['if-match']);
            return one(c.params.Id);
          },
        },
        {
          method: 'DELETE',
          path: `${V}/distribution/{Id}`,
          op: 'DeleteDistribution',
          handler: async (c) => {
            cf.delete(c.params.Id, c.req.headers['if-match']);
            return { status: 204 };
          },
        },
        {
          method: 'GET',
          path: `${V}/distribution`,
          op: 'ListDistributions',
          handler: async () => {
            const all = cf.list();
            const items = all.map((d) => {
              const { DistributionConfig, InProgressInvalidationBatches: _unused, ...head } = distributionView(d, ctx.accountId, cf.status(d));
              const { CallerReference: _ref, ...summary } = DistributionConfig;
              return { ...head, ...summary, Restrictions: { GeoRestriction: { RestrictionType: 'none', Quantity: 0 } }, WebACLId: '', Staging: false };
            });
            return {
              xml: {
                root: 'DistributionList',
                value: { Marker: '', MaxItems: 100, IsTruncated: false, Quantity: items.length, Items: items.length ? { DistributionSummary: items } : undefined },
                xmlns: XMLNS,
              },
            };
          },
        },
      ],
    }),
    resources: [distributionResource(cf)],
    domain: cf,
  };
};
