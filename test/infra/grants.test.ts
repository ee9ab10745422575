// Least privilege, read from the synthesised templates: every route's role holds what
// `grantsOf(contract)` names and nothing else, roles are shared only by routes with identical
// grants, and the background functions hold what infra/functions.ts declares for them.
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { grantsOf } from '../../shared/contract/route.js';
import { backgroundGrants, grantsName, routeGrants, tableReadActions, tableWriteActions, type Grants } from '../../infra/constructs/permissions.js';
import { changeFeed, jobRunner, scheduledJobs, uploadVerifier } from '../../infra/functions.js';
import { actionsOf, roleOf, roleStatements, synthApp, templateFiles, type Resource, type Statement, type Synthesised } from './helpers.js';

const readActions: string[] = [...tableReadActions];
const writeActions: string[] = [...tableWriteActions];

/** The actions a set of grants stands for (logs and the failure queues aside). */
function expectedActions(grants: Grants): string[] {
  const actions: string[] = [];
  if (grants.table !== 'none') actions.push(...readActions, ...(grants.table === 'write' ? writeActions : []));
  if (grants.attachments.includes('list')) actions.push('s3:ListBucket');
  // the bucket is versioned: reads and deletes may name a version
  if (grants.attachments.includes('read')) actions.push('s3:GetObject', 's3:GetObjectVersion');
  if (grants.attachments.includes('write')) actions.push('s3:PutObject');
  if (grants.attachments.includes('delete')) actions.push('s3:DeleteObject', 's3:DeleteObjectVersion');
  if (grants.mail) actions.push('ses:SendEmail', 'ses:SendRawEmail');
  if (grants.mailAccount) actions.push('ses:GetAccount');
  if (grants.signingSecret) actions.push('ssm:GetParameter');
  return [...new Set(actions)].sort();
}

/** The change feed reads the table's stream through StreamConsumer's own policy. */
const streamActions = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/** Actions beside the grants: writing its logs, and sending to its failure queue. */
const plumbing = (action: string) => action.startsWith('logs:') || action.startsWith('sqs:');

interface RouteRole {
  id: string;
  functionName: string;
  grants: Grants;
  roleId: string;
  /** template file of the nested stack */
  file: string;
  statements: Statement[];
  actions: string[];
  layers: string;
}

let synth: Synthesised;
let routes: RouteRole[];
const byId = (id: string) => routes.find((route) => route.id === id)!;

beforeAll(() => {
  synth = synthApp();
  const files = templateFiles(synth.assembly);
  routes = synth.built.api.routeFunctions.map((routeFunction) => {
    const { file, template } = files.find(({ template }) => Object.values(template.Resources ?? {})
      .some((resource) => resource.Type === 'AWS::Lambda::Function' && resource.Properties!.FunctionName === routeFunction.functionName))!;
    const resources = template.Resources!;
    const fn = Object.values(resources).find((resource) => resource.Properties?.FunctionName === routeFunction.functionName)!;
    const statements = roleStatements(resources, roleOf(fn));
    return {
      id: routeFunction.contract.id, functionName: routeFunction.functionName, grants: routeFunction.grants, roleId: roleOf(fn), file,
      statements, actions: actionsOf(statements).filter((action) => !plumbing(action)), layers: JSON.stringify(fn.Properties!.Layers ?? []),
    };
  });
});

describe('route roles', () => {
  it('take their grants from grantsOf(contract)', () => {
    expect(routes).toHaveLength(routeTable.length);
    for (const contract of routeTable) expect(byId(contract.id).grants, contract.id).toEqual(routeGrants(grantsOf(contract)));
  });

  it('hold exactly the actions their grants name', () => {
    for (const route of routes) expect(route.actions, route.id).toEqual(expectedActions(route.grants));
  });

  it('are shared only by routes of one nested stack with identical grants: one role per distinct grant set', () => {
    const roles = new Map<string, Set<string>>();
    for (const route of routes) {
      const key = `${route.file} ${route.roleId}`;
      roles.set(key, (roles.get(key) ?? new Set()).add(grantsName(route.grants)));
    }
    for (const [role, names] of roles) expect([...names], role).toHaveLength(1);
    const distinctPerStack = new Set(routes.map((route) => `${route.file} ${grantsName(route.grants)}`));
    expect(roles.size).toBe(distinctPerStack.size);
    const grantSets = [...new Set(routes.map((route) => grantsName(route.grants)))].sort();
    process.stdout.write(`route roles: ${roles.size} for ${routes.length} routes in ${new Set(routes.map((route) => route.file)).size} nested stacks; `
      + `${grantSets.length} distinct grant sets: ${grantSets.join(', ')}\n`);
  });

  it('let no GET route write the table unless it declares table write', () => {
    const gets = routeTable.filter((contract) => contract.method === 'GET');
    expect(gets.length).toBeGreaterThan(0);
    for (const contract of gets) {
      if (grantsOf(contract).table === 'write') continue;
      expect(byId(contract.id).actions.filter((action) => writeActions.includes(action)), contract.id).toEqual([]);
    }
    // the barcode lookup caches what the providers said and counts lookups per client address; an
    // export too large to answer records the job that makes it
    expect(gets.filter((contract) => contract.grants?.table === 'write').map((contract) => contract.id).sort()).toEqual(['exportEntities', 'lookupBarcode']);
  });

  it('give no table statement at all to routes with table none', () => {
    const none = routes.filter((route) => route.grants.table === 'none');
    expect(none.map((route) => route.id).sort()).toEqual(['docs', 'docsAsset', 'health', 'live', 'openapi']);
    for (const route of none) expect(route.statements.filter((statement) => JSON.stringify(statement).includes('dynamodb')), route.id).toEqual([]);
  });

  it('let exactly the public routes that issue tokens (login, refresh) or check borrower links (signed with a key derived from it) read the signing secret', () => {
    const publicReaders = routeTable.filter((contract) => contract.access === 'public' && byId(contract.id).actions.includes('ssm:GetParameter'));
    expect(publicReaders.map((contract) => contract.id).sort()).toEqual(['borrowerExtensionRequest', 'borrowerLinkPage', 'borrowerReturnClaim', 'login', 'refresh']);
    for (const contract of routeTable) expect(byId(contract.id).actions.includes('ssm:GetParameter'), contract.id).toBe(grantsOf(contract).signingSecret);
  });

  it('add the Parameters and Secrets extension only to functions that read the secret', () => {
    for (const route of routes) expect(route.layers.includes('ParamsandsecretslayerMap'), route.id).toBe(route.grants.signingSecret);
  });

  it('let the upload route sign presigned POSTs (PutObject) and the attachment readers presigned GETs of a version', () => {
    const s3Of = (id: string) => byId(id).actions.filter((action) => action.startsWith('s3:'));
    expect(s3Of('requestAttachmentUpload')).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:PutObject']);
    for (const id of ['listItemAttachments', 'getAttachment', 'downloadAttachment']) {
      expect(s3Of(id), id).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    }
  });

  it('give S3, SES SendEmail and SES GetAccount only to routes that declare them', () => {
    for (const route of routes) {
      const s3 = route.actions.filter((action) => action.startsWith('s3:'));
      if (route.grants.attachments.length === 0) expect(s3, route.id).toEqual([]);
      expect(route.actions.includes('ses:SendEmail'), route.id).toBe(route.grants.mail);
    }
    expect(routes.filter((route) => route.actions.includes('ses:GetAccount')).map((route) => route.id)).toEqual(['ready']);
    expect(byId('ready').actions.filter((action) => action.startsWith('s3:'))).toEqual(['s3:ListBucket']);
  });
});

describe('background roles', () => {
  let resources: Record<string, Resource>;
  const actionsOfFunction = (functionName: string) => {
    const fn = Object.values(resources).find((resource) => resource.Properties?.FunctionName === functionName)!;
    return actionsOf(roleStatements(resources, roleOf(fn))).filter((action) => !plumbing(action) && !streamActions.includes(action));
  };
  beforeAll(() => {
    resources = templateFiles(synth.assembly).find(({ file }) => file === `${synth.built.jobs.stackName}.template.json`)!.template.Resources!;
  });

  it('hold what infra/functions.ts declares: the change feed writes the table, sends mail and deletes attachment objects (any version)', () => {
    const actions = actionsOfFunction(synth.built.jobs.changeFeed.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(changeFeed.grants)));
    expect(changeFeed.grants).toEqual({ table: 'write', attachments: ['delete'], mail: true });
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual(['s3:DeleteObject', 's3:DeleteObjectVersion']);
  });

  it('let the job runner write the table (job status), read photos and uploads, put job files and backups, delete a backup\'s parts, read the JWT secret (an import signs a token for its creator), and send no mail', () => {
    const actions = actionsOfFunction(synth.built.jobs.jobRunner.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(jobRunner.grants)));
    expect(jobRunner.grants).toEqual({ table: 'write', attachments: ['read', 'write', 'delete'], mail: false, signingSecret: true });
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([
      's3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:PutObject',
    ]);
    expect(actions.filter((action) => action.startsWith('ssm:'))).toEqual(['ssm:GetParameter']);
    // the JWT secret parameter only, read through the Parameters and Secrets extension
    const fn = Object.values(resources).find((resource) => resource.Properties?.FunctionName === synth.built.jobs.jobRunner.functionName)!;
    const parameterReads = roleStatements(resources, roleOf(fn)).filter((statement) => ([] as string[]).concat(statement.Action).includes('ssm:GetParameter'));
    expect(parameterReads).toHaveLength(1);
    expect(JSON.stringify(parameterReads[0]!.Resource)).toMatch(/:parameter\/hw\/jwt-secret"/);
    expect(JSON.stringify(fn.Properties!.Layers ?? [])).toContain('ParamsandsecretslayerMap');
    expect(actions.filter((action) => action.startsWith('ses:'))).toEqual([]);
  });

  it('let the upload verifier list, read and delete objects (any version), never put them, and send no mail', () => {
    const actions = actionsOfFunction(synth.built.jobs.uploadVerifier.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(uploadVerifier.grants)));
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([
      's3:DeleteObject', 's3:DeleteObjectVersion', 's3:GetObject', 's3:GetObjectVersion', 's3:ListBucket',
    ]);
    expect(actions).toEqual(expect.arrayContaining(writeActions));
    expect(actions.filter((action) => action === 's3:PutObject' || action.startsWith('ses:'))).toEqual([]);
  });

  it('let the purge job write the table, without S3 (the change feed deletes the objects of what it deletes) or SES', () => {
    const purge = synth.built.jobs.scheduledJobs.find((job) => job.entryName === 'job-purge-workspaces')!;
    const actions = actionsOfFunction(purge.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(scheduledJobs.find((job) => job.name === 'purge-workspaces')!.grants)));
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('ses:'))).toEqual([]);
  });

  it('let the attachment cleanup job write the table, without S3 or SES', () => {
    const job = synth.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-attachment-cleanup')!;
    expect(job).toBeDefined();
    const actions = actionsOfFunction(job.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(scheduledJobs.find((candidate) => candidate.name === 'attachment-cleanup')!.grants)));
    expect(actions).toEqual(expect.arrayContaining(writeActions));
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('ses:'))).toEqual([]);
  });

  it('let the reminder job write the table (reminders, notifications), without SES or S3: the change feed sends its mails', () => {
    const job = synth.built.jobs.scheduledJobs.find((candidate) => candidate.entryName === 'job-loan-reminders')!;
    const actions = actionsOfFunction(job.functionName);
    expect(actions).toEqual(expectedActions(backgroundGrants(scheduledJobs.find((candidate) => candidate.name === 'loan-reminders')!.grants)));
    expect(actions.filter((action) => action.startsWith('ses:') || action.startsWith('s3:'))).toEqual([]);
  });
});

describe('every template', () => {
  it('grants dynamodb:DescribeTable nowhere, and no action wildcard', () => {
    for (const { file, template } of templateFiles(synth.assembly)) {
      for (const resource of Object.values(template.Resources ?? {}).filter((candidate) => candidate.Type === 'AWS::IAM::Policy')) {
        const actions = actionsOf(resource.Properties!.PolicyDocument.Statement as Statement[]);
        expect(actions.filter((action) => action === 'dynamodb:DescribeTable' || action.includes('*')), file).toEqual([]);
      }
    }
  });
});
