export { buildBoundaryPolicy, buildIamPolicy, UnknownResourceTypeError, type PolicyDocument, type PolicyStatement } from './policy.js';
export { bundledResourceTypes, plannedResourceTypes, templateResourceTypes } from './template-types.js';
export { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS, type Grant } from './actions.js';
export { boundaryArn, plannedStacks, policyTarget, type PolicyTarget } from './target.js';
