// Splits a DynamoDB expression into tokens. Keywords are recognised case-insensitively by the
// parser, not here, because `a.and` is a legal path but `a AND b` is a conjunction.

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'number' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const OPERATORS = ['<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', '[', ']', '+', '-'];

export class ExpressionSyntaxError extends Error {
  constructor(
    readonly token: string,
    readonly near: string,
  ) {
    super(`Syntax error; token: "${token}", near: "${near}"`);
  }
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '#' || ch === ':') {
      i++;
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      if (i === start + 1) throw new ExpressionSyntaxError(ch, source.slice(Math.max(0, start - 5), start + 2).trim());
      tokens.push({ kind: ch === '#' ? 'attrName' : 'attrValue', text: source.slice(start, i), pos: start });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      tokens.push({ kind: 'number', text: source.slice(start, i), pos: start });
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', text: source.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (!op) throw new ExpressionSyntaxError(ch, source.slice(Math.max(0, i - 5), i + 5).trim());
    tokens.push({ kind: 'op', text: op, pos: start });
    i += op.length;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: source.length });
  return tokens;
}
