import type { TestProject } from 'vitest/node';
import { type DynamoDbLocal, startDynamoDbLocal } from '../engine.ts';
import { findJava, JavaMissingError } from '../java.ts';

/**
 * Vitest globalSetup: one in-memory DynamoDB Local for the whole run (a JVM start costs seconds, a
 * table set costs milliseconds). Test files read its endpoint with `inject('dynamoEndpoint')`.
 */
export default async function setup({ provide }: TestProject): Promise<(() => Promise<void>) | undefined> {
  try {
    await findJava();
  } catch (error) {
    // Locally a missing JDK skips the integration suites with a reason; in CI it must fail the run.
    if (!(error instanceof JavaMissingError) || process.env.CI === 'true') throw error;
    process.stderr.write(`[tasktracker] DynamoDB Local integration tests skipped: ${error.message}\n`);
    provide('dynamoEndpoint', '');
    return undefined;
  }
  const engine: DynamoDbLocal = await startDynamoDbLocal();
  provide('dynamoEndpoint', engine.endpoint);
  return () => engine.stop();
}
