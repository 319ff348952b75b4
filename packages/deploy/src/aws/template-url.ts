import type { AwsClients } from './clients.ts';

/** Where CloudFormation fetches a template from: path-style on an endpoint (LocalStack, moto). */
export async function templateUrl(clients: AwsClients, bucket: string, key: string, endpoint?: string) {
  if (endpoint) return `${endpoint.replace(/\/$/, '')}/${bucket}/${key}`;
  return `https://${bucket}.s3.${await clients.region()}.amazonaws.com/${key}`;
}
