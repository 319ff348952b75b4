import { TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod/mini';

/**
 * The two Cognito user pool calls `tt login` makes, over plain HTTPS: InitiateAuth is one of Cognito's
 * unsigned APIs (the app client has no secret), so no SDK client and no AWS credentials are needed.
 */
export interface CognitoEndpoint {
  /** https://cognito-idp.<region>.amazonaws.com/ on AWS, or an emulator's URL (moto, LocalStack). */
  url: string;
  clientId: string;
}

export interface CognitoTokens {
  idToken: string;
  accessToken: string;
  /** Absent from a refresh: the refresh token stays the one the sign-in gave. */
  refreshToken?: string;
  /** Seconds the ID and access tokens live. */
  expiresIn: number;
}

export function cognitoUrl(region: string, endpoint: string | undefined): string {
  return endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`;
}

/** InitiateAuth's answer, or its error body (`__type`, `message`): only what tt reads, parsed. */
const InitiateAuthAnswerSchema = z.object({
  AuthenticationResult: z.optional(
    z.object({
      IdToken: z.optional(z.string()),
      AccessToken: z.optional(z.string()),
      RefreshToken: z.optional(z.string()),
      ExpiresIn: z.optional(z.number()),
    }),
  ),
  ChallengeName: z.optional(z.string()),
  __type: z.optional(z.string()),
  message: z.optional(z.string()),
});

async function initiateAuth(
  endpoint: CognitoEndpoint,
  flow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH',
  parameters: Record<string, string>,
): Promise<CognitoTokens> {
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({ AuthFlow: flow, ClientId: endpoint.clientId, AuthParameters: parameters }),
    });
  } catch (error) {
    throw new TaskTrackerError(
      'SERVICE_UNAVAILABLE',
      `Cognito at ${endpoint.url} could not be reached`,
      undefined,
      { cause: error },
    );
  }
  const parsed = InitiateAuthAnswerSchema.safeParse(await response.json().catch(() => ({})));
  if (!parsed.success)
    throw new TaskTrackerError(
      'SERVICE_UNAVAILABLE',
      `Cognito at ${endpoint.url} answered in an unknown shape`,
    );
  const answer = parsed.data;
  if (!response.ok) {
    const type =
      String(answer.__type ?? '')
        .split('#')
        .at(-1) ?? '';
    const message = answer.message ?? answer.__type ?? `HTTP ${response.status}`;
    if (type === 'NotAuthorizedException' || type === 'UserNotFoundException')
      throw new TaskTrackerError(
        'UNAUTHORIZED',
        flow === 'REFRESH_TOKEN_AUTH'
          ? `the saved sign-in is no longer valid (${message}): run tt login again`
          : `sign-in refused: ${message}`,
      );
    if (type === 'ResourceNotFoundException' || type === 'InvalidParameterException')
      throw new TaskTrackerError('VALIDATION_ERROR', `Cognito: ${message} (is the app client id right?)`);
    throw new TaskTrackerError('SERVICE_UNAVAILABLE', `Cognito ${type || response.status}: ${message}`);
  }
  if (answer.ChallengeName)
    throw new TaskTrackerError(
      'UNAUTHORIZED',
      `Cognito asks for ${answer.ChallengeName} first (a new user must set a permanent password: aws cognito-idp admin-set-user-password --permanent)`,
    );
  const result = answer.AuthenticationResult;
  if (!result?.IdToken || !result.AccessToken)
    throw new TaskTrackerError('SERVICE_UNAVAILABLE', 'Cognito answered without tokens');
  return {
    idToken: result.IdToken,
    accessToken: result.AccessToken,
    ...(result.RefreshToken ? { refreshToken: result.RefreshToken } : {}),
    expiresIn: result.ExpiresIn ?? 3600,
  };
}

export function signIn(
  endpoint: CognitoEndpoint,
  username: string,
  password: string,
): Promise<CognitoTokens> {
  return initiateAuth(endpoint, 'USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password });
}

export function refreshTokens(endpoint: CognitoEndpoint, refreshToken: string): Promise<CognitoTokens> {
  return initiateAuth(endpoint, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshToken });
}
