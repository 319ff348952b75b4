import { readFileSync } from 'node:fs';
import { REPO_ROOT } from '@tasktracker/local/testing';
import { parse, type Tags } from 'yaml';

/** CloudFormation's short-form tags, read into their long form ({ Ref }, { 'Fn::GetAtt' }, ...). */
const FUNCTIONS = [
  'Base64',
  'Cidr',
  'And',
  'Equals',
  'FindInMap',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'GetAtt',
];

const customTags: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  ...FUNCTIONS.flatMap((name) => [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [`Fn::${name}`]: name === 'GetAtt' ? value.split('.') : value }),
    },
    {
      tag: `!${name}`,
      collection: 'seq' as const,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: (value as { toJSON(): unknown }).toJSON() }),
    },
    {
      tag: `!${name}`,
      collection: 'map' as const,
      resolve: (value: unknown) => ({ [`Fn::${name}`]: (value as { toJSON(): unknown }).toJSON() }),
    },
  ]),
];

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
}

export interface CfnTemplate {
  Parameters: Record<string, Record<string, unknown>>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, unknown>;
}

export const TEMPLATE_PATH = `${REPO_ROOT}cloudformation/tasktracker.yaml`;

export function loadTemplate(path = TEMPLATE_PATH): CfnTemplate {
  return parse(readFileSync(path, 'utf8'), { customTags }) as CfnTemplate;
}

export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}
