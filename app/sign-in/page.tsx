import type { Metadata } from 'next';
import { SignInForm } from '@/components/auth/SignInForm';
import { safeReturnPath } from '@/lib/navigation-target';
import { getAuthSettings } from '@/server/auth/settings';

export const metadata: Metadata = { title: 'Sign in' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Only a path of this dashboard: never `//host` or `https://...` (no open redirect). */
/** Where proxy.ts sends a browser that is not signed in; what it asks for depends on the mode. */
export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const next = safeReturnPath((await searchParams).next);
  const { mode } = getAuthSettings();
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to Meshscope</h1>
      {mode === 'token' && (
        <>
          <p className="muted">
            Paste a Kubernetes bearer token (for example from <code>kubectl create token NAME</code>). The
            dashboard then reads and writes with it, so you see and may change exactly what your RBAC allows.
            The token stays on the server; this browser keeps only a session cookie.
          </p>
          <SignInForm mode="token" next={next} />
        </>
      )}
      {mode === 'local' && (
        <>
          <p className="muted">
            This dashboard runs in local mode. Open the link Meshscope printed when it started (it carries a
            secret for this launch), or paste that secret here.
          </p>
          <SignInForm mode="local" next={next} />
        </>
      )}
      {mode === 'header' && (
        <p role="alert">
          This dashboard expects an authenticating proxy in front of it, and the request reached it without an
          identity. Open it through the proxy's address.
        </p>
      )}
    </section>
  );
}
