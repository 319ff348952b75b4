import { type Command, InvalidArgumentError } from 'commander';
import { lazyAction } from './lazy.ts';

const deployModule = () => import('../commands/deploy.ts');
const packageModule = () => import('../commands/package.ts');

/** A bad --parameter is a usage error (exit 2), reported by commander like any other. */
function collectParameter(value: string, previous: Record<string, string>): Record<string, string> {
  const match = /^([A-Za-z0-9]+)=(.*)$/s.exec(value);
  if (!match) throw new InvalidArgumentError(`--parameter takes Key=Value, not "${value}"`);
  return { ...previous, [match[1] as string]: match[2] as string };
}

export function registerDeployCommands(program: Command): void {
  program
    .command('package')
    .description(
      'bundle and zip every handler, resolve the template, write .tasktracker/build/<stage>/; print the commands that deploy it',
    )
    .option('--for <format>', 'cloudformation (default), or the same stack for osls or sam')
    .option('--out <dir>', 'where --for osls or sam writes (default: osls/ or sam/ in the build directory)')
    .option('--upload', 'put the zips in the artifact bucket where the template expects them, and stop')
    .option('--artifact-bucket <name>', 'the bucket --upload and the printed commands use')
    .action(lazyAction(packageModule, 'packageStage'));

  program
    .command('deploy')
    .description('package, upload and deploy the stack of a stage through a change set')
    .option(
      '--parameter <Key=Value>',
      'a template parameter (repeatable); others take the template default',
      collectParameter,
      {},
    )
    .option('--force', 'deploy even when nothing changed since the last deploy')
    .option('-y, --yes', 'do not ask (prod, or a table, bucket, API key or user pool removed or replaced)')
    .option(
      '--artifact-bucket <name>',
      'bucket for zips and templates (default tasktracker-artifacts-<account>-<region>)',
    )
    .option('--keep <n>', 'artifact sets kept in the bucket', '5')
    .action(lazyAction(deployModule, 'deployStage'));

  program
    .command('validate')
    .description("check the template: our checks (tables, routes, IAM) and CloudFormation's ValidateTemplate")
    .option(
      '--artifact-bucket <name>',
      'where a template over 51,200 bytes is uploaded for CloudFormation to read',
    )
    .action(lazyAction(deployModule, 'validateTemplate'));
}
