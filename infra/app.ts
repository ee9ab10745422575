// The CDK app (cdk.json runs `npx tsx infra/app.ts`): bundles every Lambda with esbuild, builds
// the stacks and synthesises them, with cdk-nag's AwsSolutions checks as a validation plugin.
// Context (`-c key=value`): prefix, corsOrigins, mailFrom, jwtSecretParameter, alarmEmail, publicUrl,
// appUrl, dynamodbSlowMs, loanReminderSchedule, loanReminderDueSoonDays, loanReminderOverdueLimit, and stage (`prod` refuses the unsafe local defaults: stacks/unsafe-defaults.ts).
import { buildApp } from './stacks/index.js';

const { app } = buildApp();
app.synth();
