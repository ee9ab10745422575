// The document passes Redocly's recommended lint rules (departures reasoned in
// test/unit/openapi/redocly.yaml) with zero errors and zero warnings.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { openApiDocument } from '../../shared/contract/openapi.js';

const root = join(import.meta.dirname, '../..');

describe('OpenAPI lint (Redocly recommended)', () => {
  it('finds no error and no warning', () => {
    const dir = join(root, '.cache', 'openapi-lint');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(openApiDocument(routeTable, { version: '1.0.0' })));
    const output = execFileSync(process.execPath, [
      join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(root, 'test/unit/openapi/redocly.yaml'), '--format', 'json',
    ], { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    const report = JSON.parse(output.slice(output.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    process.stdout.write(`openapi lint: ${report.totals.errors} errors, ${report.totals.warnings} warnings over ${routeTable.length} operations\n`);
    expect(report.problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
  }, 60_000);
});
