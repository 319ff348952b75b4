import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Loaded on the first export job, like the S3 publisher: the Lambda client is then made once and
 * reused. The SDK reads AWS_ENDPOINT_URL_LAMBDA / AWS_ENDPOINT_URL itself (ministack, `tt local serve`).
 */
export function createInvoker(env: Record<string, string | undefined>) {
  const lambda = new LambdaClient(env.AWS_REGION ? { region: env.AWS_REGION } : {});
  return async (functionName: string, payload: unknown): Promise<void> => {
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(payload)),
      }),
    );
  };
}
