import { AwsError } from '../aws-error.js';

export const functionArn = (region: string, accountId: string, name: string): string =>
  `arn:aws:lambda:${region}:${accountId}:function:${name}`;

export interface FunctionRef {
  region: string;
  name: string;
  qualifier?: string;
}

// Lambda accepts a name, a partial ARN (ACCOUNT:function:NAME) or a full ARN, each optionally
// qualified (:$LATEST, :alias). A full ARN names its own region, which wins over the caller's.
export function parseFunctionRef(region: string, nameOrArn: string): FunctionRef {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):\d{12}:function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(nameOrArn);
  if (full) return { region: full[1], name: full[2], qualifier: full[3] };
  const partial = /^\d{12}:function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(nameOrArn);
  if (partial) return { region, name: partial[1], qualifier: partial[2] };
  const plain = /^([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(nameOrArn);
  if (plain && plain[1].length <= 64) return { region, name: plain[1], qualifier: plain[2] };
  throw new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${nameOrArn}' at 'functionName' failed to satisfy constraint: ` +
      'Member must satisfy regular expression pattern: ' +
      '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  );
}
