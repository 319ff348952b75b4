// The local HTTP API (template routes, handlers in-process) is its own door, @tasktracker/local/api: it
// needs the template parser and the deployer, which `tt tasks` and the engine never load.
export { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from './client.ts';
export {
  databaseDir,
  type EngineState,
  ensureLocalEngine,
  type LocalEngineOptions,
  readEngineState,
  resetLocalEngine,
  runningEngine,
  stopLocalEngine,
} from './daemon.ts';
export { defaultDataDir } from './data-dir.ts';
export {
  type DynamoDbLocal,
  dynamoDbLocalDir,
  freePort,
  type StartDynamoDbLocalOptions,
  startDynamoDbLocal,
} from './engine.ts';
export { findJava, JavaMissingError, type JavaRuntime, MIN_JAVA_VERSION, parseJavaVersion } from './java.ts';
export { type LocalS3, type LocalS3Options, type S3EventRecord, startLocalS3 } from './s3.ts';
export { deleteTables, ensureTables } from './tables.ts';
export { createTestTables, type TestTables } from './testing/tables.ts';
