// Builds the UpdateExpression of a PATCH: fields sent are SET, `null` REMOVEs an optional
// field, `undefined` is left alone; `updated_at` and `version` move with every change, and the
// versions an If-Match accepts become part of the condition.
export interface UpdateParts {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

export function updateParts(changes: Record<string, unknown>, options: { expectedVersions?: readonly number[]; condition?: string; values?: Record<string, unknown> } = {}): UpdateParts {
  const names: Record<string, string> = { '#updated_at': 'updated_at', '#version': 'version' };
  const values: Record<string, unknown> = { ':updated_at': new Date().toISOString(), ':one': 1, ...options.values };
  const set = ['#updated_at = :updated_at', '#version = #version + :one'];
  const remove: string[] = [];
  for (const [field, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) remove.push(`#${field}`);
    else {
      values[`:${field}`] = value;
      set.push(`#${field} = :${field}`);
    }
  }
  const conditions = ['attribute_exists(PK)'];
  const versionCondition = versionIn(options.expectedVersions);
  if (versionCondition) {
    Object.assign(values, versionCondition.values);
    conditions.push(versionCondition.condition);
  }
  if (options.condition) conditions.push(options.condition);
  return {
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** `#version IN (…)` for the versions an If-Match accepts; undefined when it accepts any. */
export function versionIn(versions: readonly number[] | undefined, name = '#version'): { condition: string; values: Record<string, number> } | undefined {
  if (versions === undefined) return undefined;
  const values = Object.fromEntries(versions.map((version, index) => [`:expected_version_${index}`, version]));
  return { condition: `${name} IN (${Object.keys(values).join(', ')})`, values };
}
