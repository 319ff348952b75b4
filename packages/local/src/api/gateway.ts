import type { ServerResponse } from 'node:http';
import { GATEWAY_ERRORS, type GatewayErrorType } from '@tasktracker/handlers';

/** One AWS::ApiGateway::GatewayResponse of the template: how API Gateway words its own errors. */
export interface GatewayResponseDefinition {
  statusCode?: number;
  /** `gatewayresponse.header.<name>` → a mapping expression ('static', method.request.header.X, context.requestId). */
  parameters: Record<string, string>;
  /** Content type → body template. */
  templates: Record<string, string>;
}

export type GatewayResponses = Partial<Record<string, GatewayResponseDefinition>>;

export interface GatewayAnswer {
  type: GatewayErrorType;
  /** Overrides the type's standard message (API Gateway names the missing parameters, for one). */
  message?: string;
}

interface RequestFacts {
  requestId: string;
  /** Lower-cased request headers. */
  headers: Record<string, string | string[] | undefined>;
}

/** The value of one response-parameter mapping expression, or undefined when it maps nothing. */
function mappedValue(expression: string, request: RequestFacts): string | undefined {
  const statics = /^'(.*)'$/s.exec(expression);
  if (statics) return statics[1];
  if (expression === 'context.requestId') return request.requestId;
  const header = /^method\.request\.header\.(.+)$/.exec(expression)?.[1];
  if (header) {
    const value = request.headers[header.toLowerCase()];
    return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/** The few $context variables our templates use, substituted as API Gateway does (no VTL logic). */
function renderTemplate(template: string, type: string, message: string, request: RequestFacts): string {
  return template
    .replaceAll('$context.error.messageString', JSON.stringify(message))
    .replaceAll('$context.error.message', message)
    .replaceAll('$context.error.responseType', type)
    .replaceAll('$context.requestId', request.requestId);
}

/**
 * Answers as API Gateway would for a response type: the template's GatewayResponse for that type, else
 * its DEFAULT_4XX or DEFAULT_5XX, else API Gateway's own `{"message": ...}`.
 */
export function sendGatewayAnswer(
  response: ServerResponse,
  answer: GatewayAnswer,
  responses: GatewayResponses,
  request: RequestFacts,
): void {
  const standard = GATEWAY_ERRORS[answer.type];
  const message = answer.message ?? standard.message;
  const definition =
    responses[answer.type] ?? responses[standard.status < 500 ? 'DEFAULT_4XX' : 'DEFAULT_5XX'];
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': message.replace(/ /g, '').replace(/[^A-Za-z]/g, ''),
  };
  for (const [name, expression] of Object.entries(definition?.parameters ?? {})) {
    const value = mappedValue(expression, request);
    if (value !== undefined) headers[name] = value;
  }
  const template = definition?.templates['application/json'];
  const body = template
    ? renderTemplate(template, answer.type, message, request)
    : JSON.stringify({ message });
  response.writeHead(definition?.statusCode ?? standard.status, headers);
  response.end(body);
}
