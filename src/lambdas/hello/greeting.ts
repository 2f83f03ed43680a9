import type { ProxyResult } from '../api-gateway.js';

// The sample service's answer: which region served the request is the whole point of the demo.
export function greeting(region: string | undefined): ProxyResult {
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ message: `Your function executed successfully in ${region ?? 'unknown'}!` }),
  };
}
