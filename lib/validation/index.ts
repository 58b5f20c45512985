/**
 * Configuration validation: the warnings of `istioctl analyze` and Kiali, computed from a
 * configuration snapshot. Pure. What each check reports is documented on the checker
 * (./checkers) and in ./README.md.
 */
export { CODES, type CodeInfo, type FindingCode } from './codes';
export { fromManifests, type ManifestOptions } from './from-manifests';
export { resourceName, SUPPRESS_ANNOTATION } from './suppression';
export { type ConfigChange, type IstioObjectRef, Validator, validate } from './validate';
