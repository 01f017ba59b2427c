/**
 * The project config file `.shippi.json`: its zod schema (the one source of truth; the published JSON Schema
 * is generated from it), parsing with messages that name the problem, and conversion to engine options.
 */
import { z, type Infer } from './zod.js';
import { CATEGORIES, SEVERITIES, type EngineConfig } from '../engine/index.js';

export const CONFIG_FILE_NAME = '.shippi.json';

const severity = z.enum(SEVERITIES as [string, ...string[]]);
const category = z.enum(CATEGORIES as [string, ...string[]]);

/** Schema of `.shippi.json`. Unknown keys are errors, so typos are caught instead of silently ignored. */
export const ProjectConfigSchema = z.strictObject({
  $schema: z.optional(z.string()).check(z.describe('Path or URL of the JSON Schema, for editors.')),
  rules: z
    .optional(z.record(z.string().check(z.regex(/^[a-z-]+\.[a-z0-9-]+$/, 'rule ids look like "category.rule-name"')), z.union([z.enum(['off', 'on']), severity])))
    .check(z.describe('Per-rule setting: "off", "on", or a severity override.')),
  only: z.optional(z.array(category)).check(z.describe('Report only these categories.')),
  ignore: z.optional(z.array(z.string().check(z.minLength(1)))).check(z.describe('Extra paths to skip, in .gitignore syntax.')),
  baseline: z.optional(z.string().check(z.minLength(1))).check(z.describe('Baseline file of accepted findings, relative to this file.')),
  maxFileBytes: z.optional(z.int().check(z.positive())).check(z.describe('Files larger than this are skipped (default 8 MiB).')),
  maxSastBytes: z.optional(z.int().check(z.positive())).check(z.describe('JS/TS files larger than this get text rules only (default 2 MiB).')),
});

/** A validated `.shippi.json`. */
export type ProjectConfig = Infer<typeof ProjectConfigSchema>;

/** Result of parsing a config: the config, or one message naming the problem (file, key path, what is wrong). */
export type ConfigResult = { ok: true; config: ProjectConfig } | { ok: false; message: string };

/** Parse and validate the text of a config file; `source` names the file in messages. */
export function parseProjectConfig(text: string, source: string): ConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `${source}: not valid JSON (${(err as Error).message})` };
  }
  const parsed = ProjectConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return { ok: false, message: `${source}: ${where}: ${issue.message}` };
  }
  return { ok: true, config: parsed.data };
}

/** The engine options a project config asks for. */
export function toEngineConfig(config: ProjectConfig): EngineConfig {
  const out: { -readonly [K in keyof EngineConfig]: EngineConfig[K] } = {};
  if (config.rules) out.rules = config.rules as NonNullable<EngineConfig['rules']>;
  if (config.only) out.only = config.only as NonNullable<EngineConfig['only']>;
  if (config.maxSastBytes !== undefined) out.maxSastBytes = config.maxSastBytes;
  return out;
}
