import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
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

export default function RootLayout({ children }: { children: ReactNode }) {
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
