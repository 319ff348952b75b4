export { LOCAL_CREDENTIALS, LOCAL_REGION, localDynamoClient } from './client.ts';
export {
  type DynamoDbLocal,
  dynamoDbLocalDir,
  freePort,
  type StartDynamoDbLocalOptions,
  startDynamoDbLocal,
} from './engine.ts';
export { findJava, JavaMissingError, type JavaRuntime, MIN_JAVA_VERSION, parseJavaVersion } from './java.ts';
export { deleteTables, ensureTables } from './tables.ts';
export { createTestTables, type TestTables } from './testing/tables.ts';
