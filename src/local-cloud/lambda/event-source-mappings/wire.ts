import type { RestRoute } from '../../protocols/rest.js';
import type { EventSourceMappings } from './domain.js';

const ESM = '/2015-03-31/event-source-mappings';

// Lambda's restJson1 event-source-mapping routes; the domain does the work.
export function eventSourceMappingRoutes(esm: EventSourceMappings): RestRoute[] {
  return [
    { method: 'POST', path: `${ESM}/`, op: 'CreateEventSourceMapping', handler: async (c) => ({ status: 202, json: esm.create(c.req.region, c.json()) }) },
    {
      method: 'GET',
      path: `${ESM}/`,
      op: 'ListEventSourceMappings',
      handler: async (c) => {
        const max = c.query.get('MaxItems');
        return {
          json: esm.list(c.req.region, {
            EventSourceArn: c.query.get('EventSourceArn') ?? undefined,
            FunctionName: c.query.get('FunctionName') ?? undefined,
            Marker: c.query.get('Marker') ?? undefined,
            MaxItems: max === null ? undefined : Number(max),
          }),
        };
      },
    },
    { method: 'GET', path: `${ESM}/{UUID}`, op: 'GetEventSourceMapping', handler: async (c) => ({ json: esm.get(c.req.region, c.params.UUID!) }) },
    { method: 'PUT', path: `${ESM}/{UUID}`, op: 'UpdateEventSourceMapping', handler: async (c) => ({ status: 202, json: esm.update(c.req.region, c.params.UUID!, c.json()) }) },
    { method: 'DELETE', path: `${ESM}/{UUID}`, op: 'DeleteEventSourceMapping', handler: async (c) => ({ status: 202, json: esm.delete(c.req.region, c.params.UUID!) }) },
  ];
}
