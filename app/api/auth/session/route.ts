import { apiRoute } from '@/server/api-route';
import { type SessionInfo, sessionInfo, signIn, signOut } from '@/server/auth/session';
import { AppError } from '@/server/errors';
import { requestHost } from '@/server/request-guard';
import { jsonResponse } from '@/server/responses';

const ROUTE = '/api/auth/session';

/** `GET /api/auth/session` -> `{mode, user, groups, via, readOnly}`: who is signed in (never a credential). */
export const GET = apiRoute({ route: ROUTE, access: 'read' }, ({ caller }) => {
  if (!caller) throw new AppError('unauthorized', 'Sign in to use Meshscope.');
  return jsonResponse<SessionInfo>(sessionInfo(caller));
});

/** `POST /api/auth/session` with `{token}` (token mode) or `{launchSecret}` (local mode): signs in. */
export const POST = apiRoute({ route: ROUTE, access: 'sign-in' }, ({ request }) =>
  signIn(request, requestHost(request)),
);

/** `DELETE /api/auth/session`: signs out (a write: same-origin, CSRF token). */
export const DELETE = apiRoute({ route: ROUTE, access: 'write' }, ({ request }) =>
  signOut(request, requestHost(request)),
);
