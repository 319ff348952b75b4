/**
 * The training run that makes the engine's class-data sharing archive: DynamoDB Local started with
 * -XX:ArchiveClassesAtExit on a scratch database, sent the requests tasktracker sends (tables with
 * indexes, conditional and transactional writes, queries, batches), then stopped; the JVM writes the
 * archive of every class it loaded as it exits, and we move it into place only once it is whole.
 *
 * The function is self-contained (no imports, no outer names: only globals and Node's built-ins through
 * process.getBuiltinModule), because the CLI runs it from its own source text in a detached, low-priority Node process
 * (`node -e`), so that the command that started the engine never waits for it.
 */
export interface TrainingRun {
  java: string;
  /** JVM options and class path, exactly as the engine will be launched with the archive. */
  launch: string[];
  /** Where the finished archive goes. */
  archive: string;
  /** A scratch database directory, deleted afterwards. */
  scratch: string;
  /** The lock file the scheduler wrote; removed when the run ends, whatever the outcome. */
  lock?: string;
  /** Lower this process's priority first (a background build must not slow the user's command). */
  background?: boolean;
  timeoutMs?: number;
}

export async function trainEngineArchive(run: TrainingRun): Promise<boolean> {
  // getBuiltinModule, not import(): a test runner rewrites dynamic imports into helpers of its own,
  // which the stand-alone script would not have.
  const { spawn } = process.getBuiltinModule('node:child_process');
  const fs = process.getBuiltinModule('node:fs/promises');
  const net = process.getBuiltinModule('node:net');
  const os = process.getBuiltinModule('node:os');
  const timeoutMs = run.timeoutMs ?? 180_000;
  const deadline = Date.now() + timeoutMs;
  const temporary = `${run.archive}.${process.pid}.tmp`;
  if (run.background) {
    try {
      os.setPriority(19);
    } catch {
      // Not allowed here: build at normal priority.
    }
  }
  const port = await new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  let exited = false;
  const child = spawn(
    run.java,
    [
      `-XX:ArchiveClassesAtExit=${temporary}`,
      ...run.launch,
      '-dbPath',
      run.scratch,
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: 'ignore' },
  );
  const exit = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    });
    child.once('error', () => {
      exited = true;
      resolve(null);
    });
  });
  const call = async (target: string, body: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `DynamoDB_20120810.${target}`,
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: JSON.stringify(body),
    });
    return response.status;
  };
  try {
    await fs.mkdir(run.scratch, { recursive: true });
    for (;;) {
      if (exited || Date.now() > deadline) return false;
      const status = await call('ListTables', {}).catch(() => 0);
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const S = (value: string) => ({ S: value });
    const table = 'training';
    await call('CreateTable', {
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'userId', AttributeType: 'S' },
        { AttributeName: 'taskId', AttributeType: 'S' },
        { AttributeName: 'statusKey', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'userId', KeyType: 'HASH' },
        { AttributeName: 'taskId', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byStatus',
          KeySchema: [
            { AttributeName: 'statusKey', KeyType: 'HASH' },
            { AttributeName: 'taskId', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    await call('UpdateTimeToLive', {
      TableName: table,
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    await call('DescribeTable', { TableName: table });
    const item = (id: string) => ({
      userId: S('u'),
      taskId: S(id),
      statusKey: S('u#open'),
      title: S(`task ${id}`),
      version: { N: '1' },
      completed: { BOOL: false },
    });
    await call('PutItem', {
      TableName: table,
      Item: item('a'),
      ConditionExpression: 'attribute_not_exists(taskId)',
      ReturnConsumedCapacity: 'TOTAL',
    });
    for (const expected of ['0', '1']) {
      // The second one is cancelled: the failure path of a transaction loads classes of its own.
      await call('TransactWriteItems', {
        TransactItems: [
          { Put: { TableName: table, Item: item(`b${expected}`) } },
          {
            Update: {
              TableName: table,
              Key: { userId: S('u'), taskId: S('a') },
              UpdateExpression: 'SET version = version + :one',
              ConditionExpression: 'version >= :expected',
              ExpressionAttributeValues: {
                ':one': { N: '1' },
                ':expected': { N: expected === '0' ? '1' : '9' },
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
        ReturnConsumedCapacity: 'TOTAL',
      });
    }
    await call('GetItem', {
      TableName: table,
      Key: { userId: S('u'), taskId: S('a') },
      ConsistentRead: true,
    });
    await call('Query', {
      TableName: table,
      IndexName: 'byStatus',
      KeyConditionExpression: 'statusKey = :s',
      FilterExpression: 'contains(title, :q)',
      ExpressionAttributeValues: { ':s': S('u#open'), ':q': S('task') },
      ScanIndexForward: false,
      Limit: 20,
    });
    await call('BatchWriteItem', {
      RequestItems: { [table]: ['c', 'd'].map((id) => ({ PutRequest: { Item: item(id) } })) },
    });
    await call('BatchGetItem', {
      RequestItems: { [table]: { Keys: ['c', 'd'].map((id) => ({ userId: S('u'), taskId: S(id) })) } },
    });
    await call('UpdateItem', {
      TableName: table,
      Key: { userId: S('u'), taskId: S('c') },
      UpdateExpression: 'SET completed = :t REMOVE statusKey',
      ExpressionAttributeValues: { ':t': { BOOL: true } },
      ReturnValues: 'ALL_NEW',
    });
    await call('DeleteItem', { TableName: table, Key: { userId: S('u'), taskId: S('d') } });
    await call('Scan', { TableName: table, Limit: 10 });
    await call('DeleteTable', { TableName: table });
    // SIGTERM is a normal exit for the JVM: it writes the archive, then exits.
    child.kill('SIGTERM');
    const stopped = await Promise.race([
      exit.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), Math.max(1, deadline - Date.now()))),
    ]);
    if (!stopped) return false;
    const header = Buffer.alloc(4);
    const handle = await fs.open(temporary, 'r').catch(() => undefined);
    if (!handle) return false;
    try {
      await handle.read(header, 0, 4, 0);
    } finally {
      await handle.close();
    }
    // A dynamic archive starts with HotSpot's CDS_DYNAMIC_ARCHIVE_MAGIC (0xf00baba8, little-endian here).
    if (header.readUInt32LE(0) !== 0xf00baba8) return false;
    await fs.rename(temporary, run.archive);
    return true;
  } finally {
    if (!exited) child.kill('SIGKILL');
    await fs.rm(temporary, { force: true });
    await fs.rm(run.scratch, { recursive: true, force: true });
    if (run.lock) await fs.rm(run.lock, { force: true });
  }
}
