/**
 * Named things one stack may reach in another: what each stack creates by name, and how to read
 * an ARN into the same shape, so a reference and its creator meet on one key.
 */
import { partitionOf, resourcesOf, type AssemblyStack } from './assembly.js';
import { hasMarker, placeOf, resolveDeep, resolveString } from './resolve.js';

export type TargetKind =
  | 'event-bus'
  | 'sqs-queue'
  | 'sns-topic'
  | 'lambda-function'
  | 'glue-database'
  | 'glue-table'
  | 'lf-tag'
  | 'iam-role'
  | 'iam-user'
  | 'kms-alias';

export interface Target {
  readonly kind: TargetKind;
  readonly account: string;
  /** Empty for global kinds (IAM). */
  readonly region: string;
  /** For a table `database/table`; for a role its path and name (`service-role/Name`). */
  readonly name: string;
}

const GLOBAL: ReadonlySet<TargetKind> = new Set(['iam-role', 'iam-user']);
// Glue folds database and table names to lower case; everything else is case-sensitive.
const CASE_FOLDED: ReadonlySet<TargetKind> = new Set(['glue-database', 'glue-table']);

export function target(kind: TargetKind, account: string, region: string, name: string): Target {
  return { kind, account, region: GLOBAL.has(kind) ? '' : region, name: CASE_FOLDED.has(kind) ? name.toLowerCase() : name };
}

export function targetKey(t: Target): string {
  return `${t.kind}|${t.account}|${t.region}|${t.name}`;
}

const LABEL: Record<TargetKind, string> = {
  'event-bus': 'event bus',
  'sqs-queue': 'SQS queue',
  'sns-topic': 'SNS topic',
  'lambda-function': 'Lambda function',
  'glue-database': 'Glue database',
  'glue-table': 'Glue table',
  'lf-tag': 'LF-tag',
  'iam-role': 'IAM role',
  'iam-user': 'IAM user',
  'kms-alias': 'KMS alias',
};

export function describeTarget(t: Target): string {
  const where = t.region ? `${t.account}/${t.region}` : t.account;
  return `${LABEL[t.kind]} ${t.name} in ${where}`;
}

/** The ARN a user would declare the target as (LF-tags have none). */
export function targetArn(t: Target): string | undefined {
  const p = partitionOf(t.region || 'us-east-1');
  switch (t.kind) {
    case 'event-bus':
      return `arn:${p}:events:${t.region}:${t.account}:event-bus/${t.name}`;
    case 'sqs-queue':
      return `arn:${p}:sqs:${t.region}:${t.account}:${t.name}`;
    case 'sns-topic':
      return `arn:${p}:sns:${t.region}:${t.account}:${t.name}`;
    case 'lambda-function':
      return `arn:${p}:lambda:${t.region}:${t.account}:function:${t.name}`;
    case 'glue-database':
      return `arn:${p}:glue:${t.region}:${t.account}:database/${t.name}`;
    case 'glue-table':
      return `arn:${p}:glue:${t.region}:${t.account}:table/${t.name}`;
    case 'iam-role':
      return `arn:${p}:iam::${t.account}:role/${t.name}`;
    case 'iam-user':
      return `arn:${p}:iam::${t.account}:user/${t.name}`;
    case 'kms-alias':
      return `arn:${p}:kms:${t.region}:${t.account}:${t.name}`;
    case 'lf-tag':
      return undefined;
  }
}

const NAME = '[A-Za-z0-9_.+=,@-]+';
const ARN_PATTERNS: readonly [RegExp, TargetKind][] = [
  [new RegExp(`arn:aws[a-z-]*:events:([a-z0-9-]+):(\\d{12}):event-bus/(${NAME})`, 'g'), 'event-bus'],
  [new RegExp(`arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\\d{12}):(${NAME})`, 'g'), 'sqs-queue'],
  [new RegExp(`arn:aws[a-z-]*:sns:([a-z0-9-]+):(\\d{12}):(${NAME})`, 'g'), 'sns-topic'],
  [new RegExp(`arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\\d{12}):function:(${NAME})`, 'g'), 'lambda-function'],
  [new RegExp(`arn:aws[a-z-]*:glue:([a-z0-9-]+):(\\d{12}):database/(${NAME})`, 'g'), 'glue-database'],
  [new RegExp(`arn:aws[a-z-]*:glue:([a-z0-9-]+):(\\d{12}):table/(${NAME}/${NAME})`, 'g'), 'glue-table'],
  [new RegExp(`arn:aws[a-z-]*:kms:([a-z0-9-]+):(\\d{12}):(alias/${NAME})`, 'g'), 'kms-alias'],
];
// A path is `/`-separated; a wildcard (`*`) makes it a pattern, not a principal.
const IAM_ARN = /arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/([A-Za-z0-9_.+=,@/*-]+)/g;

/** The named targets an ARN-bearing string mentions (event buses, queues, functions, Glue ...). */
export function targetsInString(text: string): Target[] {
  const out: Target[] = [];
  for (const [pattern, kind] of ARN_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const [, region, account, name] = m as unknown as [string, string, string, string];
      out.push(target(kind, account, region, name));
    }
  }
  return out;
}

/** IAM principals (roles, users) an ARN-bearing string names; patterns with `*` are left out. */
export function principalsInString(text: string): Target[] {
  const out: Target[] = [];
  for (const m of text.matchAll(IAM_ARN)) {
    const [, account, type, name] = m as unknown as [string, string, 'role' | 'user', string];
    if (name.includes('*')) continue;
    out.push(target(type === 'role' ? 'iam-role' : 'iam-user', account, '', name.replace(/\/+$/, '')));
  }
  return out;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** What one stack creates under a name known before deployment (names with tokens are left out). */
export function createdBy(stack: AssemblyStack): Target[] {
  const place = placeOf(stack);
  const out: Target[] = [];
  const add = (kind: TargetKind, name: unknown, account: unknown = place.account) => {
    if (name === undefined) return;
    const n = resolveString(name, place);
    const a = resolveString(account, place);
    if (!hasMarker(n) && !hasMarker(a)) out.push(target(kind, a, place.region, n));
  };
  for (const [, resource] of resourcesOf(stack)) {
    const p = record(resolveDeep(resource.Properties ?? {}, place));
    const text = (v: unknown) => resolveString(v, place);
    switch (resource.Type) {
      case 'AWS::Events::EventBus':
        add('event-bus', p.Name);
        break;
      case 'AWS::SQS::Queue':
        add('sqs-queue', p.QueueName);
        break;
      case 'AWS::SNS::Topic':
        add('sns-topic', p.TopicName);
        break;
      case 'AWS::Lambda::Function':
        add('lambda-function', p.FunctionName);
        break;
      case 'AWS::Glue::Database':
        add('glue-database', record(p.DatabaseInput).Name, p.CatalogId ?? place.account);
        break;
      case 'AWS::Glue::Table':
        if (record(p.TableInput).Name !== undefined && p.DatabaseName !== undefined) add('glue-table', `${text(p.DatabaseName)}/${text(record(p.TableInput).Name)}`, p.CatalogId ?? place.account);
        break;
      case 'AWS::LakeFormation::Tag':
        add('lf-tag', p.TagKey, p.CatalogId ?? place.account);
        break;
      case 'AWS::IAM::Role':
        if (p.RoleName !== undefined) add('iam-role', `${text(p.Path ?? '/').replace(/^\//, '')}${text(p.RoleName)}`);
        break;
      case 'AWS::IAM::User':
        if (p.UserName !== undefined) add('iam-user', `${text(p.Path ?? '/').replace(/^\//, '')}${text(p.UserName)}`);
        break;
      case 'AWS::KMS::Alias':
        add('kms-alias', p.AliasName);
        break;
      default:
        break;
    }
  }
  return out;
}
