import Link from 'next/link';
import { configObjectHref, isIstioKind } from '@/lib/istio-config/kinds';
import type { Finding } from '@/lib/types/validation';
import { type Column, DataTable } from '../DataTable';
import { SeverityBadge } from './SeverityBadge';

function objectName(finding: Finding): string {
  const { object } = finding;
  return object.namespace
    ? `${object.kind} ${object.namespace}/${object.name}`
    : `${object.kind} ${object.name}`;
}

function codes(finding: Finding): string {
  return [finding.istioCode, finding.kialiCode].filter(Boolean).join(' ');
}

const columns: Column<Finding>[] = [
  {
    id: 'severity',
    label: 'Severity',
    value: (f) => f.severity,
    render: (f) => <SeverityBadge severity={f.severity} />,
  },
  {
    id: 'object',
    label: 'Object',
    value: objectName,
    isRowHeader: true,
    render: (f) =>
      isIstioKind(f.object.kind) ? (
        <Link href={configObjectHref(f.object)}>{objectName(f)}</Link>
      ) : (
        objectName(f)
      ),
  },
  { id: 'path', label: 'Where', value: (f) => f.path, render: (f) => <code>{f.path}</code> },
  {
    id: 'code',
    label: 'Code',
    value: (f) => `${f.code} ${codes(f)}`,
    render: (f) => (
      <>
        <code>{f.code}</code>
        {codes(f) && <span className="muted"> {codes(f)}</span>}
      </>
    ),
  },
  { id: 'message', label: 'Message', value: (f) => f.message },
];

/** Findings as a table: severity, object (linked to its page), path, codes, message. */
export function FindingsTable({ findings, label }: { findings: readonly Finding[]; label: string }) {
  return (
    <DataTable
      label={label}
      testId="findings-table"
      columns={columns}
      rows={findings}
      rowKey={(f) =>
        `${f.object.kind}/${f.object.namespace}/${f.object.name}|${f.code}|${f.path}|${f.message}`
      }
    />
  );
}
