// The import pipeline's side of localstack/e2e.sh: what S3 and Lambda do with an upload that the script
// cannot make them do on cue (deliver an event twice, fail every attempt), done through the same APIs.
//
//   node localstack/lib/imports.mjs redeliver <function> <bucket> <key>...     one event, one record a key
//   node localstack/lib/imports.mjs deliver-async <function> <bucket> <key>    as S3 does: retried, then dead-lettered
//   node localstack/lib/imports.mjs dead-letter <queueUrl> <objectKey> <seconds>
//
// redeliver prints the function's answer ({"records": [...]}, one invocation-log item a record) and fails
// on a function error; dead-letter prints the message naming objectKey once the queue has it.
import { pathToFileURL } from 'node:url';
import { clientConfig, region, sdk, signedJson } from './endpoint.mjs';

/** An S3 event record (version 2.1) as S3 sends it: the key URL-encoded with '+' for spaces, the ETag bare. */
export function s3EventRecord({ bucket, key, etag, size = 0, eventName = 'ObjectCreated:Put' }) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: region(),
    eventTime: new Date().toISOString(),
    eventName,
    s3: {
      s3SchemaVersion: '1.0',
      bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
        size,
        ...(etag ? { eTag: etag } : {}),
      },
    },
  };
}

function lambda() {
  const { LambdaClient } = sdk('@aws-sdk/client-lambda');
  return new LambdaClient(clientConfig('lambda'));
}

/** The same record S3 sent for each key (its current ETag and size), in one event, invoked and awaited. */
async function redeliver(functionName, bucket, ...keys) {
  const { HeadObjectCommand, S3Client } = sdk('@aws-sdk/client-s3');
  const { InvokeCommand } = sdk('@aws-sdk/client-lambda');
  const s3 = new S3Client({ ...clientConfig('s3'), forcePathStyle: true });
  const Records = [];
  for (const key of keys) {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    Records.push(
      s3EventRecord({ bucket, key, etag: head.ETag?.replaceAll('"', ''), size: head.ContentLength }),
    );
  }
  const client = lambda();
  const answer = await client.send(
    new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify({ Records }) }),
  );
  const payload = Buffer.from(answer.Payload ?? []).toString('utf8');
  if (answer.FunctionError) throw new Error(`${functionName} failed (${answer.FunctionError}): ${payload}`);
  process.stdout.write(`${payload}\n`);
}

/** An asynchronous invocation (InvocationType Event), the way S3 invokes the function. */
async function deliverAsync(functionName, bucket, key) {
  const { InvokeCommand } = sdk('@aws-sdk/client-lambda');
  const event = { Records: [s3EventRecord({ bucket, key, etag: '0123456789abcdef0123456789abcdef' })] };
  const answer = await lambda().send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: JSON.stringify(event),
    }),
  );
  process.stdout.write(`${JSON.stringify({ statusCode: answer.StatusCode })}\n`);
}

/**
 * The object keys a dead-letter message is about. A Lambda DLQ message's body is the event itself;
 * ministack sends the on-failure destination's record instead, with the event under requestPayload.
 */
export function deadLetterKeys(body) {
  let message;
  try {
    message = JSON.parse(body);
  } catch {
    return [];
  }
  const records = message?.Records ?? message?.requestPayload?.Records ?? [];
  return records.map((record) =>
    decodeURIComponent(String(record?.s3?.object?.key ?? '').replace(/\+/g, ' ')),
  );
}

/** Receives from the queue (SQS's JSON protocol, signed) until a message is about objectKey. */
async function deadLetter(queueUrl, objectKey, seconds) {
  const deadline = Date.now() + Number(seconds) * 1000;
  const seen = [];
  for (;;) {
    const { Messages = [] } = await signedJson('sqs', 'AmazonSQS.ReceiveMessage', {
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: 1,
      MessageAttributeNames: ['All'],
    });
    for (const message of Messages) {
      const keys = deadLetterKeys(message.Body);
      seen.push(...keys);
      if (keys.includes(objectKey)) {
        const attributes = Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
        );
        process.stdout.write(`${JSON.stringify({ objectKey, messageId: message.MessageId, attributes })}\n`);
        return;
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no dead letter for ${objectKey} after ${seconds} s (saw: ${seen.join(', ') || 'none'})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** name → [run, fewest arguments, most arguments, usage] */
const COMMANDS = {
  redeliver: [redeliver, 3, Number.POSITIVE_INFINITY, '<function> <bucket> <key>...'],
  'deliver-async': [deliverAsync, 3, 3, '<function> <bucket> <key>'],
  'dead-letter': [deadLetter, 3, 3, '<queueUrl> <objectKey> <seconds>'],
};

async function main(argv) {
  const [command, ...args] = argv;
  const [run, fewest, most] = COMMANDS[command] ?? [];
  if (!run || args.length < fewest || args.length > most) {
    const lines = Object.entries(COMMANDS).map(
      ([name, entry]) => `node localstack/lib/imports.mjs ${name} ${entry[3]}`,
    );
    process.stderr.write(`usage:\n  ${lines.join('\n  ')}\n`);
    process.exit(64);
  }
  try {
    await run(...args);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${command}: ${error.name ?? 'Error'}: ${error.message}\n`);
    process.exit(1);
  }
}

// Run as a script, not when a test imports the functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
