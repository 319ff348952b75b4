import type { AwsClients } from './clients.ts';

/** 127.0.0.0/8 and ::1: the endpoint runs on this machine. */
const LOOPBACK_IP = /^(?:127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * Where CloudFormation fetches a template from: path-style on an endpoint (LocalStack, moto). A loopback
 * IP is sent as `localhost`: moto reads a TemplateURL path-style only when it says "localhost" (any other
 * host is taken as a virtual-hosted bucket name, so `127` would be the bucket: a false NoSuchBucket),
 * and the endpoint reads the URL on its own machine, where localhost is the same loopback.
 */
export async function templateUrl(clients: AwsClients, bucket: string, key: string, endpoint?: string) {
  if (endpoint) {
    const url = new URL(endpoint);
    if (LOOPBACK_IP.test(url.hostname)) url.hostname = 'localhost';
    return `${url.origin}${url.pathname.replace(/\/$/, '')}/${bucket}/${key}`;
  }
  return `https://${bucket}.s3.${await clients.region()}.amazonaws.com/${key}`;
}
