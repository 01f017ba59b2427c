/**
 * Editor settings (initializationOptions, workspace/didChangeConfiguration) and how they combine with a
 * project's `.shippi.json`: the project file wins key by key, since it is what the team agreed on.
 */
import { z, type Infer } from '../workspace/zod.js';
import { ProjectConfigSchema, toEngineConfig, type ProjectConfig } from '../workspace/config.js';
import type { EngineConfig } from '../engine/index.js';

/** Editor settings: the project keys plus a few that only make sense in an editor. Unknown keys are errors. */
export const EditorSettingsSchema = z.strictObject({
  ...ProjectConfigSchema.shape,
  debounceMs: z.optional(z.int().check(z.minimum(0), z.maximum(10_000))).check(z.describe('Delay after an edit before re-analysing (grows with file size).')),
  maxDocumentBytes: z.optional(z.int().check(z.positive())).check(z.describe('Open documents larger than this are not analysed (default 8 MiB).')),
  timeBudgetMs: z.optional(z.int().check(z.positive())).check(z.describe('Analysis of one document stops after this long (default 1000 ms).')),
  pushDiagnostics: z.optional(z.boolean()).check(z.describe('Publish diagnostics (default true); a pull-capable client may turn this off.')),
});

/** Validated editor settings. */
export type EditorSettings = Infer<typeof EditorSettingsSchema>;

/** The settings a server runs with when nothing is configured. */
export const DEFAULT_SETTINGS = {
  debounceMs: 150,
  maxDocumentBytes: 8 * 1024 * 1024,
  timeBudgetMs: 1000,
} as const;

/** Parse editor settings; accepts `{ shippi: {...} }` (the usual section shape) or the section itself. */
export function parseEditorSettings(raw: unknown): { ok: true; settings: EditorSettings } | { ok: false; message: string } {
  // Lua clients (Neovim) encode an empty table as `[]`: read it as "nothing set".
  const empty = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (empty(raw)) return { ok: true, settings: {} };
  const section = typeof raw === 'object' && 'shippi' in raw! ? (raw as { shippi: unknown }).shippi : raw;
  if (empty(section)) return { ok: true, settings: {} };
  const parsed = EditorSettingsSchema.safeParse(section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return { ok: false, message: `Shippi settings: ${where}: ${issue.message}` };
  }
  return { ok: true, settings: parsed.data };
}

/** The engine options for a document: editor settings overlaid by the project's config. */
export function mergeEngineConfig(editor: EditorSettings, project: ProjectConfig | undefined): EngineConfig {
  const fromEditor = toEngineConfig(editor);
  if (!project) return fromEditor;
  const fromProject = toEngineConfig(project);
  const rules = { ...fromEditor.rules, ...fromProject.rules };
  const only = fromProject.only ?? fromEditor.only;
  const maxSastBytes = fromProject.maxSastBytes ?? fromEditor.maxSastBytes;
  return {
    ...(Object.keys(rules).length ? { rules } : {}),
    ...(only ? { only } : {}),
    ...(maxSastBytes !== undefined ? { maxSastBytes } : {}),
  };
}
