import { AwsProvider } from '../../src/aws/provider.js';
import { configSchema, type ResolvedConfig } from '../../src/config/schema.js';
import type { DoctorClients } from '../../src/doctor/types.js';

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** A validated config as loadConfig would return it, without a file. */
export function testConfig(raw: Record<string, unknown>): ResolvedConfig {
  return { ...configSchema.parse({ service: 'shop', stage: 'test', ...raw }), file: null, dir: '/tmp' };
}

/** Provider and doctor clients pointed at an endpoint, with few retries so failures are quick. */
export function clientsFor(endpoint: string): { aws: AwsProvider; clients: DoctorClients; close(): void } {
  const aws = new AwsProvider({ endpoint, credentials, env: {}, maxAttempts: 1 });
  return {
    aws,
    clients: aws,
    close() {
      aws.close();
    },
  };
}
