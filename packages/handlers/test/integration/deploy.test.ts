import { readFileSync } from 'node:fs';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createTableInput, defaultTableNames, TABLE_DEFINITIONS } from '@tasktracker/core';
import { describe, expect, it } from 'vitest';
import { zipFiles } from '../../scripts/zip.ts';
import { HANDLER_NAMES } from '../../src/index.ts';
import { motoServer, useMoto } from '../support/moto.ts';
import { TEMPLATE_PATH } from '../support/template.ts';

const moto = useMoto();
const clientConfig = () => ({
  endpoint: moto.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

/**
 * moto creates what it models (tables, functions, roles, queue, bucket, API resources and methods) and
 * skips the rest with a warning (alarms, stage, keys, usage plan, gateway responses): see
 * shared/research/moto-cloudformation.md. It proves the template resolves and deploys in order.
 */
describe.skipIf(!motoServer)('the template deployed to moto', () => {
  it('creates the stack with core’s tables under their deterministic names and one function per handler', async () => {
    const s3 = new S3Client({ ...clientConfig(), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    for (const name of HANDLER_NAMES) {
      // moto stores the code without running it; any valid zip will do.
      const zip = zipFiles([
        { name: 'index.mjs', data: Buffer.from('export const handler = async () => ({});') },
      ]);
      await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: `release-1/${name}.zip`, Body: zip }));
    }
    const cloudformation = new CloudFormationClient(clientConfig());
    await cloudformation.send(
      new CreateStackCommand({
        StackName: 'tasktracker-dev',
        TemplateBody: readFileSync(TEMPLATE_PATH, 'utf8'),
        Capabilities: ['CAPABILITY_IAM'],
        Parameters: [
          { ParameterKey: 'ArtifactBucket', ParameterValue: 'artifacts' },
          { ParameterKey: 'ArtifactPrefix', ParameterValue: 'release-1/' },
        ],
      }),
    );
    const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: 'tasktracker-dev' }));
    expect(Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');

    const resources = await cloudformation.send(
      new ListStackResourcesCommand({ StackName: 'tasktracker-dev' }),
    );
    const functions = (resources.StackResourceSummaries ?? [])
      .filter((resource) => resource.ResourceType === 'AWS::Lambda::Function')
      .map((resource) => resource.PhysicalResourceId)
      .sort();
    expect(functions).toEqual(HANDLER_NAMES.map((name) => `tasktracker-dev-${name}`).sort());

    const dynamo = new DynamoDBClient(clientConfig());
    const names = defaultTableNames('dev');
    for (const definition of TABLE_DEFINITIONS) {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: names[definition.table] }));
      const expected = createTableInput(definition, names[definition.table]);
      expect(Table?.KeySchema).toEqual(expected.KeySchema);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        (expected.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort(),
      );
    }
    for (const client of [s3, cloudformation, dynamo]) client.destroy();
  }, 120_000);
});
