import type { RestRoute } from '../protocols/rest.js';
import type { DomainNames } from './domain-names.js';

const D = '/domainnames/{domain_name}';

// Custom domain name and base path mapping routes (restJson1).
export function domainNameRoutes(names: DomainNames): RestRoute[] {
  return [
    { method: 'POST', path: '/domainnames', op: 'CreateDomainName', handler: async (c) => ({ status: 201, json: names.create(c.req.region, c.json()) }) },
    { method: 'GET', path: '/domainnames', op: 'GetDomainNames', handler: async (c) => ({ json: names.list(c.req.region) }) },
    { method: 'GET', path: D, op: 'GetDomainName', handler: async (c) => ({ json: names.get(c.req.region, c.params.domain_name) }) },
    {
      method: 'DELETE',
      path: D,
      op: 'DeleteDomainName',
      handler: async (c) => {
        names.delete(c.req.region, c.params.domain_name);
        return { status: 202 };
      },
    },
    { method: 'POST', path: `${D}/basepathmappings`, op: 'CreateBasePathMapping', handler: async (c) => ({ status: 201, json: names.createMapping(c.req.region, c.params.domain_name, c.json()) }) },
    { method: 'GET', path: `${D}/basepathmappings`, op: 'GetBasePathMappings', handler: async (c) => ({ json: names.listMappings(c.req.region, c.params.domain_name) }) },
    { method: 'GET', path: `${D}/basepathmappings/{base_path}`, op: 'GetBasePathMapping', handler: async (c) => ({ json: names.getMapping(c.req.region, c.params.domain_name, c.params.base_path) }) },
    {
      method: 'DELETE',
      path: `${D}/basepathmappings/{base_path}`,
      op: 'DeleteBasePathMapping',
      handler: async (c) => {
        names.deleteMapping(c.req.region, c.params.domain_name, c.params.base_path);
        return { status: 202 };
      },
    },
  ];
}
