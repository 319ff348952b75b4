import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ValidateTemplateCommand } from '@aws-sdk/client-cloudformation';
import { defaultArtifactBucket, ensureArtifactBucket } from './artifacts/bucket.ts';
import { uploadMissing } from './artifacts/store.ts';
import type { AwsClients } from './aws/clients.ts';
import { explainAwsError } from './aws/errors.ts';
import { templateUrl } from './aws/template-url.ts';
import { TEMPLATE_PREFIX } from './package/package.ts';
import type { Project } from './project.ts';
import { checkTemplate, type TemplateProblem } from './template/checks.ts';
import { parseTemplate } from './template/parse.ts';

/** CloudFormation takes a template body of at most 51,200 bytes; larger ones go through S3. */
const TEMPLATE_BODY_LIMIT = 51_200;

export interface ValidationReport {
  problems: TemplateProblem[];
  /** CloudFormation's verdict, or why it was not asked. */
  cloudformation: { checked: true; error?: string; parameters: number } | { checked: false; reason: string };
}

/**
 * `tt validate`: our own checks (tables equal core's definitions, routes equal the handlers' manifest,
 * IAM without wildcards) and, given an AWS or AWS-compatible target, CloudFormation's ValidateTemplate.
 */
export async function validateProject(
  project: Project,
  remote?: { clients: AwsClients; endpoint?: string; artifactBucket?: string },
): Promise<ValidationReport> {
  const text = readFileSync(project.template, 'utf8');
  const problems = checkTemplate(parseTemplate(text));
  if (!remote)
    return {
      problems,
      cloudformation: {
        checked: false,
        reason: 'ValidateTemplate needs --target aws, localstack or an endpoint URL',
      },
    };
  const { clients } = remote;
  try {
    let source: { TemplateBody: string } | { TemplateURL: string } = { TemplateBody: text };
    if (Buffer.byteLength(text) > TEMPLATE_BODY_LIMIT) {
      const bucket = remote.artifactBucket ?? (await defaultArtifactBucket(clients));
      await ensureArtifactBucket(clients, bucket);
      const key = `${TEMPLATE_PREFIX}${createHash('sha256').update(text).digest('hex')}.yaml`;
      await uploadMissing(clients, bucket, [{ file: project.template, key, sha256: '', bytes: text.length }]);
      source = { TemplateURL: await templateUrl(clients, bucket, key, remote.endpoint) };
    }
    try {
      const result = await clients.cloudformation.send(new ValidateTemplateCommand(source));
      return { problems, cloudformation: { checked: true, parameters: result.Parameters?.length ?? 0 } };
    } catch (error) {
      if ((error as { name?: string }).name !== 'ValidationError') throw error;
      return { problems, cloudformation: { checked: true, error: (error as Error).message, parameters: 0 } };
    }
  } catch (error) {
    throw explainAwsError(error, 'validating the template', 'AWS_REQUEST_FAILED');
  }
}
