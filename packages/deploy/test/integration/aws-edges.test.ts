import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { pruneArtifacts, recordDeployment } from '../../src/artifacts/store.ts';
import { AwsClients, describeStack, ensureArtifactBucket } from '../../src/index.ts';

const moto = useMoto();
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** A loopback proxy to moto that answers the first `throttled` CloudFormation calls as AWS throttles. */
async function throttlingProxy(throttled: number) {
  const counts = { throttled: 0, forwarded: 0 };
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      if (body.toString().includes('Action=DescribeStacks') && counts.throttled < throttled) {
        counts.throttled += 1;
        outgoing.writeHead(400, { 'content-type': 'text/xml' });
        outgoing.end(
          '<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>',
        );
        return;
      }
      counts.forwarded += 1;
      const target = new URL(moto.endpoint);
      const forward = request(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (reply) => {
          outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(outgoing);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts };
}

describe.skipIf(!motoServer)('the deployer at the edges of AWS behaviour (moto behind a proxy)', () => {
  it('rides out CloudFormation throttling with the SDK’s backoff instead of failing the deploy', async () => {
    const proxy = await throttlingProxy(3);
    const clients = new AwsClients({ endpoint: proxy.endpoint, region: 'us-east-1', credentials });
    expect(await describeStack(clients, 'tasktracker-nothing')).toBeUndefined();
    expect(proxy.counts).toEqual({ throttled: 3, forwarded: 1 });
    expect(clients.calls.total).toBe(1);
    clients.destroy();
  }, 60_000);

  it('prunes artifact sets beyond the newest N, keeping what any kept deploy uses', async () => {
    const clients = new AwsClients({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
    const bucket = 'prune-artifacts';
    expect(await ensureArtifactBucket(clients, bucket)).toBe(true);
    expect(await ensureArtifactBucket(clients, bucket)).toBe(false);
    const put = (Key: string) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    const deploys = [
      ['artifacts/a/1.zip', 'artifacts/b/1.zip', 'templates/1.yaml'],
      ['artifacts/a/2.zip', 'artifacts/b/1.zip', 'templates/2.yaml'],
      ['artifacts/a/3.zip', 'artifacts/b/3.zip', 'templates/3.yaml'],
    ];
    for (const [index, keys] of deploys.entries()) {
      for (const key of keys) await put(key);
      await recordDeployment(clients, bucket, {
        stackName: 'tasktracker-dev',
        stackId: 'id',
        stage: 'dev',
        fingerprint: String(index),
        deployedAt: new Date(Date.UTC(2026, 0, index + 1)).toISOString(),
        parameters: {},
        keys,
      });
    }
    // Another stage's deploy still uses a/1.zip: it stays.
    await recordDeployment(clients, bucket, {
      stackName: 'tasktracker-staging',
      stackId: 'id2',
      stage: 'staging',
      fingerprint: 's',
      deployedAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      parameters: {},
      keys: ['artifacts/a/1.zip'],
    });
    const { deletedKeys } = await pruneArtifacts(clients, bucket, {
      stackName: 'tasktracker-dev',
      keep: 2,
      graceMs: 0,
    });
    const left = (await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map(
      (o) => o.Key,
    ).sort();
    expect(deletedKeys).toBe(1);
    expect(left).toEqual([
      'artifacts/a/1.zip',
      'artifacts/a/2.zip',
      'artifacts/a/3.zip',
      'artifacts/b/1.zip',
      'artifacts/b/3.zip',
      'deployments/tasktracker-dev/current.json',
      'deployments/tasktracker-dev/history/2026-01-02T00-00-00-000Z.json',
      'deployments/tasktracker-dev/history/2026-01-03T00-00-00-000Z.json',
      'deployments/tasktracker-staging/current.json',
      'deployments/tasktracker-staging/history/2026-01-01T00-00-00-000Z.json',
      'templates/2.yaml',
      'templates/3.yaml',
    ]);
    // Fresh objects are never pruned: a concurrent deploy of another stage may be about to use them.
    await put('artifacts/c/new.zip');
    expect(
      (await pruneArtifacts(clients, bucket, { stackName: 'tasktracker-dev', keep: 2 })).deletedKeys,
    ).toBe(0);
    clients.destroy();
  }, 60_000);
});
