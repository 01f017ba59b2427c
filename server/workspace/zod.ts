/**
 * The zod flavour for schemas on the start-up path of `shippi scan` and `shippi lsp` (project config, baseline,
 * editor settings): `zod/mini`, the same validation with a tree-shakeable API. Imported by name so the bundle
 * holds only what these schemas use (about 90 KB, loaded in about 12 ms, where the full API with every
 * locale is 750 KB and about 35 ms). English messages are set here, since zod/mini ships none by default.
 * The daemon's protocol keeps the full API.
 */
import {
  array, boolean, config, describe, enum as enumOf, int, literal, maximum, minimum, minLength, optional, positive, record, regex,
  strictObject, string, union, type infer as InferOf,
} from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

/** The schema builders these modules use, under the usual `z.` prefix. */
export const z = {
  array, boolean, describe, enum: enumOf, int, literal, maximum, minimum, minLength, optional, positive, record, regex, strictObject,
  string, union,
};

/** The type a schema validates. */
export type Infer<T> = InferOf<T>;
