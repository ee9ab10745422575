// Settings every AWS client shares: region, explicit timeouts and a bounded number of attempts,
// so a slow dependency fails a request in seconds instead of holding it until Lambda's timeout.
import { config } from '../config.js';

export function clientOptions(endpoint: string | undefined) {
  return {
    region: config.region,
    maxAttempts: config.aws.maxAttempts,
    // Without throwOnRequestTimeout the SDK only warns when requestTimeout passes.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: config.aws.requestTimeoutMs, throwOnRequestTimeout: true },
    ...(endpoint ? { endpoint } : {}),
  };
}
