import { createHash } from 'node:crypto';
import { TaskTrackerError } from '@tasktracker/core';

const API_DEPLOYMENT = /\bApiDeployment\b/g;

/**
 * The template with each function's code pointed at its content-addressed zip:
 * `${ArtifactPrefix}<name>.zip` becomes `${ArtifactPrefix}<name>/<sha256>.zip`. An unchanged handler
 * keeps its key, so CloudFormation leaves that function alone; a changed one gets a new key and only
 * it is updated. Text is replaced rather than the YAML rewritten, so comments and order survive.
 */
export function resolveTemplate(template: string, artifactHashes: ReadonlyMap<string, string>): string {
  let resolved = withReleaseDeployment(template);
  for (const [name, hash] of artifactHashes) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not JavaScript
    const placeholder = '${ArtifactPrefix}';
    const from = `${placeholder}${name}.zip`;
    const count = resolved.split(from).length - 1;
    if (count !== 1)
      throw new TaskTrackerError(
        'VALIDATION_ERROR',
        `the template must name ${from} exactly once (found ${count}): it is the code of the ${name} function`,
      );
    resolved = resolved.replace(from, `${placeholder}${name}/${hash}.zip`);
  }
  return resolved;
}

/**
 * An AWS::ApiGateway::Deployment snapshots the API when it is created and never again: a stack update
 * that changes a method leaves the stage serving the old API. Naming the deployment after the template's
 * hash makes every template change create a fresh deployment (and move the stage onto it), while a
 * code-only release keeps the current one.
 */
function withReleaseDeployment(template: string): string {
  const release = createHash('sha256').update(template).digest('hex').slice(0, 12);
  return template.replace(API_DEPLOYMENT, `ApiDeployment${release}`);
}
