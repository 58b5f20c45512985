import { parseTrafficSplitPath } from '@/lib/traffic-split/schema';
import type { TrafficSplitHistory } from '@/lib/types/traffic-split';
import { AppError } from '@/server/errors';
import { errorResponse, jsonResponse } from '@/server/responses';
import { getTrafficSplitHistory } from '@/server/traffic-split';

/**
 * `GET /api/traffic-split/NAMESPACE/NAME/history` -> `{entries}`: the audit records of the writes
 * this dashboard made or tried on the VirtualService since it started, newest first.
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ namespace: string; name: string }> },
) {
  try {
    const parsed = parseTrafficSplitPath(await params);
    if (!parsed.ok) {
      throw new AppError('invalid', `Invalid VirtualService: ${parsed.problems.join('; ')}`, {
        details: { problems: parsed.problems },
      });
    }
    return jsonResponse<TrafficSplitHistory>(
      getTrafficSplitHistory(parsed.value.namespace, parsed.value.name),
    );
  } catch (error) {
    return errorResponse(error, '/api/traffic-split/[namespace]/[name]/history');
  }
}
