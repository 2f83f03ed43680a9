// Lambda's per-operation input constraints, checked at the wire before the domain runs, with the
// texts Lambda answers (ValidationException, "1 validation error detected: …"; member limits from
// https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html: FunctionName, Timeout
// 1–900, MemorySize 128–10240). Checks that need the domain (runtime list, role, code) stay in
// validate.ts and the domain, which CloudFormation's resources call directly.
import { awsEnum, awsInput, awsInteger, awsString } from '../protocols/validation.js';

const FUNCTION_NAME = awsString({
  pattern: [
    /^[a-zA-Z0-9-_]{1,64}$/,
    '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  ],
});

const limits = {
  Timeout: awsInteger({ min: 1, max: 900 }).optional(),
  MemorySize: awsInteger({ min: 128, max: 10240 }).optional(),
};

export const createFunctionInput = awsInput({ FunctionName: FUNCTION_NAME, ...limits });
export const updateFunctionConfigurationInput = awsInput(limits);

/** Invoke's X-Amz-Invocation-Type header, as its member. */
export const invokeInput = awsInput({ InvocationType: awsEnum(['Event', 'RequestResponse', 'DryRun']) });
