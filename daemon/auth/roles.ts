/**
 * Roles and permissions. The table below is the documented contract (README "Roles"): a role holds exactly
 * the permissions listed, and every request type needs at most one permission. Nothing a model says can
 * change a permission: the role comes only from the token presented at the websocket upgrade.
 *
 * | permission         | viewer | developer | maintainer | admin |
 * |--------------------|:------:|:---------:|:----------:|:-----:|
 * | tasks.read         |   ✓    |     ✓     |     ✓      |   ✓   |
 * | tasks.create       |        |     ✓     |     ✓      |   ✓   |
 * | models.local       |        |     ✓     |     ✓      |   ✓   |
 * | models.cloud       |        |           |     ✓      |   ✓   |
 * | providers.manage   |        |           |     ✓      |   ✓   |
 * | audit.read         |        |           |     ✓      |   ✓   |
 * | tokens.manage      |        |           |            |   ✓   |
 * | daemon.manage      |        |           |            |   ✓   |
 */
import type { RequestType, Role } from '../protocol/index.js';

/** Every permission. `daemon.manage` (key rotation, shutdown) is the one addition to the list. */
export const PERMISSIONS = [
  'tasks.read', 'tasks.create', 'models.local', 'models.cloud', 'providers.manage', 'audit.read', 'tokens.manage', 'daemon.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['tasks.read'],
  developer: ['tasks.read', 'tasks.create', 'models.local'],
  maintainer: ['tasks.read', 'tasks.create', 'models.local', 'models.cloud', 'providers.manage', 'audit.read'],
  admin: [...PERMISSIONS],
};

/** The permission each request needs; `null` means any authenticated token may send it. */
export const REQUEST_PERMISSION: Readonly<Record<RequestType, Permission | null>> = {
  ping: null,
  'daemon.status': null,
  'daemon.shutdown': 'daemon.manage',
  'task.create': 'tasks.create',
  'task.get': 'tasks.read',
  'task.list': 'tasks.read',
  // Moving a task through its states and deleting it are writes to tasks: the same permission as creating one.
  'task.update': 'tasks.create',
  'task.delete': 'tasks.create',
  'token.create': 'tokens.manage',
  'token.list': 'tokens.manage',
  'token.revoke': 'tokens.manage',
  'audit.tail': 'audit.read',
  'audit.verify': 'audit.read',
  'key.rotate': 'daemon.manage',
};

/** Whether a role holds a permission. */
export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Whether a role may send a request type. */
export function mayRequest(role: Role, type: RequestType): boolean {
  const needed = REQUEST_PERMISSION[type];
  return needed === null || roleHas(role, needed);
}
