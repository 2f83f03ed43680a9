import type { MethodRecord, ResourceRecord } from './model.js';

export interface RouteMatch {
  resource: ResourceRecord;
  method?: MethodRecord;
  pathParameters: Record<string, string>;
}

const PARAM = /^\{([^}+]+)\}$/;
const GREEDY = /^\{([^}+]+)\+\}$/;

// API Gateway's precedence: a literal path part beats {param}, which beats {proxy+}; a greedy part
// needs at least one segment. ANY answers methods the resource does not declare explicitly.
export function matchRoute(resources: ResourceRecord[], method: string, path: string): RouteMatch | undefined {
  const root = resources.find((r) => r.parentId === undefined);
  if (!root) return undefined;
  const children = new Map<string, ResourceRecord[]>();
  for (const r of resources) {
    if (r.parentId === undefined) continue;
    children.set(r.parentId, [...(children.get(r.parentId) ?? []), r]);
  }
  // The path arrives already URI-decoded (the front door decodes it once).
  const segments = path.split('/').filter((s) => s !== '');

  const walk = (node: ResourceRecord, i: number, params: Record<string, string>): RouteMatch | undefined => {
    if (i === segments.length) return { resource: node, pathParameters: params };
    const kids = children.get(node.id) ?? [];
    const literal = kids.find((k) => k.pathPart === segments[i]);
    const viaLiteral = literal && walk(literal, i + 1, params);
    if (viaLiteral) return viaLiteral;
    for (const k of kids) {
      const m = PARAM.exec(k.pathPart ?? '');
      const found = m && walk(k, i + 1, { ...params, [m[1]]: segments[i] });
      if (found) return found;
    }
    for (const k of kids) {
      const m = GREEDY.exec(k.pathPart ?? '');
      if (m) return { resource: k, pathParameters: { ...params, [m[1]]: segments.slice(i).join('/') } };
    }
    return undefined;
  };

  const found = walk(root, 0, {});
  if (!found) return undefined;
  const methods = found.resource.resourceMethods;
  return { ...found, method: methods[method.toUpperCase()] ?? methods.ANY };
}
