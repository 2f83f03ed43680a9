import { validation, type AwsError } from '../../aws-error.js';
import { compareValues, typeOf } from '../attribute-value.js';
import type { Comparator, Condition, ConditionFunction, Operand, Path, UpdateActions, UpdateValue, ValueRef } from './ast.js';
import type { ExpressionContext } from './context.js';
import { isReservedWord } from './reserved-words.js';
import { ExpressionSyntaxError, tokenize, type Token } from './tokenizer.js';

export type ExpressionLabel =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

const COMPARATORS: readonly string[] = ['=', '<>', '<', '<=', '>', '>='];
const CONDITION_FUNCTIONS: Record<ConditionFunction, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
};

// Recursive descent over one expression. DynamoDB's precedence, loosest first:
// OR, AND, NOT, then comparisons / BETWEEN / IN / functions, then parentheses.
class Parser {
  private tokens: Token[];
  private pos = 0;

  constructor(
    private readonly source: string,
    private readonly ctx: ExpressionContext,
    private readonly label: ExpressionLabel,
  ) {
    try {
      this.tokens = tokenize(source);
    } catch (err) {
      throw this.wrap(err);
    }
  }

  fail(message: string): AwsError {
    return validation(`Invalid ${this.label}: ${message}`);
  }

  private wrap(err: unknown): unknown {
    return err instanceof ExpressionSyntaxError ? this.fail(err.message) : err;
  }

  private syntaxError(): AwsError {
    const token = this.peek();
    const prev = this.tokens[this.pos - 1];
    const near = this.source.slice(prev ? prev.pos : token.pos, token.pos + (token.kind === 'eof' ? 0 : token.text.length));
    return this.fail(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  private isOp(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'op' && t.text === text;
  }

  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }

  private expectOp(text: string): void {
    if (!this.isOp(text)) throw this.syntaxError();
    this.next();
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.syntaxError();
    this.next();
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  expectEnd(): void {
    if (!this.atEnd()) throw this.syntaxError();
  }

  private pathElementName(token: Token): string {
    if (token.kind === 'attrName') {
      const name = this.ctx.name(token.text);
      if (name === undefined)
        throw this.fail(`An expression attribute name used in the document path is not defined; attribute name: ${token.text}`);
      return name;
    }
    if (token.kind === 'name') {
      if (isReservedWord(token.text)) throw this.fail(`Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
      return token.text;
    }
    this.pos--;
    throw this.syntaxError();
  }

  path(): Path {
    const elements: Array<string | number> = [this.pathElementName(this.next())];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        elements.push(this.pathElementName(this.next()));
      } else if (this.isOp('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') {
          this.pos--;
          throw this.syntaxError();
        }
        elements.push(Number(index.text));
        this.expectOp(']');
      } else {
        return { kind: 'path', elements };
      }
    }
  }

  valueRef(): ValueRef {
    const token = this.next();
    const value = this.ctx.value(token.text);
    if (value === undefined)
      throw this.fail(`An expression attribute value used in expression is not defined; attribute value: ${token.text}`);
    return { kind: 'value', name: token.text, value };
  }

  private operand(): Operand {
    const t = this.peek();
    if (t.kind === 'attrValue') return this.valueRef();
    if (t.kind === 'name' && this.isOp('(', 1)) {
      if (t.text !== 'size') {
        if (Object.hasOwn(CONDITION_FUNCTIONS, t.text)) throw this.fail(`The function is not allowed to be used this way in an expression; function: ${t.text}`);
        throw this.fail(`Invalid function name; function: ${t.text}`);
      }
      this.next();
      this.next();
      const arg = this.operand();
      if (arg.kind !== 'path') throw this.fail('Incorrect operand type for operator or function; operator or function: size, operand type: ' + typeOfOperand(arg));
      this.expectOp(')');
      return { kind: 'size', path: arg };
    }
    if (t.kind === 'name' || t.kind === 'attrName') return this.path();
    throw this.syntaxError();
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isOp('(')) {
      this.next();
      const inner = this.condition();
      this.expectOp(')');
      return inner;
    }
    const t = this.peek();
    if (t.kind === 'name' && this.isOp('(', 1) && Object.hasOwn(CONDITION_FUNCTIONS, t.text)) return this.conditionFunction();
    const subject = this.operand();
    const op = this.peek();
    if (op.kind === 'op' && COMPARATORS.includes(op.text)) {
      this.next();
      return { kind: 'compare', op: op.text as Comparator, left: subject, right: this.operand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      this.expectKeyword('AND');
      const high = this.operand();
      checkBetweenBounds(this, low, high);
      return { kind: 'between', subject, low, high };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectOp('(');
      const list = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expectOp(')');
      return { kind: 'in', subject, list };
    }
    throw this.syntaxError();
  }

  private conditionFunction(): Condition {
    const name = this.next().text as ConditionFunction;
    this.expectOp('(');
    const args: Operand[] = [];
    if (!this.isOp(')')) {
      args.push(this.operand());
      while (this.isOp(',')) {
        this.next();
        args.push(this.operand());
      }
    }
    this.expectOp(')');
    if (args.length !== CONDITION_FUNCTIONS[name])
      throw this.fail(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    if (args[0]!.kind !== 'path') throw this.fail(`Operator or function requires a document path; operator or function: ${name}`);
    const second = args[1];
    if (name === 'attribute_type') {
      const type = second?.kind === 'value' ? second.value.S : undefined;
      if (second?.kind === 'value' && !['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M'].includes(type ?? ''))
        throw this.fail(`Invalid attribute type name found; type: ${type ?? typeOfOperand(second)}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
    }
    if (name === 'begins_with' && second?.kind === 'value' && !['S', 'B'].includes(typeOf(second.value)))
      throw this.fail(`Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${typeOf(second.value)}`);
    return { kind: 'function', name, args };
  }

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    if (this.atEnd()) throw this.syntaxError();
    while (!this.atEnd()) {
      const clause = this.peek();
      const word = clause.kind === 'name' ? clause.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(word)) throw this.syntaxError();
      if (seen.has(word)) throw this.fail(`The "${word}" section can only be used once in an update expression;`);
      seen.add(word);
      this.next();
      do {
        if (word === 'SET') {
          const path = this.path();
          this.expectOp('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (word === 'REMOVE') {
          actions.remove.push(this.path());
        } else {
          const path = this.path();
          if (this.peek().kind !== 'attrValue') throw this.syntaxError();
          actions[word === 'ADD' ? 'add' : 'delete'].push({ path, value: this.valueRef() });
        }
      } while (this.isOp(',') && this.next());
    }
    return actions;
  }

  private setValue(): UpdateValue {
    const left = this.setOperand();
    if (this.isOp('+') || this.isOp('-')) {
      const kind = this.next().text === '+' ? 'plus' : 'minus';
      return { kind, left, right: this.setOperand() };
    }
    return left;
  }

  private setOperand(): UpdateValue {
    const t = this.peek();
    if (t.kind === 'attrValue') return this.valueRef();
    if (t.kind === 'name' && this.isOp('(', 1)) {
      this.next();
      this.next();
      if (t.text === 'if_not_exists') {
        const path = this.setOperand();
        if (path.kind !== 'path') throw this.fail('Operator or function requires a document path; operator or function: if_not_exists');
        this.expectOp(',');
        const fallback = this.setValue();
        this.expectOp(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      if (t.text === 'list_append') {
        const first = this.setValue();
        this.expectOp(',');
        const second = this.setValue();
        this.expectOp(')');
        return { kind: 'list_append', first, second };
      }
      if (Object.hasOwn(CONDITION_FUNCTIONS, t.text) || t.text === 'size')
        throw this.fail(`The function is not allowed in an update expression; function: ${t.text}`);
      throw this.fail(`Invalid function name; function: ${t.text}`);
    }
    return this.path();
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.isOp(',')) {
      this.next();
      paths.push(this.path());
    }
    return paths;
  }
}

function typeOfOperand(op: Operand): string {
  return op.kind === 'value' ? typeOf(op.value) : op.kind;
}

function checkBetweenBounds(parser: Parser, low: Operand, high: Operand): void {
  if (low.kind !== 'value' || high.kind !== 'value') return;
  const order = compareValues(low.value, high.value);
  if (order !== undefined && order > 0)
    throw parser.fail(
      `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {${typeOf(low.value)}:${Object.values(low.value)[0]}}, upper bound operand: AttributeValue: {${typeOf(high.value)}:${Object.values(high.value)[0]}}`,
    );
}

function run<T>(source: string, ctx: ExpressionContext, label: ExpressionLabel, body: (p: Parser) => T): T {
  if (source.trim() === '') throw validation(`Invalid ${label}: The expression can not be empty;`);
  const parser = new Parser(source, ctx, label);
  const result = body(parser);
  parser.expectEnd();
  return result;
}

export function parseCondition(source: string, ctx: ExpressionContext, label: ExpressionLabel = 'ConditionExpression'): Condition {
  return run(source, ctx, label, (p) => p.condition());
}

export function parseUpdate(source: string, ctx: ExpressionContext): UpdateActions {
  return run(source, ctx, 'UpdateExpression', (p) => p.update());
}

export function parseProjection(source: string, ctx: ExpressionContext): Path[] {
  return run(source, ctx, 'ProjectionExpression', (p) => p.projection());
}
