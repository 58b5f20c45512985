import 'server-only';
import { checkTelemetryQuery } from '@/lib/telemetry/query';
import type { TelemetryQuery } from '@/lib/types/telemetry';
import { AppError } from '../errors';

/** The query with sorted, unique namespaces; an invalid one is the caller's mistake (400). */
export function checkedQuery(query: TelemetryQuery): { namespaces: string[]; windowSeconds: number } {
  const checked = checkTelemetryQuery(query);
  if (!checked.ok) throw new AppError('invalid:telemetry', `Invalid telemetry query: ${checked.problem}`);
  return checked;
}
