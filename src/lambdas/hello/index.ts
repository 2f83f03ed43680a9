import type { ProxyEvent, ProxyResult } from '../api-gateway.js';
import { greeting } from './greeting.js';

export async function handler(_event: ProxyEvent): Promise<ProxyResult> {
  return greeting(process.env.AWS_REGION);
}
