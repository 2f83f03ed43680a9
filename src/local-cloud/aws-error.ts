// An error the local cloud answers with, in whatever wire shape the calling protocol uses.
// `code` is the AWS error code verbatim (e.g. ResourceNotFoundException, ValidationError),
// `status` the HTTP status AWS uses for it, `sender` false for server-side faults.
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly sender = true,
    /** Extra fields some protocols put beside the message (e.g. S3 BucketName, Lambda Type). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const notImplemented = (service: string, operation: string): AwsError =>
  new AwsError(
    'NotImplemented',
    `The local cloud does not implement ${service} operation ${operation}.`,
    501,
    false,
  );

export const validation = (message: string, code = 'ValidationException'): AwsError =>
  new AwsError(code, message, 400);
