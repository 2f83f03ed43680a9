// DynamoDB numbers are decimal strings with up to 38 significant digits; JS doubles would
// silently round them, so comparison and arithmetic work on (mantissa, exponent) BigInt pairs.

interface Decimal {
  m: bigint;
  e: number;
}

const NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export function isNumberString(text: string): boolean {
  const match = NUMBER.exec(text.trim());
  return !!match && (match[2] ?? '').length + (match[3] ?? '').length > 0;
}

function parse(text: string): Decimal {
  const match = NUMBER.exec(text.trim());
  if (!match || (match[2] ?? '') + (match[3] ?? '') === '') throw new Error(`not a number: ${text}`);
  const [, sign, int = '', frac = '', exp = '0'] = match;
  const digits = BigInt((int + frac).replace(/^0+(?=\d)/, '') || '0');
  return { m: sign === '-' ? -digits : digits, e: Number(exp) - frac.length };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const e = Math.min(a.e, b.e);
  return [a.m * 10n ** BigInt(a.e - e), b.m * 10n ** BigInt(b.e - e), e];
}

export function compareNumbers(a: string, b: string): number {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function format({ m, e }: Decimal): string {
  if (m === 0n) return '0';
  const negative = m < 0n;
  let digits = (negative ? -m : m).toString();
  let exp = e;
  while (exp < 0 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    exp++;
  }
  let text: string;
  if (exp >= 0) text = digits + '0'.repeat(exp);
  else if (digits.length > -exp) text = `${digits.slice(0, exp)}.${digits.slice(exp)}`;
  else text = `0.${'0'.repeat(-exp - digits.length)}${digits}`;
  return negative ? `-${text}` : text;
}

export function addNumbers(a: string, b: string): string {
  const [x, y, e] = align(parse(a), parse(b));
  return format({ m: x + y, e });
}

export function subtractNumbers(a: string, b: string): string {
  const [x, y, e] = align(parse(a), parse(b));
  return format({ m: x - y, e });
}

/** The canonical form DynamoDB stores and returns ("1.50" → "1.5", "1e2" → "100"). */
export function normalizeNumber(text: string): string {
  return format(parse(text));
}
