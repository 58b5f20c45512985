import 'server-only';

export type { CacheState, CacheStatus } from '@/lib/types/status';
