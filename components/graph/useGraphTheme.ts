'use client';

import { useEffect, useState } from 'react';
import type { GraphTheme } from '@/lib/graph-view/cytoscape-style';

/** CSS variable behind each colour of the canvas (app/globals.css defines both themes). */
const VARIABLES: Record<keyof GraphTheme, string> = {
  text: '--text',
  background: '--surface',
  nodeFill: '--graph-node-fill',
  boxFill: '--surface-alt',
  border: '--border',
  muted: '--graph-idle',
  healthy: '--graph-healthy',
  degraded: '--graph-degraded',
  failure: '--graph-failure',
  accent: '--accent',
};

const FALLBACK: GraphTheme = {
  text: '#1b1f24',
  background: '#ffffff',
  nodeFill: '#ffffff',
  boxFill: '#eef1f5',
  border: '#d0d7de',
  muted: '#8c959f',
  healthy: '#2da44e',
  degraded: '#bf8700',
  failure: '#cf222e',
  accent: '#1f6feb',
};

function readTheme(): GraphTheme {
  const style = getComputedStyle(document.documentElement);
  const theme = { ...FALLBACK };
  for (const key of Object.keys(VARIABLES) as (keyof GraphTheme)[]) {
    const value = style.getPropertyValue(VARIABLES[key]).trim();
    if (value !== '') theme[key] = value;
  }
  return theme;
}

/**
 * The canvas colours, read from the page's CSS variables (canvas drawing cannot use `var()`), and
 * read again when the OS switches between light and dark.
 */
export function useGraphTheme(): GraphTheme {
  const [theme, setTheme] = useState<GraphTheme>(FALLBACK);
  useEffect(() => {
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const update = () => setTheme(readTheme());
    update();
    media.addEventListener('change', update);
    return () => media.removeEventListener('change', update);
  }, []);
  return theme;
}
