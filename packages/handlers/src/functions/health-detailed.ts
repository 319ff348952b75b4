import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { detailedHealthRoute } from '../routes/health/detailed.ts';
import { publicHandler } from './api.ts';

// One attempt: a health check reports a slow dependency, it does not wait it out with retries.
export const handler = publicHandler((runtime) =>
  detailedHealthRoute(
    runtime,
    new DynamoDBClient({
      ...(runtime.config.region ? { region: runtime.config.region } : {}),
      maxAttempts: 1,
    }),
  ),
);
