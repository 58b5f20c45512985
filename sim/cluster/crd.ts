/** Turning CustomResourceDefinition objects into served kinds, as apiextensions-apiserver does. */
import { compareKubeVersions } from './registry';
import { allVerbs, type PrinterColumn, type ResourceType, type ResourceVersionInfo } from './resource-type';
import { isPlainObject, type KubeObject } from './types';

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function printerColumns(version: Record<string, unknown>): PrinterColumn[] {
  const columns = Array.isArray(version.additionalPrinterColumns) ? version.additionalPrinterColumns : [];
  return columns.filter(isPlainObject).map((column) => {
    const result: PrinterColumn = {
      name: text(column.name),
      type: text(column.type, 'string'),
      jsonPath: text(column.jsonPath),
    };
    if (typeof column.format === 'string') result.format = column.format;
    if (typeof column.description === 'string') result.description = column.description;
    if (typeof column.priority === 'number') result.priority = column.priority;
    return result;
  });
}

/** The ResourceType a CRD object defines (versions ordered by Kubernetes priority). */
export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const spec = record(crd.spec);
  const names = record(spec.names);
  const versions: ResourceVersionInfo[] = (Array.isArray(spec.versions) ? spec.versions : [])
    .filter(isPlainObject)
    .map((version) => {
      const info: ResourceVersionInfo = {
        name: text(version.name),
        served: version.served !== false,
        storage: version.storage === true,
        printerColumns: printerColumns(version),
      };
      const schema = record(record(version.schema).openAPIV3Schema);
      if (Object.keys(schema).length > 0) info.schema = schema;
      return info;
    })
    .sort((a, b) => compareKubeVersions(a.name, b.name));
  const kind = text(names.kind);
  const subresources = new Set<string>();
  for (const version of Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : []) {
    for (const name of Object.keys(record(version.subresources))) subresources.add(name);
  }
  return {
    group: text(spec.group),
    versions,
    plural: text(names.plural),
    singular: text(names.singular, kind.toLowerCase()),
    kind,
    listKind: text(names.listKind, `${kind}List`),
    namespaced: spec.scope !== 'Cluster',
    shortNames: stringList(names.shortNames),
    categories: stringList(names.categories),
    verbs: allVerbs,
    subresources: [...subresources],
    builtIn: false,
    omitKindInListItems: false,
    hasGeneration: true,
  };
}

/** Problems that make kube-apiserver refuse a CRD (a subset of its validation). */
export function crdProblems(crd: KubeObject): { field: string; message: string }[] {
  const spec = record(crd.spec);
  const names = record(spec.names);
  const problems: { field: string; message: string }[] = [];
  const group = text(spec.group);
  const plural = text(names.plural);
  if (!group) problems.push({ field: 'spec.group', message: 'Required value' });
  if (!plural) problems.push({ field: 'spec.names.plural', message: 'Required value' });
  if (!text(names.kind)) problems.push({ field: 'spec.names.kind', message: 'Required value' });
  if (crd.metadata.name !== `${plural}.${group}`) {
    problems.push({
      field: 'metadata.name',
      message: `Invalid value: "${crd.metadata.name}": must be spec.names.plural+"."+spec.group`,
    });
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
  if (versions.length === 0)
    problems.push({
      field: 'spec.versions',
      message: 'Invalid value: null: must have exactly one version marked as storage version',
    });
  else if (versions.filter((version) => version.storage === true).length !== 1) {
    problems.push({
      field: 'spec.versions',
      message: 'Invalid value: ...: must have exactly one version marked as storage version',
    });
  }
  return problems;
}

/** The status kube-apiserver writes on an accepted CRD. */
export function establishedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = record(crd.spec);
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isPlainObject) : [];
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
    reason,
    message,
  });
  return {
    acceptedNames: spec.names ?? {},
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
    storedVersions: versions.filter((version) => version.storage === true).map((version) => version.name),
  };
}
