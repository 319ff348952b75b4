import { parse, type Tags } from 'yaml';

export type TemplateNode = Record<string, unknown>;

export interface TemplateResource {
  Type: string;
  Properties?: TemplateNode;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, TemplateNode>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, TemplateNode>;
}

/** CloudFormation's short tags (!Ref, !Sub, ...) read as their long forms ({ Ref }, { 'Fn::Sub' }). */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
];

const CFN_TAGS: Tags = SHORT_FORMS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (node: unknown) => {
    // Collections arrive as yaml nodes; toJSON gives plain arrays and objects.
    const value =
      typeof (node as { toJSON?: unknown })?.toJSON === 'function'
        ? (node as { toJSON(): unknown }).toJSON()
        : node;
    return { [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value };
  };
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: wrap,
  })) as Tags;
});

/** Parses a CloudFormation YAML template, short tags included. */
export function parseTemplate(text: string): CfnTemplate {
  return parse(text, { customTags: CFN_TAGS }) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, TemplateResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The text of a plain string or of an `Fn::Sub` (either form). */
export function subText(value: unknown): string {
  if (typeof value === 'string') return value;
  const sub = (value as TemplateNode | undefined)?.['Fn::Sub'];
  return typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : '';
}

export const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined;
