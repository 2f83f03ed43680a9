// DescribeAccountLimits: a fresh account's CloudFormation quotas, as AWS reports them (one page, no NextToken).
export const ACCOUNT_LIMITS: ReadonlyArray<{ Name: string; Value: number }> = [
  { Name: 'StackLimit', Value: 2000 },
  { Name: 'StackOutputsLimit', Value: 200 },
];

export function describeAccountLimits(): { AccountLimits: Array<{ Name: string; Value: number }> } {
  return { AccountLimits: ACCOUNT_LIMITS.map((l) => ({ ...l })) };
}
