import { readFileSync } from 'node:fs';
import { HANDLER_NAMES } from '@tasktracker/handlers';
import { describe, expect, it } from 'vitest';
import {
  ARTIFACT_PREFIX,
  findProject,
  parseTemplate,
  resolveTemplate,
  samDeployCommand,
  samTemplate,
  templateDeployCommands,
  unzipFiles,
  zipFiles,
} from '../../src/index.ts';

const hashes = new Map(HANDLER_NAMES.map((name, index) => [name, String(index).padStart(64, 'a')]));
const source = readFileSync(findProject().template, 'utf8');
const resolved = resolveTemplate(source, hashes);

describe('the artifact contract in the template', () => {
  it('ArtifactPrefix defaults to where tt puts the zips, and its description says so', () => {
    const parameter = parseTemplate(source).Parameters?.ArtifactPrefix;
    expect(parameter?.Default).toBe(ARTIFACT_PREFIX);
    expect(parameter?.Description).toContain('<prefix><handler>/<sha256>.zip');
    expect(parameter?.Description).toContain(ARTIFACT_PREFIX);
  });
});

describe('tt package --for sam', () => {
  const text = samTemplate(resolved, 'staging', (name) => `functions/${name}`);
  const sam = parseTemplate(text);
  const original = parseTemplate(resolved);

  it("points every function's Code at its folder and drops the parameters that located the zips", () => {
    const functions = Object.entries(sam.Resources).filter(
      ([, resource]) => resource.Type === 'AWS::Lambda::Function',
    );
    expect(functions).toHaveLength(HANDLER_NAMES.length);
    expect(functions.map(([, resource]) => resource.Properties?.Code).sort()).toEqual(
      HANDLER_NAMES.map((name) => `functions/${name}`).sort(),
    );
    expect(Object.keys(sam.Parameters ?? {})).not.toContain('ArtifactBucket');
    expect(Object.keys(sam.Parameters ?? {})).not.toContain('ArtifactPrefix');
    expect(sam.Parameters?.Stage?.Default).toBe('staging');
  });

  it('is AuthMode apiKey: no Cognito resources or outputs, every guarded method keyed without an authorizer', () => {
    expect(Object.keys(sam.Parameters ?? {})).not.toContain('AuthMode');
    for (const id of ['UserPool', 'UserPoolClient', 'CognitoAuthorizer'])
      expect(sam.Resources[id]).toBeUndefined();
    expect(Object.keys(sam.Outputs ?? {}).filter((id) => id.startsWith('UserPool'))).toEqual([]);
    expect(sam.Resources.TasksCreateMethod?.Properties).toMatchObject({
      AuthorizationType: 'NONE',
      ApiKeyRequired: true,
    });
    expect(sam.Resources.TasksCreateMethod?.Properties?.AuthorizerId).toBeUndefined();
    expect(text).not.toContain('UseCognito');
  });

  it('changes nothing else: the same resources and outputs, comments kept', () => {
    const cognitoOnly = (entry: { Condition?: unknown }) => entry.Condition === 'UseCognito';
    const decided = (value: unknown) => {
      const branches = (value as { 'Fn::If'?: unknown[] } | undefined)?.['Fn::If'];
      if (branches?.[0] === 'UseCognito') return branches[2];
      return branches?.[0] === 'UseApiKeys' ? branches[1] : value;
    };
    const withoutCode = (template: typeof sam) =>
      Object.fromEntries(
        Object.entries(template.Resources)
          .filter(([, resource]) => !cognitoOnly(resource))
          .map(([id, resource]) => {
            const { Code: _code, ...properties } = resource.Properties ?? {};
            const kept = Object.fromEntries(
              Object.entries(properties)
                .map(([key, value]) => [key, decided(value)] as const)
                .filter(([, value]) => (value as { Ref?: unknown } | undefined)?.Ref !== 'AWS::NoValue'),
            );
            return [id, { ...resource, Properties: kept }];
          }),
      );
    expect(withoutCode(sam)).toEqual(withoutCode(original));
    expect(sam.Outputs).toEqual(
      Object.fromEntries(Object.entries(original.Outputs ?? {}).filter(([, output]) => !cognitoOnly(output))),
    );
    expect(text).toContain('# Prod tables have deletion protection');
  });

  it('prints the sam deploy that packages the folders itself', () => {
    const command = samDeployCommand('/out/sam/template.yaml', {
      stage: 'prod',
      bucket: 'b',
      region: 'eu-west-1',
    });
    expect(command.line).toBe(
      'sam deploy --template-file /out/sam/template.yaml --stack-name tasktracker-prod --s3-bucket b --s3-prefix sam --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --parameter-overrides Stage=prod --tags tasktracker:stage=prod --no-confirm-changeset --no-fail-on-empty-changeset --region eu-west-1',
    );
    expect(command.env).toEqual({});
  });
});

describe('the printed deploy commands of the packaged template', () => {
  it('name the bucket, the prefix, the parameters and the capabilities; the endpoint goes in AWS_ENDPOINT_URL', () => {
    const [aws, sam] = templateDeployCommands('/build/dev/template.yaml', {
      stage: 'dev',
      bucket: 'my-artifacts',
      region: 'us-east-1',
      endpoint: 'http://localhost:4566',
    });
    expect(aws?.argv.slice(0, 3)).toEqual(['aws', 'cloudformation', 'deploy']);
    expect(aws?.env).toEqual({ AWS_ENDPOINT_URL: 'http://localhost:4566' });
    expect(aws?.line).toBe(
      'AWS_ENDPOINT_URL=http://localhost:4566 aws cloudformation deploy --template-file /build/dev/template.yaml --stack-name tasktracker-dev --s3-bucket my-artifacts --s3-prefix templates --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --parameter-overrides Stage=dev ArtifactBucket=my-artifacts ArtifactPrefix=artifacts/ --tags tasktracker:stage=dev --no-fail-on-empty-changeset --region us-east-1',
    );
    expect(sam?.argv.slice(0, 2)).toEqual(['sam', 'deploy']);
    expect(sam?.argv).toContain('--no-confirm-changeset');
  });

  it('spell the default bucket with the AWS CLI when it is not known, and quote what a shell would split', () => {
    const [aws] = templateDeployCommands("/home/me/my project/template's.yaml", {
      stage: 'prod',
      region: 'eu-west-1',
    });
    expect(aws?.line).toContain(
      '--s3-bucket "tasktracker-artifacts-$(aws sts get-caller-identity --query Account --output text)-eu-west-1"',
    );
    expect(aws?.line).toContain(`--template-file '/home/me/my project/template'\\''s.yaml'`);
    const [noRegion] = templateDeployCommands('/t.yaml', { stage: 'dev' });
    expect(noRegion?.line).toContain('-$(aws configure get region)"');
    expect(noRegion?.line).not.toContain('--region');
  });
});

describe('the zip reader (the SAM template needs the bundles unzipped)', () => {
  const files = [
    {
      name: 'index.mjs',
      data: Buffer.from('export const handler = async () => ({ statusCode: 200 });\n'.repeat(50)),
    },
    { name: 'index.mjs.map', data: Buffer.from('{"version":3}') },
  ];

  it('reads back exactly what zipFiles wrote', () => {
    expect(unzipFiles(zipFiles(files))).toEqual(files);
  });

  it('refuses a damaged entry and a name that would leave its folder', () => {
    const zip = zipFiles(files);
    const damaged = Buffer.from(zip);
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;
    expect(() => unzipFiles(damaged, 'health.zip')).toThrow(/health.zip is not a handler zip/);
    const escaping = zipFiles([{ name: '../../etc/passwd', data: Buffer.from('x') }]);
    expect(() => unzipFiles(escaping)).toThrow(/unsafe entry name \.\.\/\.\.\/etc\/passwd/);
  });
});
