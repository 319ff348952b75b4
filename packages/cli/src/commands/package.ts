import { join, resolve } from 'node:path';
import { TaskTrackerError } from '@tasktracker/core';
import {
  type CommandTarget,
  type DeployCommand,
  oslsDeployCommand,
  type PackageResult,
  type Project,
  type PublishOutcome,
  packageStack,
  publishArtifacts,
  samDeployCommand,
  templateDeployCommands,
  writeOslsProject,
  writeSamProject,
} from '@tasktracker/deploy';
import { renderTable } from '../format/table.ts';
import { withGlobals } from '../runtime/action.ts';
import { openAws, stageOf } from '../runtime/aws.ts';
import type { GlobalOptions } from '../runtime/globals.ts';
import { openProject } from '../runtime/infrastructure.ts';
import { outputFor, settingsFor } from '../runtime/session.ts';
import { parseTarget } from '../runtime/target.ts';

/** What `tt package --for` writes: the packaged CloudFormation template, an osls service, a SAM template. */
export const PACKAGE_FORMATS = ['cloudformation', 'osls', 'sam'] as const;
type PackageFormat = (typeof PACKAGE_FORMATS)[number];

export interface PackageFlags {
  for?: string;
  out?: string;
  upload?: boolean;
  artifactBucket?: string;
}

function formatOf(flags: PackageFlags): PackageFormat {
  const format = PACKAGE_FORMATS.find((name) => name === (flags.for ?? 'cloudformation'));
  if (!format)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `--for takes ${PACKAGE_FORMATS.join(', ')}, not "${flags.for}"`,
    );
  if (flags.upload && format !== 'cloudformation')
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `--upload is for the packaged template: ${format === 'sam' ? 'sam deploy' : 'osls deploy'} uploads the code itself`,
    );
  if (flags.out && format === 'cloudformation')
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      '--out is for --for osls or sam: the packaged template stays in the build directory',
    );
  return format;
}

/** Region and endpoint the printed commands name: the target's, else the environment's region. */
function commandTarget(globals: GlobalOptions, stage: string, bucket: string | undefined): CommandTarget {
  const settings = settingsFor(globals);
  const target = parseTarget(settings.target, settings.endpoint);
  const endpoint = target.kind === 'endpoint' || target.kind === 'localstack' ? target.endpoint : undefined;
  const region =
    settings.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    (endpoint ? 'us-east-1' : undefined);
  return { stage, bucket, region, endpoint };
}

const sourceOf = (project: Project) =>
  project.kind === 'checkout'
    ? 'cloudformation/tasktracker.yaml'
    : `the template embedded in @tasktracker/cli ${project.manifest.version}`;

interface Written {
  dir: string;
  file: string;
  functions: number;
}

function writeFormat(
  format: PackageFormat,
  result: PackageResult,
  project: Project,
  target: CommandTarget,
  out?: string,
) {
  if (format === 'osls') {
    const dir = resolve(out ?? join(result.dir, 'osls'));
    const written = writeOslsProject(result, dir, {
      stage: target.stage,
      region: target.region,
      source: sourceOf(project),
    });
    return {
      written: { dir, file: written.file, functions: written.functions.length },
      commands: [oslsDeployCommand(dir, target)],
    };
  }
  if (format === 'sam') {
    const dir = resolve(out ?? join(result.dir, 'sam'));
    const written = writeSamProject(result, dir);
    return {
      written: { dir, file: written.template, functions: written.functions.length },
      commands: [samDeployCommand(written.template, target)],
    };
  }
  return { written: undefined, commands: templateDeployCommands(result.manifest.template.file, target) };
}

function humanReport(
  result: PackageResult,
  format: PackageFormat,
  written: Written | undefined,
  commands: DeployCommand[],
  uploaded: PublishOutcome | undefined,
): string {
  const { manifest } = result;
  const lines = [
    renderTable(
      ['artifact', 'bytes', 'sha256'],
      manifest.artifacts.map((artifact) => [
        artifact.name,
        String(artifact.bytes),
        artifact.sha256.slice(0, 16),
      ]),
    ),
    `template ${manifest.template.file} (${manifest.template.sha256.slice(0, 16)})`,
    `${result.reused ? 'sources unchanged, bundles reused' : 'built'} in ${Math.round(result.ms)} ms → ${result.dir}`,
  ];
  if (written) lines.push(`${format}: ${written.file} (${written.functions} functions)`);
  if (uploaded)
    lines.push(
      `uploaded to s3://${uploaded.bucket}: ${uploaded.uploaded} new, ${uploaded.present} already there${uploaded.created ? ' (bucket created)' : ''}`,
    );
  else if (format === 'cloudformation')
    lines.push(
      'the zips must be in the bucket first: tt package --upload [--artifact-bucket <name>] puts them there',
    );
  lines.push('deploy it with:', ...commands.map((command) => `  ${command.line}`));
  return lines.join('\n');
}

/**
 * `tt package`: the build of every handler and the resolved template, then, with --for, the same stack
 * for another tool (an osls service, a SAM template); with --upload the zips in the artifact bucket.
 * Either way it prints the commands that deploy what it wrote.
 */
export async function runPackage(globals: GlobalOptions, flags: PackageFlags): Promise<void> {
  const output = outputFor(globals);
  const format = formatOf(flags);
  const project = openProject();
  const stage = stageOf(globals);
  // Before packaging: --upload without a target it could reach is a usage error, not a build.
  const aws = flags.upload ? openAws(globals, 'package --upload') : undefined;
  let uploaded: PublishOutcome | undefined;
  let result: PackageResult;
  try {
    result = await packageStack(project, stage);
    if (aws) uploaded = await publishArtifacts(aws.clients, result, flags.artifactBucket);
  } finally {
    aws?.clients.destroy();
  }
  const target = commandTarget(globals, stage, uploaded?.bucket ?? flags.artifactBucket);
  const { written, commands } = writeFormat(format, result, project, target, flags.out);
  output.result(
    {
      dir: result.dir,
      reused: result.reused,
      ms: Math.round(result.ms),
      ...result.manifest,
      format,
      ...(written ? { out: written } : {}),
      ...(uploaded ? { uploaded } : {}),
      commands,
    },
    () => humanReport(result, format, written, commands, uploaded),
  );
}

/** `tt package`, as the command tree loads it. */
export const packageStage = withGlobals(runPackage);
