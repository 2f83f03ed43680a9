import { queryProtocol } from '../protocols/query.js';
import type { ServiceFactory } from '../types.js';

export const LOCAL_USER_NAME = 'regionctl-local';

/** STS: who the caller is. Every credential maps to one IAM user of the local account. */
export class StsDomain {
  constructor(private readonly accountId: string) {}

  getCallerIdentity(): { Account: string; Arn: string; UserId: string } {
    return {
      UserId: 'AIDALOCALCLOUD0000000',
      Account: this.accountId,
      Arn: `arn:aws:iam::${this.accountId}:user/${LOCAL_USER_NAME}`,
    };
  }
}

export const createStsService: ServiceFactory<'sts'> = (ctx) => {
  const domain = new StsDomain(ctx.accountId);
  return {
    names: ['sts'],
    handle: queryProtocol({
      service: 'sts',
      xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
      ops: { GetCallerIdentity: async () => domain.getCallerIdentity() },
    }),
    domain,
  };
};
