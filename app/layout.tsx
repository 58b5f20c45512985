import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { ConnectionIndicator } from '@/components/ConnectionIndicator';
import { MeshLockIndicator } from '@/components/MeshLockIndicator';
import { Providers } from '@/components/Providers';
import { SiteNav } from '@/components/SiteNav';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Meshscope', template: '%s · Meshscope' },
  description: 'A dashboard for Istio service meshes',
};

export const viewport: Viewport = {
  colorScheme: 'light dark',
};

/**
 * Every page renders per request: proxy.ts gives each response a fresh CSP nonce, which Next can
 * only put on its scripts while rendering (a prerendered page would carry none and not run).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers>
          <header className="site-header">
            <Link href="/" className="brand">
              Meshscope
            </Link>
            <SiteNav />
            <MeshLockIndicator />
            <ConnectionIndicator />
          </header>
          <main id="main" className="site-main">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
