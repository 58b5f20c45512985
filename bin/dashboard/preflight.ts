import { access, constants } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../cli/errors';

/**
 * Checks what `start` can check before serving: the kubeconfig loads and has the context asked
 * for. Reaching the cluster is the dashboard's job (it shows a banner when it cannot).
 */
export async function checkKubeconfig(file: string | undefined, context: string | undefined): Promise<void> {
  if (file !== undefined) {
    try {
      await access(file, constants.R_OK);
    } catch {
      throw new CliError(`Kubeconfig ${file} does not exist or is not readable.`);
    }
  }
  const kubeConfig = new KubeConfig();
  try {
    if (file === undefined) kubeConfig.loadFromDefault();
    else kubeConfig.loadFromFile(file);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`Kubeconfig ${file ?? '(default)'} cannot be loaded: ${message}`, { cause: error });
  }
  if (context !== undefined && !kubeConfig.getContextObject(context)) {
    const known = kubeConfig.getContexts().map((entry) => entry.name);
    throw new CliError(
      `Context "${context}" is not in the kubeconfig${known.length > 0 ? ` (it has: ${known.join(', ')})` : ''}.`,
    );
  }
}
