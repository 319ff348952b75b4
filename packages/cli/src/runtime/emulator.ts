import * as z from 'zod/mini';
import { LOCALSTACK_LAMBDA_ENDPOINT } from './aws.ts';

/**
 * Which LocalStack-compatible emulator answers at `--target localstack`'s endpoint. They differ in how
 * their functions reach them, and in what their CloudFormation can create (localstack/ministack.md).
 */
export type Emulator = { name: 'localstack' } | { name: 'ministack'; version: string };

const MinistackHealthSchema = z.looseObject({
  services: z.record(z.string(), z.string()),
  version: z.string(),
});

/**
 * ministack answers `/_ministack/health` (LocalStack does not: it has no such path). Anything else,
 * including no answer, is taken for LocalStack, whose defaults `tt deploy` always had.
 */
export async function detectEmulator(endpoint: string, timeoutMs = 2_000): Promise<Emulator> {
  try {
    const response = await fetch(new URL('/_ministack/health', endpoint), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const health = MinistackHealthSchema.safeParse(response.ok ? await response.json() : undefined);
    if (health.success) return { name: 'ministack', version: health.data.version };
  } catch {
    // not ministack (or not up: the deploy's first call says so)
  }
  return { name: 'localstack' };
}

export interface EmulatorDefaults {
  /** Template parameters the deploy starts from; the user's --parameter values win. */
  parameters: Record<string, string>;
  /** What was set and why, printed before the deploy. */
  note?: string;
}

/** The parameters that make the stack work on this emulator. */
export function emulatorDefaults(emulator: Emulator): EmulatorDefaults {
  if (emulator.name === 'localstack') {
    // Function containers reach LocalStack by a name its DNS resolves inside its Docker network.
    return { parameters: { ServiceEndpoint: LOCALSTACK_LAMBDA_ENDPOINT } };
  }
  return {
    // No ServiceEndpoint: ministack runs the functions itself and gives each the AWS_ENDPOINT_URL that
    // reaches it from there, whatever port or container it runs in.
    parameters: { TableThrottleAlarms: 'false' },
    note: `ministack ${emulator.version}: TableThrottleAlarms=false (its CloudFormation cannot create metric-math alarms)`,
  };
}
