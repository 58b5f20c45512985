import type { IstioKind } from '../../types/mesh-config';
import { type Checker, defineChecker, ref } from '../checker';
import { texts } from '../spec';

function exportToChecker(kind: IstioKind): Checker {
  return defineChecker({
    id: 'exportto',
    kind,
    check(object, context) {
      const { namespaces } = context.index;
      if (namespaces.size === 0) return;
      texts(object.spec.exportTo).forEach((entry, position) => {
        if (entry === '*' || entry === '.' || entry === '~' || namespaces.has(entry)) return;
        context.report(ref(object), {
          code: 'exportto.namespace-not-found',
          path: `spec.exportTo[${position}]`,
          message: `exportTo names namespace "${entry}", which does not exist, so this ${kind} is visible there to nobody. Fix the name, or use "." for its own namespace and "*" for all.`,
        });
      });
    },
  });
}

/** `exportTo` entries must be `*`, `.`, `~` or an existing namespace (Kiali KIA0005). */
export const exportToCheckers: readonly Checker[] = [
  exportToChecker('VirtualService'),
  exportToChecker('DestinationRule'),
  exportToChecker('ServiceEntry'),
];
