/**
 * Label and field selectors as kube-apiserver parses them (k8s.io/apimachinery `labels/selector.go`
 * and `fields/selector.go`), including their error messages, so `kubectl get -l …` and
 * `--field-selector …` fail the same way they do against a real cluster.
 */
import { statusErrors } from './status-error';
import { isPlainObject, type KubeObject } from './types';

type Labels = Record<string, string> | undefined;

// ---------------------------------------------------------------------------------------------
// Label selectors: lexer

type TokenKind =
  | 'identifier'
  | 'in'
  | 'notin'
  | '!'
  | '!='
  | '('
  | ')'
  | ','
  | '='
  | '=='
  | '>'
  | '<'
  | 'end';

interface Token {
  kind: TokenKind;
  literal: string;
}

const symbolTokens = new Set<string>(['!', '!=', '(', ')', ',', '=', '==', '>', '<']);
const specialCharacters = new Set(['=', '!', '(', ')', ',', '>', '<']);
const whitespace = new Set([' ', '\t', '\r', '\n']);

/** Longest run of special characters that is still an operator, as `scanSpecialSymbol` does. */
function scanSymbol(text: string, start: number): { token: Token; next: number } {
  let best: Token | undefined;
  let end = start;
  for (let i = start; i < text.length && specialCharacters.has(text.charAt(i)); i++) {
    const candidate = text.slice(start, i + 1);
    if (symbolTokens.has(candidate)) {
      best = { kind: candidate as TokenKind, literal: candidate };
      end = i + 1;
    } else if (best) {
      break;
    }
  }
  // every single special character is itself a token, so `best` is always set here
  return { token: best ?? { kind: 'end', literal: '' }, next: end };
}

function scanWord(text: string, start: number): { token: Token; next: number } {
  let end = start;
  while (end < text.length && !whitespace.has(text.charAt(end)) && !specialCharacters.has(text.charAt(end)))
    end++;
  const literal = text.slice(start, end);
  const kind: TokenKind = literal === 'in' || literal === 'notin' ? literal : 'identifier';
  return { token: { kind, literal }, next: end };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (;;) {
    while (position < text.length && whitespace.has(text.charAt(position))) position++;
    if (position >= text.length) break;
    const scanned = specialCharacters.has(text.charAt(position))
      ? scanSymbol(text, position)
      : scanWord(text, position);
    tokens.push(scanned.token);
    position = scanned.next;
  }
  tokens.push({ kind: 'end', literal: '' });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Label selectors: requirements and their validation

type Operator = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

const nameMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const qualifiedNameMessage =
  "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const subdomainMessage =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelValueMessage =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const namePattern = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const subdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** `validation.IsQualifiedName`: `name` or `dns.prefix/name`. */
function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  if (parts.length > 2) return [qualifiedNameMessage];
  const name = parts.length === 2 ? (parts[1] ?? '') : key;
  const problems: string[] = [];
  if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    if (prefix === '') problems.push('prefix part must be non-empty');
    else if (prefix.length > 253) problems.push('prefix part must be no more than 253 characters');
    else if (!subdomainPattern.test(prefix)) problems.push(`prefix part ${subdomainMessage}`);
  }
  if (name === '') problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name !== '' && !namePattern.test(name)) problems.push(nameMessage);
  return problems;
}

function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!labelValuePattern.test(value)) problems.push(labelValueMessage);
  return problems;
}

/** `field.Invalid(path, value, detail).Error()` */
function invalid(path: string, value: string, detail: string): string {
  return `${path}: Invalid value: ${JSON.stringify(value)}: ${detail}`;
}

function requirementProblems(requirement: Requirement): string[] {
  const { key, operator, values } = requirement;
  const problems: string[] = [];
  if ((operator === 'gt' || operator === 'lt') && !/^[+-]?\d+$/.test(values[0] ?? '')) {
    problems.push(
      invalid('values[0]', values[0] ?? '', "for 'Gt', 'Lt' operators, the value must be an integer"),
    );
  }
  values.forEach((value, index) => {
    const detail = labelValueProblems(value);
    if (detail.length > 0) problems.push(invalid(`values[${index}][${key}]`, value, detail.join('; ')));
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Label selectors: parser (a port of apimachinery's recursive-descent `Parser`)

class SelectorParseError extends Error {}

type Context = 'keyAndOperator' | 'values';

class LabelSelectorParser {
  private position = 0;

  constructor(private readonly tokens: Token[]) {}

  /** In a values context `in` and `notin` are plain identifiers. */
  private lookahead(context: Context): Token {
    const token = this.tokens[this.position] ?? { kind: 'end', literal: '' };
    if (context === 'values' && (token.kind === 'in' || token.kind === 'notin')) {
      return { kind: 'identifier', literal: token.literal };
    }
    return token;
  }

  private consume(context: Context): Token {
    const token = this.lookahead(context);
    if (this.position < this.tokens.length - 1) this.position++;
    return token;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const next = this.lookahead('values');
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== '!') {
        throw new SelectorParseError(`found '${next.literal}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.requirement());
      const separator = this.consume('values');
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== ',') {
        throw new SelectorParseError(`found '${separator.literal}', expected: ',' or 'end of string'`);
      }
      const after = this.lookahead('values');
      if (after.kind !== 'identifier' && after.kind !== '!') {
        throw new SelectorParseError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): Requirement {
    try {
      const requirement = this.requirementBody();
      const problems = requirementProblems(requirement);
      if (problems.length === 1) throw new SelectorParseError(problems[0]);
      if (problems.length > 1) throw new SelectorParseError(`[${problems.join(', ')}]`);
      return requirement;
    } catch (error) {
      if (error instanceof SelectorParseError) {
        throw new SelectorParseError(`unable to parse requirement: ${error.message}`);
      }
      throw error;
    }
  }

  private requirementBody(): Requirement {
    const negated = this.lookahead('values').kind === '!';
    if (negated) this.consume('values');
    const keyToken = this.consume('values');
    if (keyToken.kind !== 'identifier') {
      throw new SelectorParseError(`found '${keyToken.literal}', expected: identifier`);
    }
    const key = keyToken.literal;
    const keyProblems = qualifiedNameProblems(key);
    if (keyProblems.length > 0) throw new SelectorParseError(invalid('<nil>', key, keyProblems.join('; ')));
    const following = this.lookahead('values').kind;
    if (negated || following === 'end' || following === ',') {
      // `!key=v` parses `!key` and then fails on `=` in `parse()`, as upstream does
      if (negated) return { key, operator: '!', values: [] };
      return { key, operator: 'exists', values: [] };
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    return { key, operator, values };
  }

  private operator(): Operator {
    const token = this.consume('keyAndOperator');
    switch (token.kind) {
      case 'in':
      case 'notin':
      case '=':
      case '==':
      case '!=':
        return token.kind;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorParseError(`found '${token.literal}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private exactValue(): string[] {
    const next = this.lookahead('values');
    if (next.kind === 'end' || next.kind === ',') return [''];
    const token = this.consume('values');
    if (token.kind === 'identifier') return [token.literal];
    throw new SelectorParseError(`found '${token.literal}', expected: identifier`);
  }

  /** `(a,b,c)`; `()` and empty elements stand for the empty value. */
  private valueSet(): string[] {
    const open = this.consume('values');
    if (open.kind !== '(') throw new SelectorParseError(`found '${open.literal}' expected: '('`);
    const first = this.lookahead('values');
    if (first.kind === ')') {
      this.consume('values');
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',') {
      throw new SelectorParseError(`found '${first.literal}', expected: ',', ')' or identifier`);
    }
    const values = this.identifierList();
    const close = this.consume('values');
    if (close.kind !== ')') throw new SelectorParseError(`found '${close.literal}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const values = new Set<string>();
    for (;;) {
      const token = this.consume('values');
      if (token.kind === 'identifier') {
        values.add(token.literal);
        const next = this.lookahead('values');
        if (next.kind === ')') return [...values];
        if (next.kind !== ',') throw new SelectorParseError(`found '${next.literal}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        if (values.size === 0) values.add('');
        const next = this.lookahead('values');
        if (next.kind === ')') {
          values.add('');
          return [...values];
        }
        if (next.kind === ',') {
          this.consume('values');
          values.add('');
        }
      } else {
        throw new SelectorParseError(`found '${token.literal}', expected: ',', or identifier`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Label selectors: matching

function integerValue(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text)) return undefined;
  return Number(text);
}

function matches(requirement: Requirement, labels: Labels): boolean {
  const present = labels !== undefined && Object.hasOwn(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case 'exists':
      return present;
    case '!':
      return !present;
    case '=':
    case '==':
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
    case 'gt':
    case 'lt': {
      const actual = integerValue(value);
      const bound = integerValue(requirement.values[0]);
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof SelectorParseError) throw statusErrors.badRequest(error.message);
    throw error;
  }
}

/**
 * Parses a `labelSelector` query parameter (`app=reviews,version!=v1`, `tier in (a,b)`, `!canary`).
 * Throws a 400 `StatusError` with the API server's message when the text does not parse.
 */
export function parseLabelSelector(text: string): (labels: Labels) => boolean {
  const requirements = asBadRequest(() => new LabelSelectorParser(tokenize(text)).parse());
  return (labels) => requirements.every((requirement) => matches(requirement, labels));
}

// ---------------------------------------------------------------------------------------------
// Field selectors

interface FieldTerm {
  field: string;
  negate: boolean;
  value: string;
}

/** Splits on commas that are not escaped with a backslash (`fields.splitTerms`). */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const character = text.charAt(i);
    if (character === '\\' && i + 1 < text.length) {
      current += character + text.charAt(i + 1);
      i++;
    } else if (character === ',') {
      terms.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  terms.push(current);
  return terms;
}

/** `\\`, `\,` and `\=` are the only escapes; a bare `,` or `=` is not allowed in a value. */
function unescapeValue(text: string): string {
  let result = '';
  for (let i = 0; i < text.length; i++) {
    const character = text.charAt(i);
    if (character === '\\') {
      const escaped = text.charAt(i + 1);
      if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
        throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${escaped}`);
      }
      result += escaped;
      i++;
    } else if (character === ',' || character === '=') {
      throw new SelectorParseError(`invalid field selector: unescaped character in value: ${character}`);
    } else {
      result += character;
    }
  }
  return result;
}

const fieldOperators = ['!=', '==', '='] as const;

function parseFieldTerm(selector: string, term: string): FieldTerm {
  for (let i = 0; i < term.length; i++) {
    const operator = fieldOperators.find((candidate) => term.startsWith(candidate, i));
    if (operator) {
      const value = unescapeValue(term.slice(i + operator.length));
      return { field: term.slice(0, i), negate: operator === '!=', value };
    }
  }
  throw new SelectorParseError(`invalid selector: '${selector}'; can't understand '${term}'`);
}

/** The value a field selector compares: the field read by its dotted path, as text ('' when absent). */
export function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (!isPlainObject(current)) return '';
    current = current[segment];
  }
  if (typeof current === 'string') return current;
  if (typeof current === 'number' || typeof current === 'boolean') return String(current);
  return '';
}

/**
 * Parses a `fieldSelector` query parameter (`metadata.name=reviews,status.phase!=Running`).
 * Fields must pass `supported`; otherwise the 400 says `field label not supported: X`.
 */
export function parseFieldSelector(
  text: string,
  supported: (field: string) => boolean,
): (object: KubeObject) => boolean {
  const terms = asBadRequest(() =>
    splitTerms(text)
      .filter((term) => term !== '')
      .map((term) => parseFieldTerm(text, term)),
  );
  const unsupported = terms.find((term) => !supported(term.field));
  if (unsupported) throw statusErrors.badRequest(`field label not supported: ${unsupported.field}`);
  return (object) => terms.every((term) => (fieldValue(object, term.field) === term.value) !== term.negate);
}

const commonFields = ['metadata.name', 'metadata.namespace'];

/** Field labels per kind beyond `metadata.name` / `metadata.namespace` (kube-apiserver's `*ToSelectableFields`). */
const fieldsByKind: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'type',
  ],
  Secret: ['type'],
  Namespace: ['status.phase'],
  Node: ['spec.unschedulable'],
  ReplicaSet: ['status.replicas'],
};

/** Which field labels a kind (`Pod`, `Event`, `VirtualService`, …) accepts in a field selector. */
export function defaultFieldSelectorSupport(kind: string): (field: string) => boolean {
  const fields = new Set([...commonFields, ...(fieldsByKind[kind] ?? [])]);
  return (field) => fields.has(field);
}
