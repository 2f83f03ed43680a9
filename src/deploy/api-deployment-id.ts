import { createHash } from 'node:crypto';

type Template = { Resources?: Record<string, { Type?: string; Properties?: unknown; DependsOn?: string | string[] }>; Outputs?: unknown; Conditions?: unknown };

// An AWS::ApiGateway::Deployment is a snapshot taken when the resource is created: CloudFormation
// never re-snapshots it when methods change, so API edits would silently stay unpublished. Suffixing
// its logical id with a hash of the API's definition replaces it exactly when the API changed
// (the same trick as CDK's and the Serverless Framework's), and leaves it alone otherwise.
export function pinApiDeployments<T extends Template>(template: T): T {
  const resources = template.Resources ?? {};
  const api = Object.entries(resources)
    .filter(([, r]) => r.Type?.startsWith('AWS::ApiGateway::') && r.Type !== 'AWS::ApiGateway::Deployment' && r.Type !== 'AWS::ApiGateway::Stage')
    .sort(([a], [b]) => a.localeCompare(b));
  const renames = new Map<string, string>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::ApiGateway::Deployment') continue;
    const digest = createHash('sha256').update(JSON.stringify({ api, deployment: r })).digest('hex').slice(0, 8).toUpperCase();
    renames.set(id, `${id}${digest}`);
  }
  if (renames.size === 0) return template;
  const renamed: Record<string, unknown> = {};
  for (const [id, r] of Object.entries(resources)) renamed[renames.get(id) ?? id] = rewrite(r, renames);
  return { ...template, Resources: renamed, Outputs: rewrite(template.Outputs, renames) } as T;
}

// Point every Ref, GetAtt, Sub variable and DependsOn at the new logical ids.
function rewrite(value: unknown, renames: Map<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewrite(v, renames));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'Ref' && typeof v === 'string') out[key] = renames.get(v) ?? v;
    else if (key === 'Fn::GetAtt' && Array.isArray(v)) out[key] = [renames.get(v[0]) ?? v[0], ...v.slice(1)];
    else if (key === 'Fn::Sub') out[key] = Array.isArray(v) ? [renameInSub(v[0], renames), rewrite(v[1], renames)] : renameInSub(v as string, renames);
    else if (key === 'DependsOn') out[key] = Array.isArray(v) ? v.map((d) => renames.get(d) ?? d) : (renames.get(v as string) ?? v);
    else out[key] = rewrite(v, renames);
  }
  return out;
}

function renameInSub(text: string, renames: Map<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9]+)((?:\.[A-Za-z0-9.]+)?)\}/g, (whole, id: string, attr: string) => {
    const to = renames.get(id);
    return to ? `\${${to}${attr}}` : whole;
  });
}
