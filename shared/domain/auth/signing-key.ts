// The access-token signing secret: from configuration locally, from an SSM SecureString in AWS
// (read once per container, on the first request that needs it; the SSM client is loaded only
// then, so routes that never sign or verify a token do not pay for it at cold start).
import { config } from '../../config.js';

let key: Promise<Uint8Array> | undefined;

async function load(): Promise<Uint8Array> {
  if (config.jwt.secret) return new TextEncoder().encode(config.jwt.secret);
  if (!config.jwt.secretParameter) throw new Error('Neither JWT_SECRET nor JWT_SECRET_PARAMETER is configured');
  const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
  const { clientOptions } = await import('../../aws/client-options.js');
  const ssm = new SSMClient(clientOptions(undefined));
  const result = await ssm.send(new GetParameterCommand({ Name: config.jwt.secretParameter, WithDecryption: true }));
  const value = result.Parameter?.Value;
  if (!value || value.length < 32) throw new Error('The JWT secret parameter is missing or shorter than 32 characters');
  return new TextEncoder().encode(value);
}

export function signingKey(): Promise<Uint8Array> {
  key ??= load().catch((error: unknown) => {
    key = undefined; // a failed read is retried by the next request, not cached
    throw error;
  });
  return key;
}
