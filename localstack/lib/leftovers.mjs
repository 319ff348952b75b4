// What is left of a stage after `tt destroy`: every resource kind the stack creates, listed by the name
// the template gives it (tasktracker-<stage>-..., or CloudFormation's <stack>-<LogicalId>-... for roles
// and alarms). The artifact bucket (tasktracker-artifacts-<account>-<region>) is the deployer's, shared
// by every stage, and kept on purpose.
//
//   node localstack/lib/leftovers.mjs <stage>
//
// Prints {"count": n, "left": {kind: [names]}}; exits 1 when anything is left.
import { pathToFileURL } from 'node:url';
import { apiGatewayGet } from './aws.mjs';
import { clientConfig, sdk, signedJson, signedQuery } from './endpoint.mjs';

/** The text of every <tag>...</tag> in a query-protocol answer (names carry no markup). */
const xmlValues = (xml, tag) =>
  [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map(([, v]) => v);

/** One SDK list call: `service` names the package (@aws-sdk/client-<service>) and the endpoint. */
async function listed(service, clientName, commandName, pick) {
  const { [clientName]: Client, [commandName]: Command } = sdk(`@aws-sdk/client-${service}`);
  const client = new Client({
    ...clientConfig(service),
    ...(service === 's3' ? { forcePathStyle: true } : {}),
  });
  try {
    return pick(await client.send(new Command({})));
  } finally {
    client.destroy();
  }
}

/** name → how to list the names of that kind (one page: a test account holds a handful of each). */
const KINDS = {
  stack: async (stack) => {
    const { CloudFormationClient, DescribeStacksCommand } = sdk('@aws-sdk/client-cloudformation');
    const client = new CloudFormationClient(clientConfig('cloudformation'));
    try {
      const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stack }));
      return Stacks.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map(
        (s) => `${s.StackName} ${s.StackStatus}`,
      );
    } catch (error) {
      if (/does not exist/.test(error.message)) return [];
      throw error;
    } finally {
      client.destroy();
    }
  },
  functions: () =>
    listed('lambda', 'LambdaClient', 'ListFunctionsCommand', (r) => r.Functions.map((f) => f.FunctionName)),
  tables: () => listed('dynamodb', 'DynamoDBClient', 'ListTablesCommand', (r) => r.TableNames),
  buckets: () => listed('s3', 'S3Client', 'ListBucketsCommand', (r) => (r.Buckets ?? []).map((b) => b.Name)),
  logGroups: () =>
    listed('cloudwatch-logs', 'CloudWatchLogsClient', 'DescribeLogGroupsCommand', (r) =>
      r.logGroups.map((g) => g.logGroupName),
    ),
  restApis: async () => ((await apiGatewayGet('/restapis?limit=500')).item ?? []).map((api) => api.name),
  apiKeys: async () => ((await apiGatewayGet('/apikeys?limit=500')).item ?? []).map((key) => key.name),
  usagePlans: async () =>
    ((await apiGatewayGet('/usageplans?limit=500')).item ?? []).map((plan) => plan.name),
  queues: async () => (await signedJson('sqs', 'AmazonSQS.ListQueues', {})).QueueUrls ?? [],
  topics: async () => xmlValues(await signedQuery('sns', 'ListTopics', '2010-03-31'), 'TopicArn'),
  roles: async () => xmlValues(await signedQuery('iam', 'ListRoles', '2010-05-08'), 'RoleName'),
  alarms: async () => xmlValues(await signedQuery('monitoring', 'DescribeAlarms', '2010-08-01'), 'AlarmName'),
  // The API key's secret has a generated name: it is known by its description ("tasktracker <stage>: ...").
  // ListSecrets leaves out secrets scheduled for deletion, as a deleted stack leaves its secret.
  secrets: async (stack) => {
    const { SecretList = [] } = await signedJson('secretsmanager', 'secretsmanager.ListSecrets', {}, '1.1');
    const description = `${stack.replace('tasktracker-', 'tasktracker ')}:`;
    return SecretList.filter(
      (secret) => !secret.DeletedDate && secret.Description?.startsWith(description),
    ).map((secret) => `${stack} ${secret.Name}`);
  },
};

export async function leftoversOf(stage) {
  const stack = `tasktracker-${stage}`;
  const left = {};
  for (const [kind, list] of Object.entries(KINDS)) {
    const names = (await list(stack)).filter((name) => name.includes(stack));
    if (names.length > 0) left[kind] = names;
  }
  return { count: Object.values(left).flat().length, left };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [stage] = process.argv.slice(2);
  if (!stage) {
    process.stderr.write('usage: node localstack/lib/leftovers.mjs <stage>\n');
    process.exit(64);
  }
  try {
    const report = await leftoversOf(stage);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(report.count > 0 ? 1 : 0);
  } catch (error) {
    process.stderr.write(`leftovers: ${error.message}\n`);
    process.exit(2);
  }
}
