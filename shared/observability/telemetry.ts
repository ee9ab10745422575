// One logger and one metrics object per container, shared by every handler in a bundle.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { config } from '../config.js';

export const logger = new Logger({ serviceName: config.serviceName });

export const metrics = new Metrics({
  namespace: config.metricsNamespace,
  serviceName: config.serviceName,
  // Most requests emit no metric but the cold start; Powertools warns about every such flush.
  // That is the normal case here, so its notices go to the debug level of the structured log.
  logger: {
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.info(String(args[0])),
    warn: (...args: unknown[]) => logger.debug(String(args[0])),
    error: (...args: unknown[]) => logger.error(String(args[0])),
  },
});
