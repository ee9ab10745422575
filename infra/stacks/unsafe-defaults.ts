// Settings whose defaults suit a laptop but not a deployment: CORS open to every origin, a sender
// address SES cannot send from, alarms with nobody subscribed. Any synth with them says so on the
// stack concerned (a warning the CLI prints); a synth for `-c stage=prod` refuses (an error, which
// makes `cdk synth` and `cdk deploy` fail). The local runtime does not synthesise, so it is unaffected.
import { Annotations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface DeploySettings {
  /** `prod` turns every finding into an error */
  stage?: string;
  corsOrigins: readonly string[];
  mailFrom: string;
  alarmEmail?: string;
}

export interface UnsafeDefault {
  /** annotation id, e.g. `home-warehouse:corsAnyOrigin` */
  id: string;
  message: string;
}

export const productionStage = 'prod';

/** The unsafe settings among these, each with what to pass instead. */
export function unsafeDefaults(settings: DeploySettings): { cors?: UnsafeDefault; mail?: UnsafeDefault; alarms?: UnsafeDefault } {
  const domain = settings.mailFrom.slice(settings.mailFrom.lastIndexOf('@') + 1).toLowerCase();
  return {
    ...(settings.corsOrigins.includes('*') ? {
      cors: {
        id: 'home-warehouse:corsAnyOrigin',
        message: 'CORS allows any origin (corsOrigins `*`): any web page may call the API and the bucket from a signed-in browser. Pass -c corsOrigins=https://<the PWA origin>.',
      },
    } : {}),
    ...(domain.endsWith('.local') || domain === 'localhost' ? {
      mail: {
        id: 'home-warehouse:localMailSender',
        message: `Mail is sent from ${settings.mailFrom}, a local address SES cannot verify: password-reset mail will fail. Pass -c mailFrom=<an address of a verified SES identity>.`,
      },
    } : {}),
    ...(settings.alarmEmail ? {} : {
      alarms: {
        id: 'home-warehouse:noAlarmSubscriber',
        message: 'No alarmEmail: the alarm topic has no subscriber, so every alarm (5xx, failure queues, throttles) reaches nobody. Pass -c alarmEmail=<an address watched by whoever is on call>.',
      },
    }),
  };
}

/**
 * Annotates each unsafe setting on the stack it concerns: a warning, or an error for `prod`.
 * Returns what it found (tests and the CLI output read the annotations).
 */
export function flagUnsafeDefaults(settings: DeploySettings, on: { cors: IConstruct[]; mail: IConstruct[]; alarms: IConstruct[] }): UnsafeDefault[] {
  const found = unsafeDefaults(settings);
  const production = settings.stage === productionStage;
  for (const key of ['cors', 'mail', 'alarms'] as const) {
    const finding = found[key];
    if (!finding) continue;
    for (const scope of on[key]) {
      if (production) Annotations.of(scope).addError(`${finding.message} (refused for -c stage=${productionStage})`);
      else Annotations.of(scope).addWarningV2(finding.id, `UNSAFE FOR A REAL DEPLOYMENT: ${finding.message}`);
    }
  }
  return Object.values(found);
}
