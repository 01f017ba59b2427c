/**
 * The JSON Schema of `.shippi.json` published for editors (`server/workspace/shippi.schema.json`), generated
 * from the zod schema, never written by hand. Its own module: the generator is about 40 KB of code that
 * nothing needs at run time, so the CLI and the language server do not load it.
 */
import { toJSONSchema } from 'zod/mini';
import { ProjectConfigSchema } from './config.js';

/** The JSON Schema of the project config file. */
export function projectConfigJsonSchema(): unknown {
  return toJSONSchema(ProjectConfigSchema);
}
