/**
 * The task status machine. Only these transitions are legal; everything else is a CONFLICT:
 *
 *   open ──► running ──► proposed ──► applied ──► rolled-back
 *     │         │            └──────► rejected
 *     └─────────┴──► failed
 */
import type { TaskStatus } from '../protocol/index.js';

/** Legal next states of each state. */
export const TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  open: ['running', 'failed'],
  running: ['proposed', 'failed'],
  proposed: ['applied', 'rejected'],
  applied: ['rolled-back'],
  rejected: [],
  failed: [],
  'rolled-back': [],
};

/** Whether a task may move from one status to another. */
export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}
