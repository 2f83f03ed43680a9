import { randomUUID } from 'node:crypto';
import type { NotificationConfig, NotificationTarget } from './model.js';
import { record, text } from '../protocols/narrow.js';
import { asArray } from './xml-input.js';

const KINDS = [
  { key: 'topics', element: 'TopicConfiguration', arn: 'Topic' },
  { key: 'queues', element: 'QueueConfiguration', arn: 'Queue' },
  { key: 'lambdas', element: 'CloudFunctionConfiguration', arn: 'CloudFunction' },
] as const;

function filterRules(filter: unknown): { prefix?: string; suffix?: string } {
  const out: { prefix?: string; suffix?: string } = {};
  for (const rule of asArray(record(record(filter).S3Key).FilterRule).map(record)) {
    const name = String(rule.Name).toLowerCase();
    if (name === 'prefix' || name === 'suffix') out[name] = text(rule.Value) ?? '';
  }
  return out;
}

/** PutBucketNotificationConfiguration's XML (already parsed) → the stored form. */
export function notificationFromXml(doc: Record<string, unknown>): NotificationConfig {
  const config: NotificationConfig = { topics: [], queues: [], lambdas: [] };
  for (const kind of KINDS) {
    for (const entry of asArray(doc[kind.element]).map(record)) {
      config[kind.key].push({
        id: text(entry.Id) || randomUUID(),
        arn: String(entry[kind.arn]),
        events: asArray(entry.Event).map(String),
        ...filterRules(entry.Filter),
      });
    }
  }
  return config;
}

function targetXml(target: NotificationTarget, arnElement: string): Record<string, unknown> {
  const rules = [
    ...(target.prefix !== undefined ? [{ Name: 'Prefix', Value: target.prefix }] : []),
    ...(target.suffix !== undefined ? [{ Name: 'Suffix', Value: target.suffix }] : []),
  ];
  return { Id: target.id, [arnElement]: target.arn, Event: target.events, ...(rules.length ? { Filter: { S3Key: { FilterRule: rules } } } : {}) };
}

export function notificationToXml(config: NotificationConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kind of KINDS) out[kind.element] = config[kind.key].map((t) => targetXml(t, kind.arn));
  return out;
}
