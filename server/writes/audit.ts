import 'server-only';
import { logger } from '../logger';

/** One write the dashboard made or tried, for the audit log and the object's history. Never a credential. */
export interface AuditRecord {
  /** ISO time */
  time: string;
  /** who asked (the identity's user name, not its token) */
  actor: string;
  object: { group: string; kind: string; namespace: string; name: string };
  /** what changed: JSON pointer -> value before and after */
  changes: { path: string; before: unknown; after: unknown }[];
  resourceVersionBefore: string;
  /** the resourceVersion the write produced (absent when it did not apply) */
  resourceVersionAfter?: string;
  result: 'applied' | 'dry-run' | 'conflict' | 'rejected' | 'forbidden' | 'failed';
  /** why it did not apply, in words */
  message?: string;
}

/** Records kept per object for its history page; older ones remain in the log only. */
const historyLimit = 50;

const auditLog = logger.child({ log: 'audit' });

function key(object: AuditRecord['object']): string {
  return `${object.group}/${object.kind}/${object.namespace}/${object.name}`;
}

interface AuditStore {
  byObject: Map<string, AuditRecord[]>;
}

const globalStore = globalThis as typeof globalThis & { meshscopeAudit?: AuditStore };

function store(): AuditStore {
  globalStore.meshscopeAudit ??= { byObject: new Map() };
  return globalStore.meshscopeAudit;
}

/** Write the record to the audit log (one structured line) and to the object's in-memory history. */
export function audit(record: AuditRecord): void {
  auditLog.info(
    { audit: record },
    `${record.result}: ${record.object.kind} ${record.object.namespace}/${record.object.name} by ${record.actor}`,
  );
  const history = store().byObject.get(key(record.object)) ?? [];
  history.push(record);
  if (history.length > historyLimit) history.splice(0, history.length - historyLimit);
  store().byObject.set(key(record.object), history);
}

/** The object's recorded writes since this process started, newest first. */
export function auditHistory(object: AuditRecord['object']): AuditRecord[] {
  return [...(store().byObject.get(key(object)) ?? [])].reverse();
}
