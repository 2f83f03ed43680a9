import { restJsonProtocol, type RestRoute } from '../protocols/rest.js';
import type { ServiceFactory } from '../types.js';
import { AccountRegions, type AccountState } from './domain.js';
import { dict, keyedState } from '../keyed.js';

// AWS Account Management (signing name 'account', restJson1, global): region opt-in status.
export const createAccountService: ServiceFactory<'account'> = (ctx) => {
  const state = keyedState<AccountState>(ctx.state, 'account', () => ({ changes: dict() }));
  const regions = new AccountRegions(state, ctx.clock);
  const route = (path: string, op: string, handler: (body: { RegionName: string }) => unknown): RestRoute => ({
    method: 'POST',
    path,
    op,
    handler: async (call) => {
      const out = handler(call.json());
      return out === undefined ? { status: 200 } : { json: out };
    },
  });
  return {
    names: ['account'],
    handle: restJsonProtocol({
      service: 'account',
      routes: [
        route('/getRegionOptStatus', 'GetRegionOptStatus', (b) => ({ RegionName: b.RegionName, RegionOptStatus: regions.status(b.RegionName) })),
        route('/listRegions', 'ListRegions', () => ({ Regions: regions.list() })),
        route('/enableRegion', 'EnableRegion', (b) => {
          regions.enable(b.RegionName);
          ctx.state.changed('account', 'changes', b.RegionName);
        }),
        route('/disableRegion', 'DisableRegion', (b) => {
          regions.disable(b.RegionName);
          ctx.state.changed('account', 'changes', b.RegionName);
        }),
      ],
    }),
    domain: regions,
  };
};
