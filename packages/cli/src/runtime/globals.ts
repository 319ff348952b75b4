import type { Command } from 'commander';

/** The options every command accepts (see `tt --help`). */
export interface GlobalOptions {
  target?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  stage?: 'dev' | 'staging' | 'prod';
  user?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export function addGlobalOptions(program: Command): Command {
  return program
    .option('--target <target>', 'local (default), aws, localstack, or an endpoint URL such as a moto server')
    .option('--endpoint <url>', 'DynamoDB endpoint (or AWS_ENDPOINT_URL)')
    .option('--region <region>', 'AWS region (or AWS_REGION)')
    .option('--profile <profile>', 'AWS profile (or AWS_PROFILE)')
    .option('--stage <stage>', 'dev, staging or prod (default dev)')
    .option('--user <id>', 'whose tasks (default "local" on the local target)')
    .option('--json', 'print one JSON document (JSON Lines for streams) and nothing else on stdout')
    .option('-v, --verbose', 'debug logs and stack traces')
    .option('-q, --quiet', 'errors only')
    .option('--no-color', 'no colours (also NO_COLOR)');
}
