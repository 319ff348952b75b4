import { readFileSync } from 'node:fs';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.ts';
import { isNotFound } from '../aws/errors.ts';
import { ARTIFACT_PREFIX, type PackagedFile, TEMPLATE_PREFIX } from '../package/package.ts';

/** What a successful deploy of a stack was made of: the no-op check and pruning read these. */
export interface DeploymentRecord {
  stackName: string;
  stackId: string;
  stage: string;
  /** Hash of the template, every artifact and the parameters. */
  fingerprint: string;
  deployedAt: string;
  parameters: Record<string, string>;
  /** Every artifact-bucket key the stack uses (zips and template). */
  keys: string[];
}

const DEPLOYMENTS = 'deployments/';
const currentKey = (stackName: string) => `${DEPLOYMENTS}${stackName}/current.json`;
const historyPrefix = (stackName: string) => `${DEPLOYMENTS}${stackName}/history/`;

/** Uploads what the bucket lacks; content-addressed keys make an existing key the same bytes. */
export async function uploadMissing(
  clients: AwsClients,
  bucket: string,
  files: readonly PackagedFile[],
  onUpload: (file: PackagedFile) => void = () => {},
): Promise<{ uploaded: number; present: number }> {
  let uploaded = 0;
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      try {
        await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: file.key }));
        continue;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      await clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: file.key, Body: readFileSync(file.file) }),
      );
      uploaded += 1;
      onUpload(file);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { uploaded, present: files.length - uploaded };
}

async function readJson<T>(clients: AwsClients, bucket: string, key: string): Promise<T | undefined> {
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse((await object.Body?.transformToString()) ?? '') as T;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export function lastDeployment(clients: AwsClients, bucket: string, stackName: string) {
  return readJson<DeploymentRecord>(clients, bucket, currentKey(stackName));
}

/** Written only after the stack reached a complete state: the history entry first, then current. */
export async function recordDeployment(clients: AwsClients, bucket: string, record: DeploymentRecord) {
  const body = `${JSON.stringify(record, null, 2)}\n`;
  const stamp = record.deployedAt.replace(/[:.]/g, '-');
  for (const key of [`${historyPrefix(record.stackName)}${stamp}.json`, currentKey(record.stackName)]) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
    );
  }
}

interface ListedObject {
  key: string;
  lastModified: Date;
}

async function listObjects(clients: AwsClients, bucket: string, prefix: string): Promise<ListedObject[]> {
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? [])
      objects.push({ key: object.Key ?? '', lastModified: object.LastModified ?? new Date(0) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects;
}

/** Deletes every version of the keys (the bucket is versioned: a plain delete only hides them). */
export async function deleteAllVersions(
  clients: AwsClients,
  bucket: string,
  prefix: string,
  keep = (_key: string) => false,
) {
  let deleted = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    const objects = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((version) => version.Key && !keep(version.Key))
      .map((version) => ({ Key: version.Key ?? '', VersionId: version.VersionId }));
    for (let start = 0; start < objects.length; start += 1000) {
      await clients.s3.send(
        new DeleteObjectsCommand({
          Bucket: bucket,
          Delete: { Objects: objects.slice(start, start + 1000), Quiet: true },
        }),
      );
    }
    deleted += objects.length;
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return deleted;
}

/**
 * Keeps the artifact sets of the last `keep` deploys of this stack (and everything any other stack's
 * kept deploys use); deletes older history entries and the zips and templates no kept deploy uses.
 * Objects younger than `graceMs` stay: another stage's deploy may have uploaded them a moment ago.
 */
export async function pruneArtifacts(
  clients: AwsClients,
  bucket: string,
  options: { stackName: string; keep: number; graceMs?: number },
): Promise<{ deletedKeys: number }> {
  const history = (await listObjects(clients, bucket, historyPrefix(options.stackName)))
    .map((object) => object.key)
    .sort();
  for (const key of history.slice(0, Math.max(0, history.length - options.keep)))
    await deleteAllVersions(clients, bucket, key);

  const used = new Set<string>();
  for (const { key } of await listObjects(clients, bucket, DEPLOYMENTS)) {
    const record = await readJson<DeploymentRecord>(clients, bucket, key);
    for (const usedKey of record?.keys ?? []) used.add(usedKey);
  }
  const cutoff = Date.now() - (options.graceMs ?? 60 * 60 * 1000);
  let deletedKeys = 0;
  for (const prefix of [ARTIFACT_PREFIX, TEMPLATE_PREFIX]) {
    const unused = (await listObjects(clients, bucket, prefix)).filter(
      (object) => !used.has(object.key) && object.lastModified.getTime() <= cutoff,
    );
    for (const { key } of unused) await deleteAllVersions(clients, bucket, key);
    deletedKeys += unused.length;
  }
  return { deletedKeys };
}
