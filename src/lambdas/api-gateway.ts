// The parts of API Gateway's Lambda proxy contract the bundled handlers use (payload format 1.0),
// declared here so the bundles need no @types/aws-lambda.
export interface ProxyEvent {
  httpMethod?: string;
  path?: string;
  headers?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
}

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}
