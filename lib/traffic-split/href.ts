/** Links to the traffic-split editor, for any page that shows a VirtualService or a service. */

/** The editor of one VirtualService: `/traffic-split/default/reviews`. */
export function trafficSplitHref(namespace: string, name: string): string {
  return `/traffic-split/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/**
 * The editor for the VirtualService routing a service (the list, filtered to it, opens the editor
 * directly when exactly one VirtualService routes it): for pages that know the service but not its
 * VirtualService, such as the graph's side panel.
 */
export function trafficSplitForServiceHref(namespace: string, service: string): string {
  return `/traffic-split?${new URLSearchParams({ namespace, service }).toString()}`;
}
