// SES on one machine: aws-ses-v2-local (SES v1 and v2 SendEmail). Sent mail is kept in memory,
// listed as JSON at `/store` and shown on a web page at `/`.
//
// Faults, for tests of what the product does when SES refuses a mail: `POST /faults` with
// `{"to": "<address>", "count": 1, "code": "MessageRejected", "status": 400}` makes the next `count`
// SES v1 sends to that address fail with that SES error (nothing stored); `GET /faults` lists what
// is left, `DELETE /faults` clears them. With no fault set, requests reach aws-ses-v2-local untouched.
//
// Feedback, as SES's mailbox simulator gives it: a send through a configuration set to
// bounce@simulator.amazonses.com or complaint@simulator.amazonses.com (with an optional `+label`) is
// stored like any other, then comes back as the SNS-wrapped bounce or complaint event the set would
// publish (`onFeedback`: the runtime hands it to the mail-feedback handler).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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

interface Fault {
  to: string;
  count: number;
  code: string;
  status: number;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function json(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Calls `sent` with the message id once aws-ses-v2-local has answered a send with 200. */
function afterSend(response: ServerResponse, sent: (messageId: string) => void) {
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  (response as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
    const body = typeof args[0] === 'string' ? args[0] : Buffer.isBuffer(args[0]) ? args[0].toString('utf8') : '';
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(body)?.[1];
    const result = end(...args);
    if (response.statusCode === 200 && messageId) setImmediate(() => sent(messageId));
    return result;
  };
}

/**
 * SES's mailbox simulator, for the feedback path: a send through a configuration set to
 * `bounce@simulator.amazonses.com` or `complaint@simulator.amazonses.com` (a `+label` may follow the
 * local part, as SES allows) comes back as the bounce or complaint event SES would publish to the
 * set's SNS topic, wrapped as the SNS record Lambda receives, with the mail's tags.
 */
function publishFeedback(fields: Record<string, string>, messageId: string, onFeedback: (event: SnsEvent) => void) {
  const configurationSet = fields.ConfigurationSetName;
  if (!configurationSet) return;
  const recipients = Object.entries(fields).filter(([name]) => /^Destination\.(To|Cc|Bcc)Addresses\.member\.\d+$/.test(name)).map(([, value]) => value);
  const tags: Record<string, string[]> = { 'ses:configuration-set': [configurationSet], 'ses:from-domain': [fields.Source?.split('@')[1] ?? ''] };
  for (const [name, value] of Object.entries(fields)) {
    const tag = /^Tags\.member\.(\d+)\.Name$/.exec(name);
    if (tag) tags[value] = [fields[`Tags.member.${tag[1]}.Value`] ?? ''];
  }
  const now = new Date().toISOString();
  const mail = { timestamp: now, source: fields.Source, sendingAccountId: '000000000000', messageId, destination: recipients, headersTruncated: false, tags };
  for (const address of recipients) {
    const kind = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i.exec(address)?.[1]?.toLowerCase();
    if (!kind) continue;
    const sesEvent = kind === 'bounce'
      ? { eventType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bounceSubType: 'General', timestamp: now, feedbackId: randomUUID(), reportingMTA: 'dsn; local',
        bouncedRecipients: [{ emailAddress: address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown (local simulator)' }] } }
      : { eventType: 'Complaint', mail, complaint: { timestamp: now, feedbackId: randomUUID(), complaintFeedbackType: 'abuse', complainedRecipients: [{ emailAddress: address }] } };
    onFeedback({
      Records: [{
        EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: `arn:aws:sns:us-east-1:000000000000:${configurationSet}-feedback:${randomUUID()}`,
        Sns: {
          Type: 'Notification', MessageId: randomUUID(), TopicArn: `arn:aws:sns:us-east-1:000000000000:${configurationSet}-feedback`, Subject: null,
          Message: JSON.stringify(sesEvent), Timestamp: now, SignatureVersion: '1', Signature: 'local', SigningCertUrl: 'https://local/cert.pem',
          UnsubscribeUrl: 'https://local/unsubscribe', MessageAttributes: {},
        },
      }],
    });
  }
}

/** Puts the fault control (and the simulator's feedback) in front of aws-ses-v2-local's own request handler. */
function withFaults(server: Server, onFeedback?: (event: SnsEvent) => void) {
  const faults: Fault[] = [];
  const [ses] = server.listeners('request') as Listener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://local').pathname;
      if (path === '/faults') {
        if (request.method === 'GET') return json(response, 200, { faults });
        if (request.method === 'DELETE') return json(response, 200, { cleared: faults.splice(0).length });
        if (request.method !== 'POST') return json(response, 405, { message: 'GET, POST or DELETE' });
        const body = JSON.parse((await readBody(request)) || '{}') as Partial<Fault>;
        if (typeof body.to !== 'string' || body.to === '') return json(response, 400, { message: 'to: the address whose sends fail' });
        const fault = { to: body.to.toLowerCase(), count: Number(body.count ?? 1), code: String(body.code ?? 'MessageRejected'), status: Number(body.status ?? 400) };
        faults.push(fault);
        return json(response, 201, fault);
      }
      const form = /application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '');
      if ((faults.length === 0 && !onFeedback) || request.method !== 'POST' || !form) return ses!(request, response);
      // SES v1 (the product's client): read the form here; express's body parser sees the request
      // finished and keeps `body` as set.
      const fields = Object.fromEntries(new URLSearchParams(await readBody(request)));
      const recipients = Object.entries(fields).filter(([name]) => /^Destination\.(To|Cc|Bcc)Addresses\.member\.\d+$/.test(name)).map(([, value]) => value.toLowerCase());
      const fault = faults.find((candidate) => candidate.count > 0 && recipients.includes(candidate.to));
      if (fault && /^Send(Raw)?Email$/.test(fields.Action ?? '')) {
        fault.count -= 1;
        if (fault.count === 0) faults.splice(faults.indexOf(fault), 1);
        response.writeHead(fault.status, { 'content-type': 'text/xml' });
        response.end(`<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${fault.code}</Code>` +
          `<Message>injected by the local runtime (POST /faults)</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
        return;
      }
      (request as IncomingMessage & { body?: unknown }).body = fields;
      if (onFeedback && fields.Action === 'SendEmail') afterSend(response, (messageId) => publishFeedback(fields, messageId, onFeedback));
      return ses!(request, response);
    })().catch((error: unknown) => json(response, 500, { message: String(error) }));
  });
}

/** An SNS delivery as Lambda receives it (the fields SNS sends; see aws-lambda's SNSEvent). */
export interface SnsEvent {
  Records: { EventSource: string; EventVersion: string; EventSubscriptionArn: string; Sns: Record<string, unknown> & { Message: string } }[];
}

export async function startSes(options: { port: number; onFeedback?: (event: SnsEvent) => void }): Promise<LocalSes> {
  process.env.AWS_SES_ACCOUNT ??= JSON.stringify(sandboxAccount);
  // A CommonJS module: Node's ESM import sees module.exports, whose `default` is the function.
  const server: Server = await sesPackage.default({ host: '127.0.0.1', port: options.port });
  // Express 5 reports a failed listen through the callback the package treats as success.
  if (!server.listening) throw new PortInUseError(options.port, 'SES_PORT', 'aws-ses-v2-local');
  withFaults(server, options.onFeedback);
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
