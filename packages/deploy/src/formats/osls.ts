import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HandlerName } from '@tasktracker/handlers';
import { stringify } from 'yaml';
import type { PackageResult } from '../package/package.ts';
import { stackNameOf } from '../stack/status.ts';
import { parseTemplate, type TemplateNode, type TemplateResource } from '../template/parse.ts';
import { evaluateTemplate, referencesOf, renameReferences } from './evaluate.ts';
import { oslsApi } from './osls-api.ts';
import {
  fail,
  functionKeyOf,
  oslsFunctions,
  pascalOf,
  sharedEnvironment,
  sharedValue,
} from './osls-functions.ts';
import { OSLS_PLUGIN_FILE, OSLS_PLUGIN_SOURCE } from './osls-plugin.ts';

/** The osls release the generated service is written for (and tested with). */
export const OSLS_FRAMEWORK_VERSION = '4';

export interface OslsServiceOptions {
  stage: string;
  /** Left out when unknown: osls then takes --region, or its default. */
  region?: string | undefined;
  /** Each handler's zip, as serverless.yml names it (relative to the file, or absolute). */
  artifact(name: HandlerName): string;
  /** Template parameters other than Stage; the rest take their defaults. */
  parameters?: Record<string, string>;
}

/** The service osls deploys, as a plain object (written out as serverless.yml). */
export type OslsService = Record<string, unknown> & {
  functions: Record<string, Record<string, unknown>>;
  resources: {
    Resources: Record<string, TemplateResource>;
    Outputs: Record<string, TemplateNode>;
    /** Properties set on resources osls generates (osls's `resources.extensions`). */
    extensions?: Record<string, { Properties: TemplateNode }>;
  };
};

/**
 * serverless.yml for osls (seed 000's deploy tool), generated from the resolved CloudFormation template
 * for one stage. osls creates the functions, their log groups and the REST API (methods, deployment,
 * stage, key and usage plan) from `functions:` and `provider:`; everything else (tables, roles, queue,
 * bucket, alarms, validators, gateway responses) is our template's own resources, evaluated for the
 * stage and renamed where osls names a resource differently. Each function keeps its own role: least
 * privilege exactly as in the template.
 */
export function oslsService(templateText: string, options: OslsServiceOptions): OslsService {
  const { stage } = options;
  const evaluated = evaluateTemplate(parseTemplate(templateText), { ...options.parameters, Stage: stage });
  const resources = evaluated.Resources;
  const functions = oslsFunctions(resources, options.artifact);
  const api = oslsApi(resources, stage);

  const renames = new Map(api.renames);
  for (const fn of functions) {
    renames.set(fn.id, `${pascalOf(fn.handler)}LambdaFunction`);
    api.generated.add(fn.id).add(fn.logGroupId);
  }
  const kept = Object.fromEntries(
    Object.entries(resources).filter(([id]) => !api.generated.has(id) && !api.leftOut.has(id)),
  );
  // An output that names a resource the file leaves out goes with it (ApiKeySecretArn).
  const outputs = Object.fromEntries(
    Object.entries(evaluated.Outputs).filter(
      ([, node]) => ![...referencesOf(node)].some((reference) => api.leftOut.has(reference)),
    ),
  );
  const sameIdInOsls = new Set(functions.map((fn) => fn.logGroupId));
  for (const [id, node] of [...Object.entries(kept), ...Object.entries(outputs)])
    for (const reference of referencesOf(node)) {
      if (reference.startsWith('AWS::') || reference in kept) continue;
      if (renames.has(reference) || sameIdInOsls.has(reference)) continue;
      throw fail(
        reference in resources
          ? `${id} refers to ${reference}, which osls does not create under any name`
          : `${id} refers to ${reference}, a parameter without a value`,
      );
    }

  const logRetention = sharedValue(
    functions.map((fn) => resources[fn.logGroupId]?.Properties?.RetentionInDays),
  );
  if (logRetention === undefined) throw fail('the function log groups must share one retention');
  const runtime = sharedValue(functions.map((fn) => fn.runtime));
  const architecture = sharedValue(functions.map((fn) => fn.architecture));
  const lambdaTracing = sharedValue(functions.map((fn) => fn.tracing));
  const environment = sharedEnvironment(functions);

  const oslsFunctionsByKey: Record<string, Record<string, unknown>> = {};
  for (const fn of functions) {
    const own = Object.fromEntries(Object.entries(fn.environment).filter(([name]) => !(name in environment)));
    oslsFunctionsByKey[functionKeyOf(fn.handler)] = {
      ...fn.entry,
      ...(runtime ? {} : { runtime: fn.runtime }),
      ...(architecture ? {} : { architecture: fn.architecture }),
      ...(lambdaTracing === undefined && fn.tracing ? { tracing: fn.tracing } : {}),
      ...(Object.keys(own).length > 0 ? { environment: own } : {}),
      ...(api.events.has(fn.handler) ? { events: api.events.get(fn.handler) } : {}),
    };
  }

  return {
    service: 'tasktracker',
    frameworkVersion: OSLS_FRAMEWORK_VERSION,
    configValidationMode: 'error',
    provider: {
      name: 'aws',
      ...(runtime ? { runtime } : {}),
      ...(architecture ? { architecture } : {}),
      ...(options.region ? { region: options.region } : {}),
      stage,
      stackName: stackNameOf(stage),
      // One CreateStack/UpdateStack rather than a change set: the same outcome on AWS, and endpoints
      // such as moto refresh a stack's outputs only this way.
      deploymentMethod: 'direct',
      // Our template publishes no versions; every function runs $LATEST, as tt deploy leaves it.
      versionFunctions: false,
      logRetentionInDays: logRetention,
      tracing: {
        apiGateway: api.tracingEnabled,
        ...(lambdaTracing ? { lambda: lambdaTracing === 'Active' ? true : lambdaTracing } : {}),
      },
      ...api.provider,
      apiGateway: api.apiGateway,
      environment,
    },
    // Every function has a zip of its own, built by tt package; osls packages nothing itself.
    package: { individually: true },
    plugins: [`./${OSLS_PLUGIN_FILE}`],
    functions: oslsFunctionsByKey,
    resources: {
      Resources: renameReferences(kept, renames),
      Outputs: renameReferences(outputs, renames),
      ...(Object.keys(api.extensions).length > 0 ? { extensions: api.extensions } : {}),
    },
  };
}

/** The service as the serverless.yml text osls reads. */
export function oslsYaml(service: OslsService, source: string): string {
  const header = [
    `# Generated by \`tt package --for osls\` from ${source}; regenerate it rather than edit it.`,
    `# Stage ${String((service.provider as TemplateNode).stage)}: deploy with \`osls deploy\` in this directory.`,
    "# Left out of it: the WAF web ACL (osls cannot associate one with its stage) and the API key's",
    "# secret (osls takes a key's value only as a literal; API Gateway generates it, osls info shows it).",
    '',
  ].join('\n');
  return header + stringify(service, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface OslsProject {
  dir: string;
  /** serverless.yml */
  file: string;
  functions: string[];
}

/**
 * Writes the osls project into `outDir`: serverless.yml, the local plugin it names, and each handler's
 * zip under artifacts/ (copied, so the folder deploys from anywhere and on its own).
 */
export function writeOslsProject(
  pkg: PackageResult,
  outDir: string,
  options: Omit<OslsServiceOptions, 'artifact'> & { source: string },
): OslsProject {
  const artifactsDir = join(outDir, 'artifacts');
  rmSync(artifactsDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  for (const artifact of pkg.manifest.artifacts)
    copyFileSync(artifact.file, join(artifactsDir, `${artifact.name}.zip`));
  const service = oslsService(readFileSync(pkg.manifest.template.file, 'utf8'), {
    ...options,
    artifact: (name) => `artifacts/${name}.zip`,
  });
  const file = join(outDir, 'serverless.yml');
  writeFileSync(file, oslsYaml(service, options.source));
  writeFileSync(join(outDir, OSLS_PLUGIN_FILE), OSLS_PLUGIN_SOURCE);
  return { dir: outDir, file, functions: Object.keys(service.functions) };
}
