/**
 * CloudFormation values to plain strings, as far as a template alone tells them: pseudo parameters
 * become the stack's account, region and partition; a reference to a resource of the same stack
 * becomes a marker `{{ref:Logical}}` (its physical name is only known once deployed). Markers never
 * contain quotes or backslashes, so a JSON document built with `Fn::Join` stays parseable.
 */
import { partitionOf, type AssemblyStack } from './assembly.js';

export interface StackPlace {
  readonly account: string;
  readonly region: string;
  /** What `Ref` returns for resources of the stack whose name is a literal in the template. */
  readonly refs?: ReadonlyMap<string, string>;
  /** `Logical.Attribute` values known from a deployed stack. */
  readonly attributes?: ReadonlyMap<string, string>;
}

const MARKER = /\{\{[^}]*\}\}/;

/** Whether a resolved string still holds a part only known after deployment. */
export function hasMarker(value: string): boolean {
  return MARKER.test(value);
}

function pseudo(name: string, place: StackPlace): string | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return place.account;
    case 'AWS::Region':
      return place.region;
    case 'AWS::Partition':
      return partitionOf(place.region);
    case 'AWS::URLSuffix':
      return place.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    default:
      return undefined;
  }
}

function substitute(text: string, vars: Record<string, unknown>, place: StackPlace): string {
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
    if (name in vars) return resolveString(vars[name], place);
    return pseudo(name, place) ?? place.refs?.get(name) ?? `{{ref:${name}}}`;
  });
}

/** One value as a string; an intrinsic that cannot be evaluated offline becomes a marker. */
export function resolveString(value: unknown, place: StackPlace): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '{{?}}';
  const [key, arg] = Object.entries(value)[0] ?? [];
  switch (key) {
    case 'Ref':
      return pseudo(String(arg), place) ?? place.refs?.get(String(arg)) ?? `{{ref:${String(arg)}}}`;
    case 'Fn::GetAtt': {
      const [logical, attribute] = Array.isArray(arg) ? (arg as unknown[]) : String(arg).split('.');
      const key = `${String(logical)}.${String(attribute)}`;
      return place.attributes?.get(key) ?? `{{att:${key}}}`;
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, unknown];
      return Array.isArray(parts) ? parts.map((p) => resolveString(p, place)).join(separator) : '{{?}}';
    }
    case 'Fn::Sub':
      return Array.isArray(arg) ? substitute(String(arg[0]), (arg[1] ?? {}) as Record<string, unknown>, place) : substitute(String(arg), {}, place);
    case 'Fn::ImportValue':
      return `{{import:${resolveString(arg, place)}}}`;
    default:
      return '{{?}}';
  }
}

const INTRINSIC = /^(Ref|Fn::[A-Za-z]+)$/;

/** A properties tree with every intrinsic resolved to a string (see `resolveString`). */
export function resolveDeep(value: unknown, place: StackPlace): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, place));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && INTRINSIC.test(keys[0]!)) return resolveString(value, place);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, place)]));
}

/** Every string in a resolved tree, with JSON documents held in strings parsed too. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    const trimmed = value.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        stringsIn(JSON.parse(value) as unknown, out);
      } catch {
        // Not JSON after all: the string itself was collected.
      }
    }
  } else if (Array.isArray(value)) {
    for (const v of value) stringsIn(v, out);
  } else if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) stringsIn(v, out);
  }
  return out;
}

// Where `Ref` returns the name (CloudFormation's "Return values" of each type), and the property holding it.
const NAME_REFS: Record<string, (p: Record<string, unknown>) => unknown> = {
  'AWS::Glue::Database': (p) => (p.DatabaseInput as Record<string, unknown> | undefined)?.Name,
  'AWS::Glue::Table': (p) => (p.TableInput as Record<string, unknown> | undefined)?.Name,
  'AWS::IAM::Role': (p) => p.RoleName,
  'AWS::Events::EventBus': (p) => p.Name,
  'AWS::Lambda::Function': (p) => p.FunctionName,
};

const places = new WeakMap<AssemblyStack, StackPlace>();

/**
 * The place of a deployed stack: `Ref` gives each resource's physical id (for the types whose `Ref`
 * is the id, which is all a grant names) and `Fn::GetAtt Role.Arn` the role's ARN.
 */
export function deployedPlace(stack: AssemblyStack, physical: ReadonlyMap<string, { readonly type: string; readonly id: string }>): StackPlace {
  const base = placeOf(stack);
  const refs = new Map(base.refs);
  const attributes = new Map<string, string>();
  for (const [logical, { type, id }] of physical) {
    refs.set(logical, id);
    if (type === 'AWS::IAM::Role') attributes.set(`${logical}.Arn`, id.startsWith('arn:') ? id : `arn:${partitionOf(stack.region)}:iam::${stack.account}:role/${id}`);
  }
  return { ...base, refs, attributes };
}

export function placeOf(stack: AssemblyStack): StackPlace {
  const known = places.get(stack);
  if (known) return known;
  const refs = new Map<string, string>();
  for (const [logical, resource] of Object.entries(stack.template.Resources ?? {})) {
    const name = NAME_REFS[resource.Type]?.(resource.Properties ?? {});
    if (typeof name === 'string') refs.set(logical, name);
  }
  const place = { account: stack.account, region: stack.region, refs };
  places.set(stack, place);
  return place;
}
