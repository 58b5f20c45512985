/**
 * Query keys, one builder per area, hierarchical so that invalidating a prefix
 * (`queryKeys.namespaces.all`) refreshes everything below it.
 */
export const queryKeys = {
  namespaces: {
    all: ['namespaces'] as const,
    list: () => [...queryKeys.namespaces.all, 'list'] as const,
  },
};
