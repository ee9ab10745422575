// Unsafe defaults say so: CORS `*`, a `.local` sender and no alarm subscriber warn on the stack
// concerned, and with `-c stage=prod` they are errors, which the CDK CLI refuses to synthesise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsafeDefaults } from '../../infra/stacks/unsafe-defaults.js';
import { synthApp, type Synthesised } from './helpers.js';

const safe = { corsOrigins: ['https://app.example.com'], mailFrom: 'no-reply@example.com', alarmEmail: 'ops@example.com' };

/** Messages of one level, by stack id. */
function messages(synth: Synthesised, level: 'warning' | 'error'): Record<string, string[]> {
  return Object.fromEntries(synth.assembly.stacks.map((stack) => [
    stack.id,
    stack.messages.filter((message) => message.level === level).map((message) => String(message.entry.data)),
  ]));
}

/** What stack ids are flagged for each setting, by a word of its message. */
function flagged(byStack: Record<string, string[]>): Record<string, string[]> {
  const on = (word: string) => Object.entries(byStack).filter(([, list]) => list.some((text) => text.includes(word))).map(([id]) => id).sort();
  return { cors: on('CORS'), mail: on('.local'), alarms: on('alarmEmail') };
}

const cli = join(process.cwd(), 'node_modules', '.bin', 'cdk');

/** `cdk synth` over an existing cloud assembly: the CLI's own verdict (exit status, output). */
function cliSynth(synth: Synthesised): { status: number | null; output: string } {
  const run = spawnSync(cli, ['synth', '--app', synth.assembly.directory, '--quiet', '--no-notices'], {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('unsafe defaults', () => {
  it('names CORS `*`, a .local or localhost sender and a missing alarm subscriber, and nothing else', () => {
    expect(Object.keys(unsafeDefaults({ corsOrigins: ['*'], mailFrom: 'no-reply@home-warehouse.local' })).sort()).toEqual(['alarms', 'cors', 'mail']);
    expect(Object.keys(unsafeDefaults({ corsOrigins: ['https://a.example', '*'], mailFrom: 'me@LOCALHOST', alarmEmail: 'x@example.com' })).sort()).toEqual(['cors', 'mail']);
    expect(unsafeDefaults(safe)).toEqual({});
    expect(unsafeDefaults({ ...safe, mailFrom: 'no-reply@local.example.com' })).toEqual({});
  });

  it('warn on the stacks they concern, without failing, when no stage is given', () => {
    const synth = synthApp({ alarmEmail: undefined });
    expect(flagged(messages(synth, 'warning'))).toEqual({ cors: ['hw-api', 'hw-data'], mail: ['hw-jobs'], alarms: ['hw-observability'] });
    expect(Object.values(messages(synth, 'error')).flat()).toEqual([]);
    if (existsSync(cli)) expect(cliSynth(synth).status).toBe(0);
  });

  it('are errors with stage prod, and the CDK CLI refuses to synthesise', () => {
    const synth = synthApp({ alarmEmail: undefined, stage: 'prod' });
    expect(flagged(messages(synth, 'error'))).toEqual({ cors: ['hw-api', 'hw-data'], mail: ['hw-jobs'], alarms: ['hw-observability'] });
    if (!existsSync(cli)) return;
    const { status, output } = cliSynth(synth);
    expect(status).not.toBe(0);
    expect(output).toContain('refused for -c stage=prod');
  });

  it('leave a stage prod synth with real settings alone', () => {
    const synth = synthApp({ ...safe, stage: 'prod' });
    expect(flagged(messages(synth, 'warning'))).toEqual({ cors: [], mail: [], alarms: [] });
    expect(Object.values(messages(synth, 'error')).flat()).toEqual([]);
    if (existsSync(cli)) expect(cliSynth(synth).status).toBe(0);
  });
});
