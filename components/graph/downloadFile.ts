/** Saves a blob as a file through a temporary link (blob: URLs are allowed by the page's CSP). */
export function downloadFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the click has started the download by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** `meshscope-graph-default-versionedApp-20260101T000110Z` */
export function exportBaseName(namespaces: readonly string[], graphType: string, timestamp: string): string {
  const stamp = timestamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const scope = namespaces.length <= 3 ? namespaces.join('+') : `${namespaces.length}-namespaces`;
  return `meshscope-graph-${scope}-${graphType}-${stamp}`;
}
