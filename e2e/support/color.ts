/**
 * Relative luminance (WCAG 2.x, 0 = black, 1 = white) of a computed CSS colour such as
 * `rgb(13, 17, 23)` or `rgba(13, 17, 23, 1)`.
 */
export function relativeLuminance(cssColor: string): number {
  const match = /^rgba?\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)/.exec(cssColor);
  if (!match) throw new Error(`Not an rgb() colour: ${cssColor}`);
  const [r, g, b] = match.slice(1, 4).map((channel) => {
    const value = Number(channel) / 255;
    return value <= 0.039_28 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
