/**
 * Resources that reach, while CloudFormation deploys them, into something another stack (or
 * another account) creates: custom resources' SDK calls, Lake Formation grants and tag
 * associations naming catalogs elsewhere, tag and RAM shares, resource links and SAR applications.
 * Each must find its target already there: created by a stack it depends on, or declared to exist.
 */
import { resourcesOf, type Assembly, type AssemblyStack, type TemplateResource } from './assembly.js';
import { ancestors } from './order.js';
import { checkResult, type CheckResult, type Finding } from './report.js';
import { hasMarker, placeOf, resolveDeep, stringsIn, type StackPlace } from './resolve.js';
import { createdBy, describeTarget, target, targetArn, targetKey, targetsInString, type Target } from './targets.js';

export interface Reach {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
  /** What the resource does with the target, e.g. `EventBridge.putEvents`, `grant`, `resource link`. */
  readonly via: string;
  readonly target: Target;
}

/** A Serverless Application Repository application a stack deploys: outside the app, checked live. */
export interface SarApplication {
  readonly stack: string;
  readonly resource: string;
  readonly applicationId: string;
  readonly semanticVersion?: string;
  readonly region: string;
}

type Props = Record<string, unknown>;
const obj = (v: unknown): Props => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Props) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Glue and LF-tag targets of a Lake Formation resource (PrincipalPermissions, Permissions, TagAssociation). */
function lakeFormationTargets(resource: Props, place: StackPlace): Target[] {
  const out: Target[] = [];
  const catalog = (r: Props) => str(r.CatalogId) ?? place.account;
  const glue = (r: Props, database: unknown, table: unknown) => {
    const db = str(database);
    if (db === undefined) return;
    const t = str(table);
    out.push(t === undefined ? target('glue-database', catalog(r), place.region, db) : target('glue-table', catalog(r), place.region, `${db}/${t}`));
  };
  for (const key of ['Database', 'DatabaseResource']) {
    const r = obj(resource[key]);
    glue(r, r.Name, undefined);
  }
  for (const key of ['Table', 'TableResource', 'TableWithColumns', 'TableWithColumnsResource']) {
    const r = obj(resource[key]);
    glue(r, r.DatabaseName, r.Name);
  }
  const tag = obj(resource.LFTag);
  if (str(tag.TagKey)) out.push(target('lf-tag', catalog(tag), place.region, str(tag.TagKey)!));
  const policy = obj(resource.LFTagPolicy);
  for (const e of arr(policy.Expression)) if (str(obj(e).TagKey)) out.push(target('lf-tag', catalog(policy), place.region, str(obj(e).TagKey)!));
  return out;
}

/** For an AwsCustomResource, `Service.action` from its Create call; else the resource type. */
export function sdkCall(properties: Props): string | undefined {
  for (const key of ['Create', 'Update', 'Delete']) {
    const text = str(properties[key]);
    if (!text) continue;
    try {
      const call = obj(JSON.parse(text));
      if (str(call.service) && str(call.action)) return `${call.service as string}.${call.action as string}`;
    } catch {
      // not an SDK call document
    }
  }
  return undefined;
}

/** Event bus names (not ARNs) and queue URLs in an AwsCustomResource's calls: they mean the stack's own account. */
function namedInCalls(properties: Props, place: StackPlace): Target[] {
  const out: Target[] = [];
  for (const text of stringsIn(properties)) {
    for (const m of text.matchAll(/"EventBusName":"([A-Za-z0-9._-]+)"/g)) out.push(target('event-bus', place.account, place.region, m[1]!));
    for (const m of text.matchAll(/https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)/g)) out.push(target('sqs-queue', m[2]!, m[1]!, m[3]!));
  }
  return out;
}

function reachesOf(stack: AssemblyStack, logical: string, resource: TemplateResource): Reach[] {
  const place = placeOf(stack);
  const p = obj(resolveDeep(resource.Properties ?? {}, place));
  const reach = (via: string, targets: Target[]): Reach[] => targets.filter((t) => !hasMarker(t.name) && !hasMarker(t.account)).map((t) => ({ stack: stack.id, resource: logical, type: resource.Type, via, target: t }));
  const type = resource.Type;
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') {
    const { ServiceToken: _token, ...rest } = p;
    const via = sdkCall(rest) ?? type;
    return reach(via, [...stringsIn(rest).flatMap(targetsInString), ...namedInCalls(rest, place)]);
  }
  switch (type) {
    case 'AWS::LakeFormation::PrincipalPermissions':
    case 'AWS::LakeFormation::Permissions':
      return reach('Lake Formation grant', lakeFormationTargets(obj(p.Resource), place));
    case 'AWS::LakeFormation::TagAssociation': {
      const tags = arr(p.LFTags).flatMap((t) => (str(obj(t).TagKey) ? [target('lf-tag', str(obj(t).CatalogId) ?? place.account, place.region, str(obj(t).TagKey)!)] : []));
      return reach('LF-tag association', [...tags, ...lakeFormationTargets(obj(p.Resource), place)]);
    }
    case 'AWS::LakeFormation::DataCellsFilter':
      return reach('data cells filter', lakeFormationTargets({ Table: { CatalogId: p.TableCatalogId, DatabaseName: p.DatabaseName, Name: p.TableName } }, place));
    case 'AWS::RAM::ResourceShare':
      return reach('RAM share', stringsIn(p.ResourceArns).flatMap(targetsInString));
    case 'AWS::Glue::Database': {
      const link = obj(obj(p.DatabaseInput).TargetDatabase);
      return str(link.DatabaseName) ? reach('resource link', [target('glue-database', str(link.CatalogId) ?? place.account, str(link.Region) ?? place.region, str(link.DatabaseName)!)]) : [];
    }
    case 'AWS::Glue::Table': {
      const link = obj(obj(p.TableInput).TargetTable);
      return str(link.DatabaseName) && str(link.Name)
        ? reach('resource link', [target('glue-table', str(link.CatalogId) ?? place.account, str(link.Region) ?? place.region, `${str(link.DatabaseName)!}/${str(link.Name)!}`)])
        : [];
    }
    default:
      return [];
  }
}

/** Every deploy-time reach of the assembly, to a target its own stack does not create. */
export function deployTimeReaches(assembly: Assembly): Reach[] {
  const out: Reach[] = [];
  for (const stack of assembly.stacks) {
    const own = new Set(createdBy(stack).map(targetKey));
    for (const [logical, resource] of resourcesOf(stack)) {
      const seen = new Set<string>(); // Create and Update calls name the same target twice
      for (const r of reachesOf(stack, logical, resource)) {
        const key = targetKey(r.target);
        if (own.has(key) || seen.has(key)) continue;
        seen.add(key);
        out.push(r);
      }
    }
  }
  return out;
}

export function sarApplications(assembly: Assembly): SarApplication[] {
  const out: SarApplication[] = [];
  for (const stack of assembly.stacks) {
    for (const [logical, resource] of resourcesOf(stack)) {
      if (resource.Type !== 'AWS::Serverless::Application') continue;
      const location = resolveDeep(resource.Properties?.Location, placeOf(stack));
      const l = obj(location);
      const applicationId = typeof location === 'string' ? location : (str(l.ApplicationId) ?? '');
      out.push({ stack: stack.id, resource: logical, applicationId, semanticVersion: str(l.SemanticVersion), region: stack.region });
    }
  }
  return out;
}

/** Which stacks create each target, by key. */
export function creators(assembly: Assembly): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const stack of assembly.stacks) {
    for (const t of createdBy(stack)) {
      const key = targetKey(t);
      const list = map.get(key) ?? [];
      if (!list.includes(stack.id)) list.push(stack.id);
      map.set(key, list);
    }
  }
  return map;
}

/**
 * Judges one reference from `stack` to `t`: fine when a stack it depends on creates it, or it is
 * declared; otherwise a failure that says who creates it (and that it deploys too late) or that
 * nothing does.
 */
export function judgeReference(
  t: Target,
  from: { readonly stack: string; readonly resource: string; readonly what: string },
  context: { readonly creators: Map<string, string[]>; readonly ancestors: Map<string, Set<string>>; readonly declared: ReadonlySet<string> },
): Finding {
  const made = context.creators.get(targetKey(t)) ?? [];
  const before = context.ancestors.get(from.stack) ?? new Set<string>();
  const subject = `${from.stack}/${from.resource}`;
  const base = { subject, stack: from.stack, resource: from.resource };
  const what = `${subject} ${from.what}`;
  const earlier = made.find((s) => before.has(s));
  if (made.includes(from.stack)) return { ...base, status: 'pass', message: `${what} ${describeTarget(t)}: created in the same stack` };
  if (earlier) return { ...base, status: 'pass', message: `${what} ${describeTarget(t)}: created by ${earlier}, which deploys earlier` };
  const arn = targetArn(t);
  if ((arn && context.declared.has(arn)) || context.declared.has(targetKey(t))) return { ...base, status: 'pass', message: `${what} ${describeTarget(t)}: a declared prerequisite (must exist before the deploy)` };
  if (made.length > 0) {
    return {
      ...base,
      status: 'fail',
      message: `${what} ${describeTarget(t)}, which ${made.join(', ')} creates; but ${made.join(', ')} does not deploy before ${from.stack}, so the deploy of ${from.stack} fails there`,
      fix: `create the ${describeTarget(t)} in a stack that ${from.stack} depends on (deploy it first: ${from.stack}.addStackDependency(<that stack>)), or move ${from.resource} into a stack that deploys after ${made[0]}`,
    };
  }
  return {
    ...base,
    status: 'fail',
    message: `${what} ${describeTarget(t)}, which nothing in the app creates and nothing declares as existing`,
    fix: `create it in a stack that deploys before ${from.stack}, or create it outside the app and declare it as a prerequisite${arn ? ` (${arn})` : ''}`,
  };
}

export function reachCheck(assembly: Assembly, declared: ReadonlySet<string>): CheckResult {
  const context = { creators: creators(assembly), ancestors: ancestors(assembly), declared };
  const findings: Finding[] = deployTimeReaches(assembly).map((r) =>
    judgeReference(r.target, { stack: r.stack, resource: `${r.resource} (${r.type})`, what: `${r.via} reaches` }, context),
  );
  for (const app of sarApplications(assembly)) {
    findings.push({
      status: 'pass',
      subject: `${app.stack}/${app.resource}`,
      stack: app.stack,
      resource: app.resource,
      message: `deploys the Serverless Application Repository application ${app.applicationId}${app.semanticVersion ? ` ${app.semanticVersion}` : ''}: outside the app; the live check serverless-applications confirms it exists in ${app.region}`,
    });
  }
  return checkResult('deploy-time-references', 'what each stack reaches at deploy time exists by then', findings);
}
