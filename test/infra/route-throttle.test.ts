// API Gateway route throttling: a route that declares `throttle` in the route table gets it as a
// route setting of the stage (in place of the stage's default), the stage waits for the nested
// stack holding that route (a route setting must name an existing route), and no other route
// gets one. Today that is the public barcode lookup, which calls other services, and the public
// borrower-link routes.
import { beforeAll, describe, expect, it } from 'vitest';
import { routeTable } from '../../shared/contract/index.js';
import { synthApp, templateFiles, type Resource, type Synthesised } from './helpers.js';

let synth: Synthesised;
let stage: Resource;
let nestedStackIds: Map<string, string>;

beforeAll(() => {
  synth = synthApp();
  const files = templateFiles(synth.assembly);
  const api = files.find(({ file }) => file === `${synth.built.api.stackName}.template.json`)!.template.Resources!;
  stage = Object.values(api).find((resource) => resource.Type === 'AWS::ApiGatewayV2::Stage')!;
  // nested stack construct id (RoutesBarcode) → its logical id in the parent template
  nestedStackIds = new Map(Object.entries(api)
    .filter(([, resource]) => resource.Type === 'AWS::CloudFormation::Stack')
    .map(([logicalId]) => [logicalId.replace(/NestedStack.*$/, ''), logicalId]));
});

describe('route throttling', () => {
  const throttled = routeTable.filter((contract) => contract.throttle);

  it('is declared by the public barcode lookup and the borrower links\' page and forms', () => {
    expect(throttled.map((contract) => contract.id)).toEqual(['lookupBarcode', 'borrowerLinkPage', 'borrowerReturnClaim', 'borrowerExtensionRequest']);
    for (const contract of throttled) expect(contract.access, contract.id).toBe('public');
  });

  it('becomes a route setting of the stage for exactly the routes that declare it', () => {
    const settings = stage.Properties!.RouteSettings as Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }>;
    expect(settings).toEqual(Object.fromEntries(throttled.map((contract) => [`${contract.method} ${contract.path}`, {
      ThrottlingRateLimit: contract.throttle!.rate, ThrottlingBurstLimit: contract.throttle!.burst,
    }])));
    // every other route keeps the stage's default
    expect(stage.Properties!.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 });
  });

  it('names routes that exist, created before the stage', () => {
    const routeKeys = templateFiles(synth.assembly).flatMap(({ template }) => Object.values(template.Resources ?? {})
      .filter((resource) => resource.Type === 'AWS::ApiGatewayV2::Route').map((resource) => resource.Properties!.RouteKey as string));
    const dependsOn = ([] as string[]).concat(stage.DependsOn ?? []);
    for (const contract of throttled) {
      expect(routeKeys).toContain(`${contract.method} ${contract.path}`);
      const group = synth.built.api.routeFunctions.find((routeFunction) => routeFunction.contract.id === contract.id)!.group;
      expect(dependsOn, contract.id).toContain(nestedStackIds.get(group));
    }
  });
});
