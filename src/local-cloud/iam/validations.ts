// IAM's per-operation input constraints, checked at the wire before the domain runs. IAM refuses a
// broken one with ValidationError, "1 validation error detected: Value 'a b' at 'roleName' failed to
// satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+". Constraints are
// each operation's Request Parameters: https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
// (and API_GetRole, API_UpdateRole, API_PutRolePolicy, API_CreatePolicy, API_AttachRolePolicy, …; Tag:
// API_Tag.html). awsQuery sends every value as text: numbers go through queryInteger.
import { awsInput, awsString, queryInteger, queryList } from '../protocols/validation.js';

export const IAM_VALIDATION = 'ValidationError';

const NAME = '[\\w+=,.@-]+';
const name = (max: number) => awsString({ pattern: [new RegExp(`^${NAME}$`), NAME], min: 1, max });
const ROLE_NAME = name(64);
const POLICY_NAME = name(128);
const ARN = awsString({ min: 20, max: 2048 });
const POLICY_DOCUMENT = awsString({
  pattern: [/^[\u0009\u000A\u000D\u0020-\u00FF]+$/, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+'],
  min: 1,
  max: 131072,
});
const PATH_PATTERN = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
const PATH = awsString({ pattern: [/^(?:\/|\/[\u0021-\u007E]+\/)$/, PATH_PATTERN], min: 1, max: 512 });
const PATH_PREFIX = awsString({ pattern: [/^\/[\u0021-\u007F]*$/, '\\u002F[\\u0021-\\u007F]*'], min: 1, max: 512 });
const DESCRIPTION = awsString({ pattern: [/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/, '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*'], max: 1000 });
const TAG_TEXT = '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]';
const tag = awsInput({
  Key: awsString({ pattern: [new RegExp(`^${TAG_TEXT}+$`, 'u'), `${TAG_TEXT}+`], min: 1, max: 128 }),
  Value: awsString({ pattern: [new RegExp(`^${TAG_TEXT}*$`, 'u'), `${TAG_TEXT}*`], max: 256 }),
});
const MARKER = awsString({ min: 1, max: 320 });
const MAX_ITEMS = queryInteger({ min: 1, max: 1000 });
const role = { RoleName: ROLE_NAME };
const paging = { Marker: MARKER.optional(), MaxItems: MAX_ITEMS.optional() };

export const iamInputs = {
  CreateRole: awsInput({
    RoleName: ROLE_NAME,
    AssumeRolePolicyDocument: POLICY_DOCUMENT,
    Path: PATH.optional(),
    Description: DESCRIPTION.optional(),
    MaxSessionDuration: queryInteger({ min: 3600, max: 43200 }).optional(),
    PermissionsBoundary: ARN.optional(),
    Tags: queryList(tag, { max: 50 }).optional(),
  }),
  GetRole: awsInput(role),
  DeleteRole: awsInput(role),
  ListRoles: awsInput({ PathPrefix: PATH_PREFIX.optional(), ...paging }),
  UpdateRole: awsInput({ ...role, Description: DESCRIPTION.optional(), MaxSessionDuration: queryInteger({ min: 3600, max: 43200 }).optional() }),
  PutRolePermissionsBoundary: awsInput({ ...role, PermissionsBoundary: ARN }),
  DeleteRolePermissionsBoundary: awsInput(role),
  UpdateAssumeRolePolicy: awsInput({ ...role, PolicyDocument: POLICY_DOCUMENT }),
  PutRolePolicy: awsInput({ ...role, PolicyName: POLICY_NAME, PolicyDocument: POLICY_DOCUMENT }),
  GetRolePolicy: awsInput({ ...role, PolicyName: POLICY_NAME }),
  DeleteRolePolicy: awsInput({ ...role, PolicyName: POLICY_NAME }),
  ListRolePolicies: awsInput({ ...role, ...paging }),
  AttachRolePolicy: awsInput({ ...role, PolicyArn: ARN }),
  DetachRolePolicy: awsInput({ ...role, PolicyArn: ARN }),
  ListAttachedRolePolicies: awsInput({ ...role, PathPrefix: PATH_PREFIX.optional(), ...paging }),
  CreatePolicy: awsInput({
    PolicyName: POLICY_NAME,
    PolicyDocument: POLICY_DOCUMENT,
    Path: PATH.optional(),
    Description: awsString({ max: 1000 }).optional(),
    Tags: queryList(tag, { max: 50 }).optional(),
  }),
  GetPolicy: awsInput({ PolicyArn: ARN }),
  DeletePolicy: awsInput({ PolicyArn: ARN }),
};
