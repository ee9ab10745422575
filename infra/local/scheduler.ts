// The local stand-in for EventBridge Scheduler: every job of `scheduledJobs` (infra/functions.ts)
// runs in this process at the times its expression names, in UTC, with an event like the one the
// scheduler sends. `npm run job <name>` (run-job.ts) runs one now.
import { randomUUID } from 'node:crypto';
import type { ScheduledJob } from '../functions.js';
import { localAccount } from './environment.js';
import { nextFireTime, parseSchedule, type Schedule } from './schedule-expression.js';

export { nextFireTime, parseSchedule, ScheduleExpressionError } from './schedule-expression.js';

export interface ScheduledJobEvent {
  version: '0';
  id: string;
  'detail-type': 'Scheduled Event';
  source: 'aws.scheduler';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

/** The event a job receives: EventBridge's scheduled-event envelope, naming the schedule. */
export function scheduledJobEvent(job: Pick<ScheduledJob, 'name'>, scheduledTime: Date, region: string): ScheduledJobEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: localAccount,
    time: scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:scheduler:${region}:${localAccount}:schedule/default/${job.name}`],
    detail: {},
  };
}

export interface SchedulerOptions {
  jobs: readonly ScheduledJob[];
  region: string;
  run: (job: ScheduledJob, event: ScheduledJobEvent) => Promise<unknown>;
  /** after each run: its outcome */
  onRun?: (job: ScheduledJob, outcome: { ok: boolean; error?: unknown; durationMs: number }) => void;
  now?: () => Date;
}

export interface Scheduler {
  /** next fire time of each job */
  upcoming(): { name: string; at: Date }[];
  /** clears the timers and waits for runs in progress */
  stop(): Promise<void>;
}

// setTimeout takes at most 2^31-1 ms (~24.8 days); longer waits are taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Starts the timers. Throws (naming the job) when an expression is invalid. */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => new Date());
  const timers = new Map<string, NodeJS.Timeout>();
  const upcoming = new Map<string, Date>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  // jobs without a schedule run on demand only (`npm run job`)
  const parsed: [ScheduledJob, Schedule][] = options.jobs.filter((job) => job.schedule !== undefined).map((job) => {
    try {
      return [job, parseSchedule(job.schedule!)];
    } catch (error) {
      throw new Error(`scheduled job '${job.name}': ${(error as Error).message}`);
    }
  });

  function arm(job: ScheduledJob, at: Date) {
    upcoming.set(job.name, at);
    const wait = at.getTime() - now().getTime();
    const timer = setTimeout(() => (wait > MAX_TIMER_MS ? arm(job, at) : fire(job, at)), Math.max(0, Math.min(wait, MAX_TIMER_MS)));
    timer.unref();
    timers.set(job.name, timer);
  }

  function fire(job: ScheduledJob, at: Date) {
    if (stopped) return;
    const schedule = parsed.find(([candidate]) => candidate === job)![1];
    // Keep a rate's cadence; after a pause (laptop asleep), skip the missed times instead of catching up.
    let next = nextFireTime(schedule, at);
    if (next.getTime() <= now().getTime()) next = nextFireTime(schedule, now());
    arm(job, next);
    const started = Date.now();
    const run = options
      .run(job, scheduledJobEvent(job, at, options.region))
      .then(
        () => options.onRun?.(job, { ok: true, durationMs: Date.now() - started }),
        (error: unknown) => options.onRun?.(job, { ok: false, error, durationMs: Date.now() - started }),
      )
      .finally(() => running.delete(run));
    running.add(run);
  }

  const start = now();
  for (const [job, schedule] of parsed) arm(job, nextFireTime(schedule, start));

  return {
    upcoming: () => [...upcoming].map(([name, at]) => ({ name, at })),
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
