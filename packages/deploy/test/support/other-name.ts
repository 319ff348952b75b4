import { CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { uploadMissing } from '../../src/artifacts/store.ts';
import { templateUrl } from '../../src/aws/template-url.ts';
import {
  ARTIFACT_PREFIX,
  type AwsClients,
  ensureArtifactBucket,
  type Project,
  packageStack,
} from '../../src/index.ts';

/**
 * A stage's stack made as `aws cloudformation deploy` (or sam deploy) makes it from `tt package`'s
 * output: our packaged template and zips, the stage as a parameter, and a stack name of its own.
 */
export async function deployUnderAnotherName(
  clients: AwsClients,
  target: { project: Project; endpoint: string; bucket: string; stackName: string; stage: string },
): Promise<void> {
  const pkg = await packageStack(target.project, target.stage);
  await ensureArtifactBucket(clients, target.bucket);
  await uploadMissing(clients, target.bucket, [...pkg.manifest.artifacts, pkg.manifest.template]);
  const parameters = { Stage: target.stage, ArtifactBucket: target.bucket, ArtifactPrefix: ARTIFACT_PREFIX };
  await clients.cloudformation.send(
    new CreateStackCommand({
      StackName: target.stackName,
      TemplateURL: await templateUrl(clients, target.bucket, pkg.manifest.template.key, target.endpoint),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
        ParameterKey,
        ParameterValue,
      })),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    }),
  );
}
