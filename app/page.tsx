import type { Metadata } from 'next';
import { NamespaceOverview } from '@/components/NamespaceOverview';

export const metadata: Metadata = { title: 'Overview' };

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <NamespaceOverview />
    </>
  );
}
