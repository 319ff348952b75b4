import { TaskTrackerError } from '@tasktracker/core';
import type { CfnTemplate, TemplateNode, TemplateResource } from '../template/parse.ts';

/**
 * The template as it stands for one stage: every parameter that has a value (given, else its default)
 * substituted, conditions decided, `!If` branches chosen, mappings looked up, `AWS::NoValue` and the
 * resources whose condition is false removed. What is left refers only to resources, pseudo parameters
 * and the parameters without a value. Other tools (osls) take a stack without our parameters: this is
 * how their files are generated from the one template instead of being kept beside it.
 */
export interface EvaluatedTemplate {
  Resources: Record<string, TemplateResource>;
  Outputs: Record<string, TemplateNode>;
  /** Parameter values used (defaults filled in), by name. */
  values: Record<string, string | number>;
}

const NO_VALUE = Symbol('AWS::NoValue');
type Value = unknown;

const fail = (message: string) => new TaskTrackerError('VALIDATION_ERROR', `template: ${message}`);

const isNode = (value: unknown): value is TemplateNode =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The one key of an intrinsic function node (`{ Ref: X }`, `{ 'Fn::If': [...] }`), if it is one. */
function intrinsicOf(node: TemplateNode): string | undefined {
  const keys = Object.keys(node);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::') || keys[0] === 'Condition')
    ? keys[0]
    : undefined;
}

class Evaluator {
  private readonly conditions = new Map<string, boolean>();

  constructor(
    private readonly template: CfnTemplate & {
      Conditions?: Record<string, unknown>;
      Mappings?: Record<string, Record<string, Record<string, unknown>>>;
    },
    readonly values: Record<string, string | number>,
  ) {}

  condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) throw fail(`unknown condition ${name}`);
    const decided = this.decide(definition);
    this.conditions.set(name, decided);
    return decided;
  }

  private decide(node: unknown): boolean {
    if (!isNode(node)) throw fail(`a condition must be a function, not ${JSON.stringify(node)}`);
    const [key, args] = Object.entries(node)[0] ?? [];
    const list = Array.isArray(args) ? args : [];
    switch (key) {
      case 'Condition':
        return this.condition(String(args));
      case 'Fn::Equals': {
        const [a, b] = list.map((arg) => this.value(arg));
        if (typeof a === 'object' || typeof b === 'object')
          throw fail(`Fn::Equals of values known only at deploy time: ${JSON.stringify(node)}`);
        return String(a) === String(b);
      }
      case 'Fn::Not':
        return !this.decide(list[0]);
      case 'Fn::And':
        return list.every((arg) => this.decide(arg));
      case 'Fn::Or':
        return list.some((arg) => this.decide(arg));
      default:
        throw fail(`unsupported condition function ${key}`);
    }
  }

  private sub(text: string): string | TemplateNode {
    const replaced = text.replace(/\$\{([\w:]+)\}/g, (whole, name: string) =>
      name in this.values ? String(this.values[name]) : whole,
    );
    return /\$\{[^}]+\}/.test(replaced) ? { 'Fn::Sub': replaced } : replaced;
  }

  /** One node evaluated; NO_VALUE where CloudFormation would drop the property. */
  value(node: Value): Value {
    if (Array.isArray(node)) return node.map((item) => this.value(item)).filter((item) => item !== NO_VALUE);
    if (!isNode(node)) return node;
    const intrinsic = intrinsicOf(node);
    const args = intrinsic ? node[intrinsic] : undefined;
    if (intrinsic === 'Ref') {
      const name = String(args);
      if (name === 'AWS::NoValue') return NO_VALUE;
      return name in this.values ? this.values[name] : node;
    }
    if (intrinsic === 'Fn::If') {
      const [name, then, otherwise] = args as [string, unknown, unknown];
      return this.value(this.condition(name) ? then : otherwise);
    }
    if (intrinsic === 'Fn::FindInMap') {
      const keys = (args as unknown[]).map((arg) => this.value(arg));
      if (keys.length !== 3 || keys.some((key) => typeof key === 'object'))
        throw fail(`Fn::FindInMap ${JSON.stringify(args)} needs keys known before deploy time`);
      const [map, first, second] = keys.map(String) as [string, string, string];
      const found = this.template.Mappings?.[map]?.[first]?.[second];
      if (found === undefined) throw fail(`Fn::FindInMap: ${map} has no ${first}.${second}`);
      return found;
    }
    if (intrinsic === 'Fn::Sub' && typeof args === 'string') return this.sub(args);
    const result: TemplateNode = {};
    for (const [key, child] of Object.entries(node)) {
      const evaluated = this.value(child);
      if (evaluated !== NO_VALUE) result[key] = evaluated;
    }
    return result;
  }
}

/** Parameter values for a stack: the given ones over the defaults, Numbers as numbers. */
function parameterValues(
  template: CfnTemplate,
  given: Record<string, string>,
): Record<string, string | number> {
  const values: Record<string, string | number> = {};
  for (const [name, declaration] of Object.entries(template.Parameters ?? {})) {
    const raw = given[name] ?? declaration.Default;
    if (raw === undefined) continue;
    values[name] = declaration.Type === 'Number' ? Number(raw) : String(raw);
  }
  for (const name of Object.keys(given)) if (!(name in values)) throw fail(`no parameter ${name} to set`);
  return values;
}

export function evaluateTemplate(template: CfnTemplate, given: Record<string, string>): EvaluatedTemplate {
  const evaluator = new Evaluator(template, parameterValues(template, given));
  const kept = (entry: { Condition?: unknown }) =>
    entry.Condition === undefined || evaluator.condition(String(entry.Condition));
  const resources = Object.entries(template.Resources).filter(([, resource]) => kept(resource));
  const present = new Set(resources.map(([id]) => id));
  const Resources: Record<string, TemplateResource> = {};
  for (const [id, resource] of resources) {
    const { Condition: _condition, DependsOn, ...rest } = resource;
    const evaluated = evaluator.value(rest) as TemplateResource;
    const dependsOn = [DependsOn ?? []].flat().filter((name) => present.has(name));
    Resources[id] = dependsOn.length > 0 ? { ...evaluated, DependsOn: dependsOn } : evaluated;
  }
  const Outputs: Record<string, TemplateNode> = {};
  for (const [id, output] of Object.entries(template.Outputs ?? {}))
    if (kept(output)) {
      const { Condition: _condition, ...rest } = output;
      Outputs[id] = evaluator.value(rest) as TemplateNode;
    }
  return { Resources, Outputs, values: evaluator.values };
}

/** Every logical id a node refers to: Ref, Fn::GetAtt and the `${Id}` / `${Id.Attr}` of Fn::Sub. */
export function referencesOf(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) referencesOf(item, found);
  else if (isNode(node))
    for (const [key, child] of Object.entries(node)) {
      if (key === 'Ref' && typeof child === 'string') found.add(child);
      else if (key === 'Fn::GetAtt' && Array.isArray(child)) found.add(String(child[0]));
      else if (key === 'Fn::Sub') {
        const text = Array.isArray(child) ? String(child[0]) : String(child);
        for (const match of text.matchAll(/\$\{([\w:]+)(?:\.\w+)?\}/g)) found.add(match[1] as string);
        if (Array.isArray(child)) referencesOf(child[1], found);
      } else referencesOf(child, found);
    }
  return found;
}

/** The node with logical ids renamed wherever they are referred to (and in DependsOn lists). */
export function renameReferences<T>(node: T, renames: ReadonlyMap<string, string>): T {
  const rename = (id: string) => renames.get(id) ?? id;
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isNode(value)) return value;
    const result: TemplateNode = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Ref' && typeof child === 'string') result[key] = rename(child);
      else if (key === 'Fn::GetAtt' && Array.isArray(child))
        result[key] = [rename(String(child[0])), ...child.slice(1)];
      else if (key === 'Fn::Sub' && typeof child === 'string')
        result[key] = child.replace(
          /\$\{([\w:]+)((?:\.\w+)?)\}/g,
          (_whole, id: string, attribute: string) => `\${${rename(id)}${attribute}}`,
        );
      else if (key === 'DependsOn') result[key] = [child].flat().map((id) => rename(String(id)));
      else result[key] = walk(child);
    }
    return result;
  };
  return walk(node) as T;
}
