import { defineConfig } from 'vitest/config';

// Three kinds of test, split by what they need:
// - unit: nothing but Node;
// - infra: synthesises the CDK app (bundles the functions once, no AWS account);
// - integration: the local runtime (DynamoDB Local, s3rver, aws-ses-v2-local, the HTTP API), started
//   once per run by global-setup.ts and reached over real HTTP.
// Workers: Vitest's default (CPUs - 1), so one file at a time on CI's 2 cores. Two at once was tried
// (2026-12-03): the files share one runtime, whose change feed then fell behind (sync-model seeds did
// not converge within their 40 s), so more workers would need a runtime per worker first.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // A few unit tests import every handler or encode many images: seconds on a busy 2-core machine.
          testTimeout: 30_000,
          // Handlers log and emit EMF to stdout; tests assert on answers and spy on the logger instead.
          env: { POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          setupFiles: ['test/integration/support/setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
