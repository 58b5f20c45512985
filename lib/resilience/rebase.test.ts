import { describe, expect, it } from 'vitest';
import { rebase } from './rebase';

const read = {
  connectionPool: { tcp: { maxConnections: 100 }, http: { http1MaxPendingRequests: 100 } },
  outlierDetection: { consecutive5xxErrors: 3 },
};

describe('re-applying my edits on their version', () => {
  it('keeps their change to another field and puts mine on top', () => {
    const edited = {
      ...read,
      connectionPool: { ...read.connectionPool, http: { http1MaxPendingRequests: 1 } },
    };
    const current = { ...read, connectionPool: { ...read.connectionPool, tcp: { maxConnections: 99 } } };
    expect(rebase(read, edited, current)).toEqual({
      value: {
        connectionPool: { tcp: { maxConnections: 99 }, http: { http1MaxPendingRequests: 1 } },
        outlierDetection: { consecutive5xxErrors: 3 },
      },
      conflicts: [],
    });
  });

  it('names a field both changed differently, and accepts one both changed alike', () => {
    const edited = { ...read, outlierDetection: { consecutive5xxErrors: 5 } };
    expect(
      rebase(read, edited, { ...read, outlierDetection: { consecutive5xxErrors: 7 } }).conflicts,
    ).toEqual(['outlierDetection/consecutive5xxErrors']);
    expect(
      rebase(read, edited, { ...read, outlierDetection: { consecutive5xxErrors: 5 } }).conflicts,
    ).toEqual([]);
  });

  it('adds a section they did not have and removes one I removed, whatever else they did', () => {
    const routeRead = { fault: undefined, timeout: undefined, retries: { attempts: 2 } } as Record<
      string,
      unknown
    >;
    const edited = { fault: { abort: { httpStatus: 503 } }, timeout: '3s', retries: undefined } as Record<
      string,
      unknown
    >;
    const current = {
      timeout: undefined,
      retries: { attempts: 2 },
      fault: undefined,
      mirror: { host: 'x' },
    } as Record<string, unknown>;
    const { value, conflicts } = rebase(routeRead, edited, current);
    expect(conflicts).toEqual([]);
    expect(value).toEqual({ fault: { abort: { httpStatus: 503 } }, timeout: '3s', mirror: { host: 'x' } });
  });
});
