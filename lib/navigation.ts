/** The dashboard's top-level pages, in menu order. Add an entry when its page exists. */
export interface NavItem {
  href: string;
  label: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/graph', label: 'Graph' },
  { href: '/services', label: 'Services' },
  { href: '/traffic-split', label: 'Traffic splits' },
  { href: '/config', label: 'Istio config' },
  { href: '/workloads', label: 'Workloads' },
  { href: '/gateways', label: 'Gateways' },
  { href: '/resilience', label: 'Resilience' },
  { href: '/security', label: 'Security' },
];

/** Whether `pathname` is inside the page `href` (`/` only matches itself). */
export function isActivePath(pathname: string, href: string): boolean {
  if (href === '/') return pathname === '/';
  return pathname === href || pathname.startsWith(`${href}/`);
}
