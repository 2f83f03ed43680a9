import type { ServiceFactory } from '../types.js';
import { queryProtocol } from '../protocols/query.js';
import { Iam } from './domain.js';
import { iamResources } from './resources.js';
import { iamOps } from './wire.js';

export { Iam } from './domain.js';
export { validatePolicyDocument } from './policy-document.js';

/** IAM (awsQuery, global): roles, inline and managed policies, and their CloudFormation resources. */
export const createIamService: ServiceFactory<'iam'> = (ctx) => {
  const domain = new Iam(ctx);
  return {
    names: ['iam'],
    handle: queryProtocol({ service: 'iam', xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/', ops: iamOps(domain) }),
    resources: iamResources(domain),
    domain,
  };
};
