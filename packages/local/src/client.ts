import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB Local accepts any credentials; fixed dummy ones mean the SDK never goes looking for the
 * user's real AWS credentials (and never signs a local request with them).
 */
export const LOCAL_CREDENTIALS = Object.freeze({ accessKeyId: 'local', secretAccessKey: 'local' });
export const LOCAL_REGION = 'us-east-1';

/** `overrides` is for transport settings (retries, timeouts); region and credentials always stay local. */
export function localDynamoClient(endpoint: string, overrides: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({
    ...overrides,
    endpoint,
    region: LOCAL_REGION,
    credentials: { ...LOCAL_CREDENTIALS },
  });
}
