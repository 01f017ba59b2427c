/**
 * The `yaml` module as the bundle sees it: the build aliases `yaml` to this file, so the YAML library (about
 * 200 KB of code, ~15 ms to load) is loaded on first use, from `dist/yaml.cjs` (the library bundled alone),
 * instead of by every thread at start-up. Only workflow files (the CI rules) parse YAML, and most threads
 * never meet one: the CLI's main thread in a tree scan, the language server until a workflow is opened.
 * The engine imports `yaml` as usual (it stays free of Node APIs); from source, that is the package itself.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('./yaml.cjs') as typeof Yaml);
}

export const parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) => yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
export const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
export const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
export const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
