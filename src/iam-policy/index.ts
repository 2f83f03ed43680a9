export { buildIamPolicy, UnknownResourceTypeError, type PolicyDocument, type PolicyStatement } from './policy.js';
export { bundledResourceTypes } from './template-types.js';
export { RESOURCE_TYPE_GRANTS, SDK_COMMAND_GRANTS, type Grant } from './actions.js';
