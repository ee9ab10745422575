// Stacks that can be updated: no stack imports a CloudFormation export of the data stack (an
// export in use cannot change, so it would block e.g. a new stream). The app is synthesised twice,
// with two stream view types; the data stack changes, every other template stays byte for byte.
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../shared/db/table-definition.js';
import { dataParameters } from '../../infra/stacks/data-stack.js';
import { synthApp, templateFiles, type Synthesised, type TemplateFile } from './helpers.js';

/** Every value of `Fn::ImportValue` anywhere in a template. */
function importedNames(template: unknown): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Fn::ImportValue') found.push(typeof value === 'string' ? value : JSON.stringify(value));
        else walk(value);
      }
    }
  };
  walk(template);
  return found;
}

const otherStreamViewType = 'NEW_IMAGE';
let asIs: Synthesised;
let changed: Synthesised;
let dataStackName: string;

const dataTemplate = (synth: Synthesised) => templateFiles(synth.assembly).find(({ file }) => file === `${dataStackName}.template.json`)!;
const others = (synth: Synthesised): TemplateFile[] => templateFiles(synth.assembly).filter(({ file }) => file !== `${dataStackName}.template.json`);

beforeAll(() => {
  asIs = synthApp();
  dataStackName = asIs.built.data.stackName;
  changed = synthApp({ streamViewType: otherStreamViewType });
});

describe('references to the data stack', () => {
  it('change the stream view type in the data stack only', () => {
    const viewType = (synth: Synthesised) => Object.values(dataTemplate(synth).template.Resources!)
      .find((resource) => resource.Type === 'AWS::DynamoDB::Table')!.Properties!.StreamSpecification.StreamViewType;
    expect(viewType(asIs)).toBe(tableDefinition.streamViewType);
    expect(viewType(changed)).toBe(otherStreamViewType);
    const byFile = (synth: Synthesised) => Object.fromEntries(others(synth).map(({ file, template }) => [file, JSON.stringify(template)]));
    expect(Object.keys(byFile(asIs)).length).toBeGreaterThan(3);
    expect(byFile(changed)).toEqual(byFile(asIs));
  });

  it('import no export of the data stack, in either synth, nested stacks included', () => {
    for (const synth of [asIs, changed]) {
      for (const { file, template } of others(synth)) {
        expect(importedNames(template).filter((name) => name.startsWith(`${dataStackName}:`)), file).toEqual([]);
      }
      // what the data stack still exports (transitionally) is imported by nobody, so it can change
      const exported = Object.values(dataTemplate(synth).template.Outputs ?? {}).flatMap((output) => (output.Export ? [output.Export.Name as string] : []));
      const imported = new Set(others(synth).flatMap(({ template }) => importedNames(template)));
      expect(exported.filter((name) => imported.has(name))).toEqual([]);
    }
  });

  it('read the table name and stream ARN from the parameters the data stack writes', () => {
    const names = dataParameters('hw');
    const written = Object.values(dataTemplate(asIs).template.Resources!).filter((resource) => resource.Type === 'AWS::SSM::Parameter');
    expect(written.map((resource) => resource.Properties!.Name).sort()).toEqual([names.tableName, names.tableStreamArn].sort());
    for (const stack of [asIs.built.api, asIs.built.jobs, asIs.built.observability]) {
      const { template } = templateFiles(asIs.assembly).find(({ file }) => file === stack.templateFile)!;
      const read = Object.values(template.Parameters ?? {}).filter((parameter) => parameter.Type === 'AWS::SSM::Parameter::Value<String>')
        .map((parameter) => (parameter as { Default?: string }).Default);
      expect(read, stack.stackName).toContain(names.tableName);
    }
    const jobs = templateFiles(asIs.assembly).find(({ file }) => file === asIs.built.jobs.templateFile)!.template;
    const streamParameter = Object.entries(jobs.Parameters!).find(([, parameter]) => (parameter as { Default?: string }).Default === names.tableStreamArn)![0];
    const mapping = Object.values(jobs.Resources!).find((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping')!;
    expect(mapping.Properties!.EventSourceArn).toEqual({ Ref: streamParameter });
  });
});
