// The contract is data: declaring a route or a schema has no effect but its value. esbuild cannot
// know that about zod's functions, so every route's bundle would carry every schema and route of
// the contract modules it imports, and the configuration's whole schema machinery. Before bundling,
// this copies functions/ and shared/ into a build folder and marks each call of a contract module
// (and of shared/config.ts) to zod or to a contract helper `/* @__PURE__ */`: a declaration a
// route does not reach is dropped whole (measured: ~8 KB off every route).
//
// Calls kept for their effect are never marked: `z.globalRegistry.*` (names and examples for the
// OpenAPI document), and `document(...)` / `example(...)` in `DOCS:` statements.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** Folders copied; everything a Lambda imports from the project lives in them. */
const sourceFolders = ['functions', 'shared'];

/** Files whose top-level calls only build values. */
const isDeclarative = (path: string) => /^shared\/(contract\/[^/]+|config)\.ts$/.test(path);

/** Contract helpers that only build a value from their arguments (see shared/contract). */
const helpers = new Set([
  'route', 'named', 'pageOf', 'exactlyOneOf', 'documented', 'emailText', 'secretText', 'nameText', 'multiLine', 'asciiText', 'singleLine', 'integer',
  'shortCodeText', 'colourText', 'urlText', 'uuidText', 'oneOf', 'calendarDate', 'instantText', 'describe', 'pageLimit', 'queryInteger', 'withFields', 'catalogRecord', 'listRoute', 'getRoute', 'createRoute', 'updateRoute', 'archiveRoute', 'restoreRoute', 'deleteRoute',
]);

/** `z.object(…)`, `z.iso.datetime(…)`, but not `z.globalRegistry.add(…)`; a helper by name; `.check(…)` on one of those. */
function buildsAValue(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return helpers.has(callee.text);
  if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'check' && ts.isCallExpression(callee.expression)) {
    return buildsAValue(callee.expression.expression);
  }
  let root: ts.Expression = callee;
  const path: string[] = [];
  while (ts.isPropertyAccessExpression(root)) {
    path.unshift(root.name.text);
    root = root.expression;
  }
  return ts.isIdentifier(root) && root.text === 'z' && path.length > 0 && path[0] !== 'globalRegistry';
}

/**
 * Properties of a route declaration (the object given to `route(…)`) that only the OpenAPI
 * document reads: in every other bundle they are empty (`HW_DOCS`, defined by infra/bundle.ts),
 * so a route's Lambda does not carry its prose and its list of error codes.
 */
const docsOnly: Record<string, string> = { summary: "''", description: 'undefined', errors: 'undefined' };

/**
 * Arguments of the contract's documentation helpers that only the OpenAPI document reads (a schema's
 * component name, description, format, bounds): in every other bundle `describe` ignores its
 * metadata, but a string passed to a function stays in the bundle all the same, so they become
 * `undefined` there too (`HW_DOCS ? … : undefined`): the descriptions of the schemas a route uses
 * were up to 1 KB of its bundle.
 */
const docsArguments: Record<string, readonly number[]> = { describe: [1], named: [0, 2], catalogRecord: [0, 2], documented: [0] };

const isRouteDeclaration = (node: ts.Node) =>
  ts.isObjectLiteralExpression(node) && ts.isCallExpression(node.parent) && ts.isIdentifier(node.parent.expression) && node.parent.expression.text === 'route';

/** The source of a declarative file with every value-building call marked pure (found by TypeScript's parser). */
export function markPure(source: string, fileName = 'contract.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const edits: { at: number; text: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && buildsAValue(node.expression)) {
      const at = node.getStart(file);
      if (!source.slice(Math.max(0, at - 18), at).includes('@__PURE__')) edits.push({ at, text: '/* @__PURE__ */ ' });
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && docsArguments[node.expression.text]) {
      for (const index of docsArguments[node.expression.text]!) {
        const argument = node.arguments[index];
        if (argument) edits.push({ at: argument.getStart(file), text: '(HW_DOCS ? ' }, { at: argument.getEnd(), text: ' : undefined)' });
      }
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && docsOnly[node.name.text] && isRouteDeclaration(node.parent)) {
      edits.push({ at: node.initializer.getStart(file), text: '(HW_DOCS ? ' }, { at: node.initializer.getEnd(), text: ` : ${docsOnly[node.name.text]})` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let marked = source;
  // from the end, so earlier positions stay valid; at one position the later edit goes in first
  for (const edit of edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => b.at - a.at || b.order - a.order)) {
    marked = `${marked.slice(0, edit.at)}${edit.text}${marked.slice(edit.at)}`;
  }
  return marked;
}

function walk(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Copies the sources into `into` (emptied first), marking the declarative files; answers `into`. */
export function pureSources(projectRoot: string, into: string): string {
  rmSync(into, { recursive: true, force: true });
  for (const folder of sourceFolders) {
    const from = join(projectRoot, folder);
    cpSync(from, join(into, folder), { recursive: true });
    for (const file of walk(from)) {
      const path = relative(projectRoot, file).split(sep).join('/');
      if (!isDeclarative(path)) continue;
      const target = join(into, path);
      mkdirSync(join(target, '..'), { recursive: true });
      writeFileSync(target, markPure(readFileSync(file, 'utf8'), file));
    }
  }
  return into;
}
