import { ping, type PingResult } from './ping.js';

// Invoked by the EventBridge schedule; Lambda puts AWS_REGION (and, on the local cloud,
// AWS_ENDPOINT_URL) in the environment, the stack puts API_ID and STAGE.
export async function handler(_event: unknown): Promise<PingResult> {
  return ping({
    env: process.env,
    fetch: (url, init) => fetch(url, init),
    log: (line) => console.log(line),
    now: Date.now,
  });
}
