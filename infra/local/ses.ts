// SES on one machine: aws-ses-v2-local (SES v1 and v2 SendEmail). Sent mail is kept in memory,
// listed as JSON at `/store` and shown on a web page at `/`.
import type { Server } from 'node:http';
import sesPackage from 'aws-ses-v2-local';
import { PortInUseError } from './processes.js';

export interface LocalSes {
  endpoint: string;
  /** the web page listing the mail sent so far */
  inbox: string;
  stop(): Promise<void>;
}

/**
 * The account aws-ses-v2-local describes for SES v2 GetAccount (the readiness probe asks it);
 * the package reads it from AWS_SES_ACCOUNT at each request and answers 400 without it.
 */
const sandboxAccount = {
  DedicatedIpAutoWarmupEnabled: false,
  Details: {
    AdditionalContactEmailAddresses: [],
    ContactLanguage: 'EN',
    MailType: 'TRANSACTIONAL',
    ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
    UseCaseDescription: 'home-warehouse local runtime',
    WebsiteURL: 'http://127.0.0.1',
  },
  EnforcementStatus: 'HEALTHY',
  ProductionAccessEnabled: true,
  SendingEnabled: true,
  SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 0 },
  SuppressionAttributes: { SuppressedReasons: [] },
};

export async function startSes(options: { port: number }): Promise<LocalSes> {
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(sandboxAccount);
  // A CommonJS module: Node's ESM import sees module.exports, whose `default` is the function.
  const server: Server = await sesPackage.default({ host: '127.0.0.1', port: options.port });
  // Express 5 reports a failed listen through the callback the package treats as success.
  if (!server.listening) throw new PortInUseError(options.port, 'SES_PORT', 'aws-ses-v2-local');
  const endpoint = `http://127.0.0.1:${options.port}`;
  return {
    endpoint,
    inbox: `${endpoint}/`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
