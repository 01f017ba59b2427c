/**
 * Access tokens. A token is `shp_<16 hex id>_<43 base64url chars>`: 256 random bits plus a public id, so the
 * daemon can find the record without a secret-dependent lookup. The store holds only the SHA-256 of the token
 * (sealed, under the token id); presented tokens are hashed and compared with `timingSafeEqual`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/types.js';
import type { EncryptedStore } from '../store/types.js';
import { DaemonError, type Role, type TokenInfo } from '../protocol/index.js';
import { recordOrRefuse } from './fail-closed.js';
import { compareStrings } from '../../server/engine/text.js';

const NS = 'tokens';
const TOKEN_SHAPE = /^shp_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

interface TokenRecord extends TokenInfo {
  readonly sha256: string;
  /** Issued by the daemon for the owner token file (not shown to clients). */
  readonly owner?: boolean;
}

/** Options of `TokenRegistry.create`. */
export interface CreateOptions {
  /** Runs before the record is stored (e.g. writing the owner token file). */
  readonly beforeStore?: (token: string) => Promise<void>;
  /** The token is the one the daemon keeps in its owner token file. */
  readonly owner?: boolean;
}

/** A newly created token: shown once, never stored. */
export interface CreatedToken {
  readonly info: TokenInfo;
  readonly token: string;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Whether a string has the shape of a Shippi token (no lookup). */
export function looksLikeToken(text: string): boolean {
  return TOKEN_SHAPE.test(text);
}

/** The token registry: an in-memory view of the sealed `tokens` namespace, written through on every change. */
export class TokenRegistry {
  readonly #byId = new Map<string, TokenRecord>();
  // Changes run one at a time so that checks such as "not the last admin" hold until the write lands.
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly store: EncryptedStore, private readonly audit: AuditLog, private readonly clock: () => Date) {}

  /** Load every token record from the store. */
  static async open(deps: { store: EncryptedStore; audit: AuditLog; clock?: () => Date }): Promise<TokenRegistry> {
    const registry = new TokenRegistry(deps.store, deps.audit, deps.clock ?? (() => new Date()));
    for await (const [id, value] of deps.store.list<TokenRecord>(NS)) registry.#byId.set(id, value);
    return registry;
  }

  /** How many tokens exist. */
  get size(): number {
    return this.#byId.size;
  }

  /** The token's record if the presented string is a live token; constant-time in the secret part. */
  authenticate(presented: string): TokenInfo | undefined {
    const m = TOKEN_SHAPE.exec(presented);
    const record = m ? this.#byId.get(`k_${m[1]}`) : undefined;
    const expected = record ? Buffer.from(record.sha256, 'hex') : Buffer.alloc(32);
    // Always hash and compare, so an unknown id costs the same as a wrong secret.
    const same = timingSafeEqual(sha256(presented), expected);
    return record && same ? publicInfo(record) : undefined;
  }

  /**
   * Create a token with a role; audited (fail closed) before it is stored. `options.beforeStore` (e.g. writing
   * the owner token file) runs before the record is stored, so a crash never leaves a stored token nobody holds.
   */
  create(role: Role, name: string | undefined, actor: string, options: CreateOptions = {}): Promise<CreatedToken> {
    return this.#serial(() => this.#create(role, name, actor, options));
  }

  async #create(role: Role, name: string | undefined, actor: string, { beforeStore, owner }: CreateOptions): Promise<CreatedToken> {
    const idHex = randomBytes(8).toString('hex');
    const token = `shp_${idHex}_${randomBytes(32).toString('base64url')}`;
    const record: TokenRecord = {
      id: `k_${idHex}`,
      role,
      name: name ?? role,
      created: this.clock().toISOString(),
      sha256: sha256(token).toString('hex'),
      ...(owner ? { owner: true } : {}),
    };
    await recordOrRefuse(this.audit, { type: 'token.created', actor, detail: { tokenId: record.id, role, name: record.name } });
    await beforeStore?.(token);
    await this.store.put(NS, record.id, record);
    this.#byId.set(record.id, record);
    return { info: publicInfo(record), token };
  }

  /** Whether a token id is still live (not revoked). */
  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every token's public description, oldest first. */
  list(): TokenInfo[] {
    return [...this.#byId.values()].map(publicInfo).sort((a, b) => compareStrings(a.created, b.created) || compareStrings(a.id, b.id));
  }

  /**
   * The tokens the daemon issued for its owner token file. Records stored before the daemon marked them carry
   * no mark: when no record has one, the admin tokens named `owner` are taken to be them (as before).
   */
  ownerTokens(): TokenInfo[] {
    const records = [...this.#byId.values()];
    const marked = records.filter((r) => r.owner === true);
    return (marked.length > 0 ? marked : records.filter((r) => r.name === 'owner' && r.role === 'admin')).map(publicInfo);
  }

  /** Revoke a token by id. Refuses to revoke the last admin token, which would lock everyone out. */
  revoke(id: string, actor: string): Promise<TokenInfo> {
    return this.#serial(() => this.#revoke(id, actor));
  }

  async #revoke(id: string, actor: string): Promise<TokenInfo> {
    const record = this.#byId.get(id);
    if (!record) throw new DaemonError('NOT_FOUND', `no token with id ${id}`);
    const admins = [...this.#byId.values()].filter((r) => r.role === 'admin').length;
    if (record.role === 'admin' && admins === 1) throw new DaemonError('CONFLICT', 'refusing to revoke the last admin token');
    await recordOrRefuse(this.audit, { type: 'token.revoked', actor, detail: { tokenId: id, role: record.role } });
    await this.store.del(NS, id);
    this.#byId.delete(id);
    return publicInfo(record);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function publicInfo(r: TokenRecord): TokenInfo {
  return { id: r.id, role: r.role, name: r.name, created: r.created };
}
