import { validation } from '../../aws-error.js';
import type { AttributeValue } from '../attribute-value.js';

/**
 * The ExpressionAttributeNames/Values of one request. DynamoDB rejects a request whose maps
 * contain an entry that none of its expressions used, so every lookup is recorded here.
 */
export class ExpressionContext {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  name(token: string): string | undefined {
    const name = this.names?.[token];
    if (name !== undefined) this.usedNames.add(token);
    return name;
  }

  value(token: string): AttributeValue | undefined {
    const value = this.values?.[token];
    if (value !== undefined) this.usedValues.add(token);
    return value;
  }

  /** Call after every expression of the request has been parsed. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length)
      throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length)
      throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}
