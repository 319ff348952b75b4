import { TaskTrackerError } from '@tasktracker/core';
import { HANDLER_NAMES, type HandlerName } from '@tasktracker/handlers';
import { handlerOfFunction } from '../template/checks.ts';
import type { TemplateNode, TemplateResource } from '../template/parse.ts';

export const fail = (message: string) => new TaskTrackerError('VALIDATION_ERROR', `osls service: ${message}`);

/** tasks-create → TasksCreate: the prefix of the template's logical ids for that handler. */
export const pascalOf = (name: string) =>
  name.replace(/(^|-)([a-z0-9])/g, (_whole, _dash, letter: string) => letter.toUpperCase());

/**
 * tasks-create → tasksCreate: the function's key in serverless.yml. osls names a function's resources
 * after its key with the first letter raised (TasksCreateLogGroup, TasksCreateLambdaFunction), which
 * is exactly the prefix our template uses: the roles' references to the log groups hold as written.
 */
export const functionKeyOf = (name: string) => pascalOf(name).replace(/^./, (first) => first.toLowerCase());

/** What one of our AWS::Lambda::Function resources becomes in serverless.yml. */
export interface OslsFunction {
  id: string;
  handler: HandlerName;
  /** The serverless.yml function entry (events are added by the caller). */
  entry: Record<string, unknown>;
  runtime: string;
  architecture: string;
  tracing: string | undefined;
  environment: Record<string, unknown>;
  /** The log group osls creates for it (same logical id and name as ours). */
  logGroupId: string;
}

const asNode = (value: unknown) => (value ?? {}) as TemplateNode;

/**
 * Reads each function's properties into its serverless.yml form. A property this does not know is an
 * error, not a silent omission: a template change osls cannot carry must be handled here.
 */
function oslsFunctionOf(
  resources: Record<string, TemplateResource>,
  id: string,
  handler: HandlerName,
  artifact: string,
): OslsFunction {
  const properties = asNode(resources[id]?.Properties);
  const entry: Record<string, unknown> = { handler: properties.Handler, package: { artifact } };
  const result: OslsFunction = {
    id,
    handler,
    entry,
    runtime: String(properties.Runtime),
    architecture: String([properties.Architectures ?? 'x86_64'].flat()[0]),
    tracing: undefined,
    environment: asNode(asNode(properties.Environment).Variables),
    logGroupId: `${pascalOf(handler)}LogGroup`,
  };
  for (const [property, value] of Object.entries(properties)) {
    switch (property) {
      case 'FunctionName':
        entry.name = value;
        break;
      case 'Description':
        entry.description = value;
        break;
      case 'MemorySize':
        entry.memorySize = value;
        break;
      case 'Timeout':
        entry.timeout = value;
        break;
      case 'ReservedConcurrentExecutions':
        entry.reservedConcurrency = value;
        break;
      case 'Role': {
        const role = asNode(value)['Fn::GetAtt'];
        if (!Array.isArray(role) || role[1] !== 'Arn') throw fail(`${id}: Role must be !GetAtt <Role>.Arn`);
        // Named through Fn::Sub: given a bare logical id (or a GetAtt), osls also adds a DependsOn on the
        // role, doubling the dependency the GetAtt makes (cfn-lint W3005, which moto's ValidateTemplate
        // rejects). The function still depends on its role through this reference.
        entry.role = { 'Fn::Sub': `\${${String(role[0])}.Arn}` };
        break;
      }
      case 'TracingConfig':
        result.tracing = String(asNode(value).Mode);
        break;
      case 'DeadLetterConfig':
        entry.onError = asNode(value).TargetArn;
        break;
      case 'LoggingConfig': {
        const logGroup = asNode(value).LogGroup;
        if (asNode(logGroup).Ref !== result.logGroupId)
          throw fail(`${id}: logs must go to ${result.logGroupId}, the log group osls creates for it`);
        break;
      }
      case 'Code':
      case 'Handler':
      case 'Runtime':
      case 'Architectures':
      case 'Environment':
        break;
      default:
        throw fail(`${id}: the generator does not know how to carry ${property}`);
    }
  }
  const logGroup = asNode(resources[result.logGroupId]?.Properties);
  if (logGroup.LogGroupName !== `/aws/lambda/${String(entry.name)}`)
    throw fail(`${result.logGroupId} must be /aws/lambda/${String(entry.name)}, the log group osls creates`);
  return result;
}

/** One serverless.yml function per handler, in the manifest's order. */
export function oslsFunctions(
  resources: Record<string, TemplateResource>,
  artifact: (name: HandlerName) => string,
): OslsFunction[] {
  const functions = Object.entries(resources).filter(
    ([, resource]) => resource.Type === 'AWS::Lambda::Function',
  );
  const template = { Resources: resources };
  return HANDLER_NAMES.map((name) => {
    const found = functions.find(([id]) => handlerOfFunction(template, id) === name);
    if (!found) throw fail(`no function runs the ${name} bundle`);
    const [id] = found;
    if (id !== `${pascalOf(name)}Function`)
      throw fail(`${id} runs ${name}: the generator expects it to be named ${pascalOf(name)}Function`);
    return oslsFunctionOf(resources, id, name, artifact(name));
  });
}

/** The value every function shares, or undefined when they differ. */
export function sharedValue<T>(values: readonly T[]): T | undefined {
  const [first] = values;
  return values.every((value) => JSON.stringify(value) === JSON.stringify(first)) ? first : undefined;
}

/** The environment entries every function has with the same value (the provider's environment). */
export function sharedEnvironment(functions: readonly OslsFunction[]): Record<string, unknown> {
  const [first, ...others] = functions;
  return Object.fromEntries(
    Object.entries(first?.environment ?? {}).filter(([name, value]) =>
      others.every((other) => JSON.stringify(other.environment[name]) === JSON.stringify(value)),
    ),
  );
}
