import { ARTIFACT_PREFIX, TEMPLATE_PREFIX } from '../package/package.ts';
import { stackNameOf } from '../stack/status.ts';

/**
 * The artifact contract, for deploying our packaged template with other tools: the zips are in
 * ArtifactBucket under ArtifactPrefix (`artifacts/`) at their content-addressed keys
 * (`artifacts/<handler>/<sha256>.zip`, as the resolved template names them and the manifest lists
 * them); the template is over CloudFormation's 51,200-byte inline limit, so it is deployed from the
 * bucket (`--s3-bucket`); the roles need CAPABILITY_IAM. Against an endpoint (LocalStack, moto) the
 * AWS and SAM CLIs take it from AWS_ENDPOINT_URL: neither has an --endpoint-url for every client.
 */
export const CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'] as const;
/** Where `sam deploy` uploads the function folders of the SAM template (beside our own prefixes). */
export const SAM_PREFIX = 'sam';

export interface DeployCommand {
  tool: 'aws' | 'sam' | 'osls';
  /** The program and its arguments, exactly. */
  argv: string[];
  /** Environment the command needs (AWS_ENDPOINT_URL against an endpoint). */
  env: Record<string, string>;
  /** Where to run it, when it matters (osls reads serverless.yml from there). */
  cwd?: string;
  /** One shell line: env, then argv, quoted where needed. */
  line: string;
}

export interface CommandTarget {
  stage: string;
  /** The artifact bucket, when known; else the line spells the default name with the AWS CLI. */
  bucket?: string | undefined;
  region?: string | undefined;
  /** The AWS-compatible endpoint, if not AWS. */
  endpoint?: string | undefined;
}

const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/** The default bucket (tasktracker-artifacts-<account>-<region>) as a shell expression for the account. */
function bucketWord(target: CommandTarget): string {
  if (target.bucket) return target.bucket;
  const region = target.region ?? '$(aws configure get region)';
  return `tasktracker-artifacts-$(aws sts get-caller-identity --query Account --output text)-${region}`;
}

function command(
  tool: DeployCommand['tool'],
  argv: string[],
  target: CommandTarget,
  cwd?: string,
): DeployCommand {
  const env: Record<string, string> = target.endpoint ? { AWS_ENDPOINT_URL: target.endpoint } : {};
  const words = argv.map((word) => (word.includes('$(') ? `"${word}"` : quote(word)));
  const prefix = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
  return {
    tool,
    argv,
    env,
    ...(cwd ? { cwd } : {}),
    line: [...(cwd ? [`cd ${quote(cwd)} &&`] : []), ...prefix, ...words].join(' '),
  };
}

const regionArgs = (target: CommandTarget) => (target.region ? ['--region', target.region] : []);

/**
 * `aws cloudformation deploy` and `sam deploy` of the resolved template (`tt package`'s template.yaml),
 * once the zips are in the bucket (`tt package --upload`). Both wait for the stack and succeed when
 * there is nothing to change.
 */
export function templateDeployCommands(templateFile: string, target: CommandTarget): DeployCommand[] {
  const bucket = bucketWord(target);
  const common = [
    '--template-file',
    templateFile,
    '--stack-name',
    stackNameOf(target.stage),
    '--s3-bucket',
    bucket,
    '--s3-prefix',
    TEMPLATE_PREFIX.replace(/\/$/, ''),
    '--capabilities',
    ...CAPABILITIES,
    '--parameter-overrides',
    `Stage=${target.stage}`,
    `ArtifactBucket=${bucket}`,
    `ArtifactPrefix=${ARTIFACT_PREFIX}`,
    '--tags',
    `tasktracker:stage=${target.stage}`,
    '--no-fail-on-empty-changeset',
    ...regionArgs(target),
  ];
  return [
    command('aws', ['aws', 'cloudformation', 'deploy', ...common], target),
    command('sam', ['sam', 'deploy', ...common, '--no-confirm-changeset'], target),
  ];
}

/** `sam deploy` of the SAM template: sam zips the function folders and uploads them itself. */
export function samDeployCommand(templateFile: string, target: CommandTarget): DeployCommand {
  return command(
    'sam',
    [
      'sam',
      'deploy',
      '--template-file',
      templateFile,
      '--stack-name',
      stackNameOf(target.stage),
      '--s3-bucket',
      bucketWord(target),
      '--s3-prefix',
      SAM_PREFIX,
      '--capabilities',
      ...CAPABILITIES,
      '--parameter-overrides',
      `Stage=${target.stage}`,
      '--tags',
      `tasktracker:stage=${target.stage}`,
      '--no-confirm-changeset',
      '--no-fail-on-empty-changeset',
      ...regionArgs(target),
    ],
    target,
  );
}

/** `osls deploy` in the generated service's folder (osls keeps its own deployment bucket). */
export function oslsDeployCommand(serviceDir: string, target: CommandTarget): DeployCommand {
  return command('osls', ['osls', 'deploy', ...regionArgs(target)], target, serviceDir);
}
