// What the print routes do before a job is recorded: check the request against the workspace
// (every thing named is one of its own; the start position is on the sheet), so a job only ever
// fails for reasons no request could have foreseen. Light on purpose: the routes' bundles carry
// this, never the renderer (label-sheet.ts, insurance-report.ts run in the job).
import type { z } from 'zod/mini';
import type { createInsuranceReport, createLabelSheets } from '../../contract/print.js';
import { labelLimits } from '../../contract/print.js';
import type { JobView } from '../../contract/jobs.js';
import type { WorkspaceScope } from '../../http/caller.js';
import * as keys from '../../db/keys.js';
import { batchGet } from '../../db/table.js';
import { DomainError } from '../errors.js';
import { ReferenceNotFound } from '../catalog/errors.js';
import { startJob } from '../jobs/service.js';
import { labelLayouts, labelsPerSheet } from './layouts.js';

export type LabelSheetRequest = z.output<NonNullable<typeof createLabelSheets.body>>;
export type InsuranceReportRequest = z.output<NonNullable<typeof createInsuranceReport.body>>;

const invalid = (field: string, message: string) => new DomainError('VALIDATION_FAILED', message, { errors: [{ location: `body.${field}`, message }] });

export async function startLabelSheets(scope: WorkspaceScope, request: LabelSheetRequest): Promise<JobView> {
  const layout = labelLayouts[request.layout];
  const start = request.start_position ?? 1;
  if (start > labelsPerSheet(layout)) throw invalid('start_position', `${request.layout} has ${labelsPerSheet(layout)} labels per sheet.`);
  const total = request.targets.length * (request.copies ?? 1);
  if (total > labelLimits.labels) throw invalid('copies', `At most ${labelLimits.labels} labels in one request (targets × copies is ${total}).`);
  const workspaceId = scope.workspace.id;
  const wanted = new Map(request.targets.map(({ entity_type, id }) => { const key = keys.entity(workspaceId, entity_type, id); return [key.SK, key]; }));
  const found = new Set((await batchGet<{ SK: string }>([...wanted.values()])).map((record) => record.SK));
  const missing = request.targets.findIndex(({ entity_type, id }) => !found.has(keys.entity(workspaceId, entity_type, id).SK));
  if (missing >= 0) {
    const target = request.targets[missing]!;
    throw ReferenceNotFound(`No ${target.entity_type.toLowerCase()} with that id in this workspace.`, {
      errors: [{ location: `body.targets[${missing}]`, message: 'is not in this workspace', value: target }],
    });
  }
  return startJob(scope, 'LABEL_SHEETS', request, total);
}

export async function startInsuranceReport(scope: WorkspaceScope, request: InsuranceReportRequest): Promise<JobView> {
  // the rows are counted by the job as it reads them (the total is known only then)
  return startJob(scope, 'INSURANCE_REPORT', request, 0);
}
