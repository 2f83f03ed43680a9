import { describe, expect, it } from 'vitest';
import { executeApiUrl } from '../../../src/aws/endpoints.js';
import { checkUrl } from '../../../src/lambdas/canary/check-url.js';

describe('canary checkUrl', () => {
  it('calls the execute-api host of its own region on AWS', () => {
    expect(checkUrl({ API_ID: 'a1b2c3', STAGE: 'dev', AWS_REGION: 'eu-west-1' })).toBe(
      'https://a1b2c3.execute-api.eu-west-1.amazonaws.com/dev/check',
    );
  });

  it('uses the /restapis form behind AWS_ENDPOINT_URL, trailing slash or not', () => {
    const env = { API_ID: 'abc', STAGE: 'prod', AWS_REGION: 'us-west-2' };
    expect(checkUrl({ ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' })).toBe('http://127.0.0.1:4566/restapis/abc/prod/_user_request_/check');
    expect(checkUrl({ ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' })).toBe('http://127.0.0.1:4566/restapis/abc/prod/_user_request_/check');
  });

  it('treats an empty AWS_ENDPOINT_URL as unset', () => {
    expect(checkUrl({ API_ID: 'x', STAGE: 's', AWS_REGION: 'sa-east-1', AWS_ENDPOINT_URL: '' })).toBe('https://x.execute-api.sa-east-1.amazonaws.com/s/check');
  });

  it('agrees with executeApiUrl, which the CLI uses for the same URL', () => {
    for (const endpoint of [undefined, 'http://localhost:4566', 'http://localhost:4566/']) {
      const env = { API_ID: 'q9', STAGE: 'dev', AWS_REGION: 'ap-southeast-2', AWS_ENDPOINT_URL: endpoint };
      expect(checkUrl(env)).toBe(executeApiUrl({ endpoint, apiId: 'q9', region: 'ap-southeast-2', stage: 'dev', path: '/check' }));
    }
  });

  it('names the missing variable', () => {
    expect(() => checkUrl({ STAGE: 'dev', AWS_REGION: 'us-east-1' })).toThrow('API_ID is not set');
    expect(() => checkUrl({ API_ID: 'a', AWS_REGION: 'us-east-1' })).toThrow('STAGE is not set');
    expect(() => checkUrl({ API_ID: 'a', STAGE: 'dev' })).toThrow('AWS_REGION is not set');
  });
});
