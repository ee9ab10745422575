// The access-token signing secret: from configuration locally; in AWS from an SSM SecureString,
// read through the AWS Parameters and Secrets Lambda Extension (a layer the CDK app adds). The
// extension answers on localhost and caches the value, so no SSM client is bundled into every
// route: the cold-start budget stays with the DynamoDB client. Read once per container, on the
// first request that signs or verifies a token.
import { config } from '../../config.js';

let key: Promise<Uint8Array> | undefined;

async function fromExtension(parameterName: string): Promise<string> {
  const { extensionPort, sessionToken } = config.parametersExtension;
  if (!sessionToken) throw new Error('No AWS session token to authenticate to the parameters extension');
  const url = `http://localhost:${extensionPort}/systemsmanager/parameters/get?name=${encodeURIComponent(parameterName)}&withDecryption=true`;
  const response = await fetch(url, { headers: { 'X-Aws-Parameters-Secrets-Token': sessionToken }, signal: AbortSignal.timeout(3_000) });
  if (!response.ok) throw new Error(`The parameters extension answered ${response.status} for the JWT secret`);
  const body = (await response.json()) as { Parameter?: { Value?: string } };
  return body.Parameter?.Value ?? '';
}

async function load(): Promise<Uint8Array> {
  const secret = config.jwt.secret ?? (config.jwt.secretParameter ? await fromExtension(config.jwt.secretParameter) : undefined);
  if (!secret) throw new Error('Neither JWT_SECRET nor JWT_SECRET_PARAMETER is configured');
  if (secret.length < 32) throw new Error('The JWT secret is shorter than 32 characters');
  return new TextEncoder().encode(secret);
}

export function signingKey(): Promise<Uint8Array> {
  key ??= load().catch((error: unknown) => {
    key = undefined; // a failed read is retried by the next request, not cached
    throw error;
  });
  return key;
}
