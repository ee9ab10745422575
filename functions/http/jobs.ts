// Background jobs (shared/domain/jobs): their status, progress and file.
import * as contract from '../../shared/contract/jobs.js';
import { httpRoute } from '../../shared/http/route.js';
import { getJob as readJob } from '../../shared/domain/jobs/service.js';

export const getJob = /* @__PURE__ */ httpRoute(contract.getJob, ({ scope, params }) => readJob(scope, params.id));
