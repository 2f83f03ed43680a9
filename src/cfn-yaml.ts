import { parse, parseDocument, type ScalarTag, type CollectionTag } from 'yaml';

// CloudFormation's YAML short forms (!Ref, !GetAtt, !Sub ...) as yaml custom tags that turn into
// the long JSON forms ({"Ref": ...}, {"Fn::GetAtt": [...]}), so the rest of the code only ever
// sees the JSON shape that CloudFormation itself works with.
const fnNames = [
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Condition', 'Length', 'ToJsonString',
];

function tagsFor(): Array<ScalarTag | CollectionTag> {
  const tags: Array<ScalarTag | CollectionTag> = [];
  const add = (tag: string, wrap: (v: unknown) => unknown) => {
    tags.push({ tag, resolve: (v: string) => wrap(v) } as ScalarTag);
    tags.push({ tag, collection: 'seq', resolve: (v: { toJSON(): unknown }) => wrap(v.toJSON()) } as unknown as CollectionTag);
    tags.push({ tag, collection: 'map', resolve: (v: { toJSON(): unknown }) => wrap(v.toJSON()) } as unknown as CollectionTag);
  };
  add('!Ref', (v) => ({ Ref: v }));
  add('!Condition', (v) => ({ Condition: v }));
  // !GetAtt accepts "Logical.Attr" as a scalar or [Logical, Attr] as a sequence.
  add('!GetAtt', (v) => {
    if (typeof v === 'string') {
      const dot = v.indexOf('.');
      return { 'Fn::GetAtt': [v.slice(0, dot), v.slice(dot + 1)] };
    }
    return { 'Fn::GetAtt': v };
  });
  for (const name of fnNames.filter((n) => n !== 'Condition')) add(`!${name}`, (v) => ({ [`Fn::${name}`]: v }));
  return tags;
}

const customTags = tagsFor();

/** Parse a CloudFormation template written in JSON or YAML (short tags allowed). */
export function parseTemplate(text: string): Record<string, unknown> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) return JSON.parse(text);
  const doc = parseDocument(text, { customTags, uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`template is not valid YAML: ${doc.errors[0].message}`);
  const value = doc.toJS({ maxAliasCount: 1000 });
  if (value === null || typeof value !== 'object') throw new Error('template must be a mapping');
  return value;
}

export { parse as parsePlainYaml };
