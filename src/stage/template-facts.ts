import type { TemplateDocument } from './templates.js';

// What a template will create for known parameter values, read without deploying it: enough of
// CloudFormation's condition functions to count resources and resolve the names the templates give.
// Anything that depends on a value only known at deploy time (an earlier stack's output) is
// "unknown", and a resource under an unknown condition counts as created: counts are for headroom
// checks, where an over-estimate is the safe side.

type Params = Record<string, string | undefined>;

/** The parameter values a stack gets: the template's defaults overlaid with the known ones. */
export function effectiveParameters(doc: TemplateDocument, known: Record<string, string>): Params {
  const values: Params = {};
  for (const [name, p] of Object.entries(doc.Parameters ?? {})) values[name] = p.Default === undefined ? undefined : String(p.Default);
  return { ...values, ...known };
}

function value(expr: unknown, doc: TemplateDocument, params: Params, pseudo: Params): string | boolean | undefined {
  if (typeof expr === 'string') return expr;
  if (typeof expr === 'number' || typeof expr === 'boolean') return String(expr);
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) return undefined;
  const [fn, arg] = Object.entries(expr)[0] ?? [];
  switch (fn) {
    case 'Ref':
      return typeof arg === 'string' ? (arg.startsWith('AWS::') ? pseudo[arg] : params[arg]) : undefined;
    case 'Condition':
      return typeof arg === 'string' ? condition(doc, arg, params, pseudo) : undefined;
    case 'Fn::Equals': {
      const [a, b] = (arg as unknown[]).map((x) => value(x, doc, params, pseudo));
      return a === undefined || b === undefined ? undefined : a === b;
    }
    case 'Fn::Not': {
      const v = value((arg as unknown[])[0], doc, params, pseudo);
      return v === undefined ? undefined : !v;
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const vs = (arg as unknown[]).map((x) => value(x, doc, params, pseudo));
      const decisive = fn === 'Fn::And' ? false : true;
      if (vs.includes(decisive)) return decisive;
      return vs.includes(undefined) ? undefined : !decisive;
    }
    case 'Fn::Sub': {
      if (typeof arg !== 'string') return undefined;
      let unknown = false;
      const out = arg.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
        const v = name.startsWith('AWS::') ? pseudo[name] : params[name];
        if (v === undefined) unknown = true;
        return v ?? '';
      });
      return unknown ? undefined : out;
    }
    default:
      return undefined;
  }
}

/** A named condition's value for these parameters; undefined when it depends on an unknown value. */
export function condition(doc: TemplateDocument, name: string, params: Params, pseudo: Params = {}): boolean | undefined {
  const v = value(doc.Conditions?.[name], doc, params, pseudo);
  return typeof v === 'boolean' ? v : undefined;
}

// The property that names a resource, for the types whose names a policy or a check needs.
const NAME_PROPERTY: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::Events::Rule': 'Name',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::ApiGateway::RestApi': 'Name',
  'AWS::SNS::Topic': 'TopicName',
};

export interface PlannedResource {
  logicalId: string;
  type: string;
  /** The name it gets, when the template names it from known values (else CloudFormation makes one up). */
  name?: string;
}

/** The resources a template creates for these parameters in this region (unknown conditions count as created). */
export function plannedResources(doc: TemplateDocument, params: Params, region: string): PlannedResource[] {
  const pseudo: Params = { 'AWS::Region': region };
  const out: PlannedResource[] = [];
  for (const [logicalId, r] of Object.entries(doc.Resources ?? {})) {
    if (!r.Type) continue;
    if (r.Condition && condition(doc, r.Condition, params, pseudo) === false) continue;
    const prop = NAME_PROPERTY[r.Type];
    const name = prop ? value(r.Properties?.[prop], doc, params, pseudo) : undefined;
    out.push({ logicalId, type: r.Type, ...(typeof name === 'string' ? { name } : {}) });
  }
  return out;
}

/** Every resource type a template declares, whatever its conditions (sorted, unique). */
export function declaredTypes(doc: TemplateDocument): string[] {
  return [...new Set(Object.values(doc.Resources ?? {}).flatMap((r) => (r.Type ? [r.Type] : [])))].sort();
}

/** The output keys a template declares. */
export function outputKeys(doc: TemplateDocument): string[] {
  return Object.keys(doc.Outputs ?? {});
}
