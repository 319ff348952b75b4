/**
 * The answers API Gateway gives itself, before or instead of a handler: the response type (which the
 * template's GatewayResponses put in the error envelope as its `code`), the status and the message.
 * `tt local serve` answers with these, and the OpenAPI document lists them beside the handlers' codes.
 */
export const GATEWAY_ERRORS = {
  BAD_REQUEST_BODY: {
    status: 400,
    message: 'Invalid request body',
    when: 'the body does not match the model',
  },
  BAD_REQUEST_PARAMETERS: {
    status: 400,
    message: 'Missing required request parameters',
    when: 'a required parameter is missing or empty',
  },
  UNAUTHORIZED: {
    status: 401,
    message: 'Unauthorized',
    when: 'no bearer token, or one the user pool did not issue, or expired (AuthMode cognito or both)',
  },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', when: 'no API key, or one that is not valid' },
  MISSING_AUTHENTICATION_TOKEN: {
    status: 403,
    message: 'Missing Authentication Token',
    when: 'no such resource, or a method it does not have',
  },
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', when: 'the request is over 10 MB' },
  THROTTLED: { status: 429, message: 'Too Many Requests', when: 'over the usage plan rate or burst' },
  INTEGRATION_FAILURE: {
    status: 502,
    message: 'Internal server error',
    when: 'the function failed or answered no valid proxy response',
  },
  INTEGRATION_TIMEOUT: {
    status: 504,
    message: 'Endpoint request timed out',
    when: 'the function ran over 29 s',
  },
} as const satisfies Record<string, { status: number; message: string; when: string }>;

export type GatewayErrorType = keyof typeof GATEWAY_ERRORS;

/**
 * Refusals of a malformed request at the edge carry the handlers' own code, so a client handles one
 * VALIDATION_ERROR whichever layer refused (the template maps these types to it).
 */
export const GATEWAY_VALIDATION_TYPES: readonly GatewayErrorType[] = [
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
];
