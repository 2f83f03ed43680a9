import { validation } from '../aws-error.js';
import { ATTRIBUTE_TYPES, type AttributeValue, type Item } from './attribute-value.js';
import { isNumberString, normalizeNumber } from './decimal.js';

const SET_NAMES: Record<string, string> = { SS: 'string', NS: 'number', BS: 'binary' };

function checkNumber(text: unknown): void {
  if (typeof text !== 'string' || !isNumberString(text))
    throw validation(`The parameter cannot be converted to a numeric value: ${String(text)}`);
}

/** Reject malformed wire values the way DynamoDB does, before anything is stored. */
export function checkValue(value: AttributeValue): void {
  if (!value || typeof value !== 'object') throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (keys.length === 0) throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (keys.length > 1) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  const type = keys[0]!;
  if (!(ATTRIBUTE_TYPES as readonly string[]).includes(type))
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (type === 'N') checkNumber(value.N);
  if (type === 'NULL' && value.NULL !== true) throw validation('One or more parameter values were invalid: Null attribute value types must have the value of true');
  if (type === 'SS' || type === 'NS' || type === 'BS') {
    const set = value[type]!;
    if (set.length === 0) throw validation(`One or more parameter values were invalid: An ${SET_NAMES[type]} set  may not be empty`);
    if (type === 'NS') set.forEach(checkNumber);
    const canonical = type === 'NS' ? set.map(normalizeNumber) : set;
    if (new Set(canonical).size !== canonical.length)
      throw validation(`One or more parameter values were invalid: Input collection [${set.join(', ')}] contains duplicates.`);
  }
  if (type === 'L') value.L!.forEach(checkValue);
  if (type === 'M') Object.values(value.M!).forEach(checkValue);
}

export function checkItem(item: Item): void {
  for (const value of Object.values(item)) checkValue(value);
  // DynamoDB's limit is 400 KB of names plus values; JSON length is a close, cheap stand-in.
  if (JSON.stringify(item).length > 400 * 1024) throw validation('Item size has exceeded the maximum allowed size');
}

export function checkValues(values: Record<string, AttributeValue> | undefined): void {
  for (const value of Object.values(values ?? {})) checkValue(value);
}
