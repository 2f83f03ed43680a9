import { describe, expect, it } from 'vitest';
import { greeting } from '../../../src/lambdas/hello/greeting.js';
import { handler } from '../../../src/lambdas/hello/index.js';

describe('hello', () => {
  it('names the region that served the request', () => {
    const res = greeting('us-west-2');
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ message: 'Your function executed successfully in us-west-2!' });
  });

  it('handler reads the region from AWS_REGION', async () => {
    const before = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-central-1';
    try {
      const res = await handler({});
      expect(JSON.parse(res.body).message).toBe('Your function executed successfully in eu-central-1!');
    } finally {
      if (before === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = before;
    }
  });
});
