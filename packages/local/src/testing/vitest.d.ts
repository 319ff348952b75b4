// Makes this file a module, so the block below augments vitest instead of replacing it.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local endpoint started by the global setup; '' when Java is missing (suites skip). */
    dynamoEndpoint: string;
  }
}
