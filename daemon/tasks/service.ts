/**
 * Tasks: the unit of AI-assisted work, kept in the encrypted store.
 *
 * Layout (every value sealed by the store; keys carry no sensitive data):
 *   tasks/<task id>                        the record
 *   task-status/<status>/<task id>         index by status
 *   task-file/<hmac(path)>/<task id>       index by file; the path is a keyed hash, so keys do not leak names
 *   meta/task-index-key                    the random HMAC key for the file index
 * Each record and its index entries change in ONE store batch. Every change is written to the audit log
 * first; if that fails, nothing changes (fail closed).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/types.js';
import { StoreError, type BatchOp, type EncryptedStore } from '../store/types.js';
import { recordOrRefuse } from '../auth/fail-closed.js';
import { DaemonError, type DeletionReceipt, type FileRef, type ProposedEdit, type Task, type TaskKind, type TaskStatus } from '../protocol/index.js';
import { canTransition, TRANSITIONS } from './status.js';
import { redactSecretsInText } from './redact-prompt.js';
import { compareStrings } from '../../server/engine/text.js';

const NS_TASKS = 'tasks';
const NS_BY_STATUS = 'task-status';
const NS_BY_FILE = 'task-file';
const NS_META = 'meta';
const INDEX_KEY_ID = 'task-index-key';
const UPPER = '\uffff';
/** Decrypted records kept for reads; the daemon is the store's only writer, so the cache cannot go stale. */
const CACHE_SIZE = 2000;
const MAX_CACHED_TEXT = 64 * 1024;

/** What a new task is made of. */
export interface NewTask {
  readonly title: string;
  readonly kind: TaskKind;
  readonly workspace?: string | undefined;
  readonly files?: readonly FileRef[] | undefined;
  readonly prompt?: string | undefined;
}

/** A status change. */
export interface StatusChange {
  readonly status: TaskStatus;
  readonly from?: TaskStatus | undefined;
  readonly response?: string | undefined;
  readonly edit?: ProposedEdit | undefined;
  readonly note?: string | undefined;
}

/** Filters for listing. */
export interface TaskQuery {
  readonly status?: TaskStatus | undefined;
  readonly file?: string | undefined;
  readonly limit?: number | undefined;
}

/** The task service the server's handlers call. */
export interface TaskService {
  create(input: NewTask, actor: string): Promise<Task>;
  get(id: string): Promise<Task>;
  /** Newest first. Records that fail authentication are skipped and named in `unreadable`. */
  list(query: TaskQuery): Promise<{ tasks: Task[]; unreadable: string[] }>;
  updateStatus(id: string, change: StatusChange, actor: string): Promise<Task>;
  remove(id: string, actor: string): Promise<DeletionReceipt>;
}

/** The canonical JSON of a value: object keys sorted, so equal records hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Create the task service over a store and an audit log. */
export async function createTaskService(deps: { store: EncryptedStore; audit: AuditLog; clock?: () => Date }): Promise<TaskService> {
  const { store, audit } = deps;
  const clock = deps.clock ?? (() => new Date());
  const indexKey = await loadIndexKey(store);
  const fileKey = (path: string): string => createHmac('sha256', indexKey).update(path, 'utf8').digest('hex').slice(0, 32);
  const locks = new Map<string, Promise<unknown>>();
  const cache = new Map<string, Task>();
  // Bumped around every write: a read that overlapped a write does not cache what it read.
  let generation = 0;
  const remember = (task: Task): void => {
    cache.delete(task.id);
    if ((task.prompt?.length ?? 0) + (task.response?.length ?? 0) > MAX_CACHED_TEXT) return; // keep memory bounded
    cache.set(task.id, task);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  };

  // Changes to one task run one at a time, so a read-modify-write never loses a concurrent change.
  async function withLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const before = locks.get(id) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(id, tail);
    try {
      return await run;
    } finally {
      if (locks.get(id) === tail) locks.delete(id);
    }
  }

  function indexOps(task: Task, type: 'put' | 'del'): BatchOp[] {
    const ops: BatchOp[] = [];
    const put = (ns: string, id: string): void => {
      ops.push(type === 'put' ? { type, ns, id, value: { taskId: task.id } } : { type, ns, id });
    };
    put(NS_BY_STATUS, `${task.status}/${task.id}`);
    for (const path of new Set(task.files.map((f) => f.path))) put(NS_BY_FILE, `${fileKey(path)}/${task.id}`);
    return ops;
  }

  async function write(ops: BatchOp[]): Promise<void> {
    generation++;
    try {
      await store.batch(ops);
    } finally {
      generation++;
    }
  }

  async function load(id: string): Promise<Task> {
    const cached = cache.get(id);
    if (cached) return cached;
    const seen = generation;
    const task = await store.get<Task>(NS_TASKS, id);
    if (!task) throw new DaemonError('NOT_FOUND', `no task with id ${id}`);
    if (seen === generation && !locks.has(id)) remember(task);
    return task;
  }

  /**
   * Every record under a prefix, skipping (and naming in `unreadable`) any that fails authentication, so one
   * tampered record does not hide the rest.
   */
  async function readRange<T>(ns: string, prefix: string, unreadable: string[]): Promise<Array<[string, T]>> {
    const out: Array<[string, T]> = [];
    let from = prefix;
    for (;;) {
      try {
        for await (const entry of store.list<T>(ns, { ...(from !== '' ? { gte: from } : {}), lt: prefix + UPPER })) {
          out.push(entry);
          from = `${entry[0]}\u0001`; // just past this id: where to resume if the next record is bad
        }
        return out;
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'INTEGRITY' && err.record?.startsWith(`${ns}/`))) throw err;
        unreadable.push(err.record);
        from = `${err.record.slice(ns.length + 1)}\u0001`;
      }
    }
  }

  async function idsUnder(ns: string, prefix: string, unreadable: string[]): Promise<string[]> {
    const before = unreadable.length;
    const ids = (await readRange(ns, prefix, unreadable)).map(([key]) => key.slice(prefix.length));
    // A bad index entry still names its task in its key: keep the task, forget the entry's (unneeded) value.
    for (const name of unreadable.splice(before)) ids.push(name.slice(ns.length + 1 + prefix.length));
    return ids.sort();
  }

  return {
    async create(input, actor) {
      const now = clock().toISOString();
      const task: Task = {
        id: `t_${randomBytes(12).toString('hex')}`,
        title: input.title,
        kind: input.kind,
        status: 'open',
        ...(input.workspace !== undefined ? { workspace: input.workspace } : {}),
        files: [...(input.files ?? [])],
        ...(input.prompt !== undefined ? { prompt: redactSecretsInText(input.prompt) } : {}),
        createdBy: actor,
        created: now,
        updated: now,
        history: [{ at: now, actor, from: null, to: 'open' }],
      };
      await recordOrRefuse(audit, { type: 'task.created', actor, detail: { taskId: task.id, kind: task.kind }, sensitive: { title: task.title } });
      await write([{ type: 'put', ns: NS_TASKS, id: task.id, value: task }, ...indexOps(task, 'put')]);
      remember(task);
      return task;
    },

    get: load,

    async list(query) {
      const unreadable: string[] = [];
      let ids: string[] | undefined;
      if (query.status !== undefined) ids = await idsUnder(NS_BY_STATUS, `${query.status}/`, unreadable);
      if (query.file !== undefined) {
        const byFile = await idsUnder(NS_BY_FILE, `${fileKey(query.file)}/`, unreadable);
        ids = ids === undefined ? byFile : ids.filter((id) => byFile.includes(id));
      }
      const tasks: Task[] = [];
      if (ids === undefined) {
        for (const [, task] of await readRange<Task>(NS_TASKS, '', unreadable)) tasks.push(task);
      } else {
        for (const id of ids) {
          try {
            const task = cache.get(id) ?? (await store.get<Task>(NS_TASKS, id));
            if (task) tasks.push(task);
          } catch (err) {
            if (!(err instanceof StoreError && err.code === 'INTEGRITY')) throw err;
            unreadable.push(err.record ?? `${NS_TASKS}/${id}`);
          }
        }
      }
      tasks.sort((a, b) => compareStrings(b.created, a.created) || compareStrings(a.id, b.id));
      return { tasks: query.limit !== undefined ? tasks.slice(0, query.limit) : tasks, unreadable };
    },

    updateStatus(id, change, actor) {
      return withLock(id, async () => {
        const task = await load(id);
        if (change.from !== undefined && task.status !== change.from) {
          throw new DaemonError('CONFLICT', `task ${id} is ${task.status}, not ${change.from}`);
        }
        if (!canTransition(task.status, change.status)) {
          const legal = TRANSITIONS[task.status];
          throw new DaemonError('CONFLICT', `task ${id} cannot go from ${task.status} to ${change.status} (${legal.length ? `allowed: ${legal.join(', ')}` : 'it is final'})`);
        }
        if (change.edit !== undefined && change.status !== 'proposed') {
          throw new DaemonError('BAD_REQUEST', 'an edit can only be attached when moving a task to proposed');
        }
        const now = clock().toISOString();
        const next: Task = {
          ...task,
          status: change.status,
          ...(change.response !== undefined ? { response: redactSecretsInText(change.response) } : {}),
          ...(change.edit !== undefined ? { edit: change.edit } : {}),
          updated: now,
          history: [...task.history, { at: now, actor, from: task.status, to: change.status, ...(change.note !== undefined ? { note: change.note } : {}) }],
        };
        await recordOrRefuse(audit, { type: 'task.updated', actor, detail: { taskId: id, from: task.status, to: change.status } });
        await write([
          ...indexOps(task, 'del'),
          { type: 'put', ns: NS_TASKS, id, value: next },
          ...indexOps(next, 'put'),
        ]);
        remember(next);
        return next;
      });
    },

    remove(id, actor) {
      return withLock(id, async () => {
        const task = await load(id);
        const recordSha256 = createHash('sha256').update(canonicalJson(task), 'utf8').digest('hex');
        const deletedAt = clock().toISOString();
        const entry = await recordOrRefuse(audit, { type: 'task.deleted', actor, detail: { taskId: id, recordSha256, status: task.status } });
        cache.delete(id);
        await write([{ type: 'del', ns: NS_TASKS, id }, ...indexOps(task, 'del')]);
        return { id: task.id, deletedAt, recordSha256, auditSeq: entry.seq };
      });
    },
  };
}

async function loadIndexKey(store: EncryptedStore): Promise<Buffer> {
  const existing = await store.get<{ key: string }>(NS_META, INDEX_KEY_ID);
  if (existing) return Buffer.from(existing.key, 'base64');
  const key = randomBytes(32);
  await store.put(NS_META, INDEX_KEY_ID, { key: key.toString('base64') });
  return key;
}
