/**
 * Synth-time checks of the access model and its grant plan. Each finding is a Diagnostic that points
 * at the mesh config (file, line, column, YAML path) when the mesh.yaml text is given. The rules are
 * the ones Lake Formation documents (it would reject the grant at deploy time, often with an
 * unhelpful CloudFormation error) plus Tessera's own guard for the most sensitive classification.
 */
import { formatYamlPath, sortDiagnostics, type Diagnostic, type Severity, type YamlPath } from '../diagnostics.js';
import type { YamlSource } from '../yaml-source.js';
import { evaluateAccess, type AccessMatrix } from './evaluate.js';
import { CLASSIFICATION_TAG, DOMAIN_TAG, formatExpression, mostSensitiveClass, parsePrincipal, type AccessModel, type Permission } from './model.js';
import { LF_TAG_VALUES_MAX, LF_TAG_VALUES_PER_CALL } from './tag-values.js';
import { checkPlanOrder, type GrantPlan, type PermissionResource, type PermissionStep, type TagStep } from './plan.js';

export interface AccessRule {
  readonly code: string;
  readonly severity: Severity;
  readonly summary: string;
  /** Where the rule comes from. */
  readonly source: string;
}

const PERMISSIONS_REFERENCE = 'AWS Lake Formation Developer Guide, "Lake Formation permissions reference" (lf-permissions-reference.html)';

/** Every rule `validateAccess` applies, for help texts and docs. */
export const ACCESS_RULES: readonly AccessRule[] = [
  { code: 'unknown-tag-key', severity: 'error', summary: 'a grant or tag association names an LF-tag key the catalog does not define', source: 'Lake Formation Developer Guide, "Lake Formation tag-based access control best practices and considerations": all LF-Tags must be predefined before they are assigned or granted' },
  { code: 'unknown-tag-value', severity: 'error', summary: "a grant names a domain the mesh does not declare or a classification outside the ontology (or a plan step a value its catalog's tag lacks)", source: 'same page as unknown-tag-key' },
  { code: 'account-principal', severity: 'error', summary: 'a consumer is an AWS account (12-digit id or arn:aws:iam::<account>:root) where a role was meant', source: 'Tessera rule after aws-samples/aws-data-mesh-utils#26: a grant to an account reaches nobody until that account\'s admin re-grants it' },
  { code: 'invalid-principal', severity: 'error', summary: 'a consumer role is not an IAM role or user ARN', source: 'Lake Formation API reference, DataLakePrincipal' },
  { code: 'invalid-admin', severity: 'error', summary: 'a data lake administrator is not an IAM role or user', source: 'Lake Formation API reference, DataLakeSettings.DataLakeAdmins: "Supported principals are IAM users or IAM roles"' },
  { code: 'invalid-permission', severity: 'error', summary: 'a permission is not valid on the resource type it is granted on', source: PERMISSIONS_REFERENCE },
  { code: 'grant-option-not-subset', severity: 'error', summary: 'a permission is grantable but not granted', source: 'Lake Formation API reference, GrantPermissions.PermissionsWithGrantOption: "may only be a subset of the permissions granted"' },
  { code: 'cross-account-tag-permission', severity: 'error', summary: 'an LF-tag permission other than DESCRIBE or ASSOCIATE is granted to another account', source: 'Lake Formation Developer Guide, "Adding LF-Tag creators": cross-account grants can include only Describe and Associate' },
  { code: 'cross-account-tag-grant-option', severity: 'error', summary: 'an LF-tag permission is granted to another account without the grant option', source: 'Lake Formation Developer Guide, "Managing LF-Tag value permissions": when granting to an external account, you must include the grant option' },
  { code: 'tag-expression-size', severity: 'error', summary: 'an LF-tag expression has no condition or more than 5, or a condition with no value or more than 50', source: 'CloudFormation AWS::LakeFormation::PrincipalPermissions LFTagPolicyResource (Expression 1..5) and Lake Formation API LFTag (TagValues 1..50)' },
  { code: 'tag-values-limit', severity: 'error', summary: 'an LF-tag has no value, or more than 1000 (the mesh has more than 1000 domains or classifications); more than 50 are created in batches of 50', source: 'Lake Formation API reference, LFTag.TagValues: at most 1000 values per tag, 50 per API call; "AWS Lake Formation endpoints and quotas" (1000 values per LF-tag)' },
  { code: 'multiple-values-per-key', severity: 'error', summary: 'a tag association assigns a key more than one value', source: 'Lake Formation Developer Guide, "tag-based access control best practices and considerations": only one value for a particular key can be assigned to a resource' },
  { code: 'restricted-wildcard', severity: 'error', summary: 'a grant with domains ["*"] gives the most sensitive classification', source: 'Tessera rule: the most sensitive class is granted only by naming both the class and the domain' },
  { code: 'restricted-exposure', severity: 'error', summary: 'a column of the most sensitive class is readable through grants that do not name both that class and its domain', source: 'Tessera rule (as restricted-wildcard, for grants not written in mesh.yaml)' },
  { code: 'shared-principal', severity: 'warning', summary: 'two consumers name the same role, so each gets the other\'s access', source: 'Lake Formation grants to the principal (DataLakePrincipalIdentifier), not to a Tessera consumer' },
  { code: 'associate-describe-together', severity: 'warning', summary: 'ASSOCIATE and DESCRIBE on an LF-tag in one CloudFormation resource', source: 'aws-cloudformation/cloudformation-coverage-roadmap#1381 (InternalFailure on PrincipalPermissions with both)' },
  { code: 'cannot-cascade', severity: 'error', summary: "the governance account re-grants in a domain's catalog what it was not shared, or an expression it may not cascade (neither the identical shared expression with the grant option, nor DESCRIBE on every tag value it names)", source: 'Lake Formation Developer Guide, "Permission cascading rules" (Rule 1: identical tag policy with grantable permissions; Rule 2: DESCRIBE on all tag-value pairs of the policy)' },
  { code: 'plan-order', severity: 'error', summary: 'the grant plan is not in a safe order (a bug in Tessera)', source: 'Tessera: admins, locations, tags, associations, permissions' },
];

/** Valid permissions per resource type, from the Lake Formation permissions reference. */
const VALID_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  catalog: ['ALL', 'ALTER', 'CREATE_DATABASE', 'DESCRIBE', 'DROP'],
  database: ['ALL', 'ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP'],
  table: ['ALL', 'ALTER', 'DELETE', 'DESCRIBE', 'DROP', 'INSERT', 'SELECT'],
  // "Table with column filter"
  columns: ['SELECT'],
  'data-location': ['DATA_LOCATION_ACCESS'],
  // "LF-Tags" (the key) and "LF-Tag values"
  'lf-tag': ['ALTER', 'DROP', 'ASSOCIATE', 'DESCRIBE', 'GRANT_WITH_LF_TAG_EXPRESSION'],
  'lf-tag-policy:DATABASE': ['ALL', 'ALTER', 'CREATE_TABLE', 'DESCRIBE', 'DROP'],
  'lf-tag-policy:TABLE': ['ALL', 'ALTER', 'DESCRIBE', 'DELETE', 'DROP', 'INSERT', 'SELECT'],
};

const EXPRESSION_MAX_CONDITIONS = 5;

export interface ValidateOptions {
  /** The mesh config as parsed with positions; without it findings carry paths only. */
  readonly source?: YamlSource;
  /** The file findings name when there is no source. */
  readonly file?: string;
  /** Reuse an evaluated matrix. */
  readonly matrix?: AccessMatrix;
}

export function validateAccess(model: AccessModel, plan: GrantPlan, options: ValidateOptions = {}): Diagnostic[] {
  const findings: Diagnostic[] = [];
  const seen = new Set<string>();
  const report = (severity: Severity, path: YamlPath, code: string, message: string, fix: string): void => {
    const key = `${code}|${formatYamlPath(path)}|${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(
      options.source
        ? options.source.diagnostic(path, { severity, code, message, fix })
        : { severity, code, file: options.file ?? 'mesh.yaml', path: formatYamlPath(path), message, fix },
    );
  };

  checkPrincipals(model, report);
  checkGrantValues(model, report);
  checkMostSensitive(model, options.matrix ?? evaluateAccess(model), report);
  checkPlan(model, plan, report);
  const order = checkPlanOrder(plan);
  if (order.length > 0) {
    const more = order.length > 1 ? ` (and ${order.length - 1} more problems)` : '';
    report('error', [], 'plan-order', `the grant plan is not in a safe order: step '${order[0]!.step}' ${order[0]!.message}${more}`, 'this is a bug in Tessera; please report it with your mesh.yaml');
  }
  return sortDiagnostics(findings);
}

type Report = (severity: Severity, path: YamlPath, code: string, message: string, fix: string) => void;

function checkPrincipals(model: AccessModel, report: Report): void {
  const byArn = new Map<string, string>();
  for (const p of model.principals) {
    const path = [...p.origin, 'role'];
    if (p.kind === 'account') {
      report(
        'error',
        path,
        'account-principal',
        `consumer '${p.name}' is the whole account ${p.account ?? p.arn}, not a role: Lake Formation would share with the account, and nobody in it could query until its own data lake admin re-grants every table`,
        `name the role that queries, e.g. arn:aws:iam::${p.account ?? '<account>'}:role/<RoleName>`,
      );
    } else if (p.kind === 'invalid') {
      report('error', path, 'invalid-principal', `consumer '${p.name}' has role '${p.arn}', which is not an IAM role ARN`, 'write the role ARN, e.g. arn:aws:iam::111111111111:role/Analyst');
    }
    const other = byArn.get(p.arn);
    if (other !== undefined) {
      report('warning', path, 'shared-principal', `consumers '${other}' and '${p.name}' use the same role ${p.arn}; Lake Formation grants to the role, so both get the access of both`, 'give each consumer its own role, or merge the two consumers');
    } else {
      byArn.set(p.arn, p.name);
    }
  }
  for (const [i, admin] of model.admins.entries()) {
    const kind = parsePrincipal(admin).kind;
    if (kind !== 'role' && kind !== 'user') {
      report('error', ['governance', 'admins', i], 'invalid-admin', `data lake administrator '${admin}' is ${kind === 'account' ? 'an account' : 'not an IAM principal'}; Lake Formation accepts only IAM users and roles as administrators`, 'name an IAM role of the governance account');
    }
  }
}

function checkGrantValues(model: AccessModel, report: Report): void {
  const domains = model.domains.map((d) => d.name);
  for (const grant of model.grants) {
    for (const [k, domain] of grant.declared.domains.entries()) {
      if (domain !== '*' && !domains.includes(domain)) {
        report('error', [...grant.origin, 'domains', k], 'unknown-tag-value', `grant ${grant.id} names domain '${domain}', which is not a value of the LF-tag '${DOMAIN_TAG}' (the mesh's domains)`, `use one of: ${domains.join(', ')}, or * for all`);
      }
    }
    for (const [k, value] of grant.declared.classifications.entries()) {
      if (!model.classifications.includes(value)) {
        report('error', [...grant.origin, 'classifications', k], 'unknown-tag-value', `grant ${grant.id} names classification '${value}', which is not a value of the LF-tag '${CLASSIFICATION_TAG}' (the mesh's ontology)`, `use one of: ${model.classifications.join(', ')}`);
      }
    }
  }
}

function checkMostSensitive(model: AccessModel, matrix: AccessMatrix, report: Report): void {
  const top = mostSensitiveClass(model);
  if (top === undefined) return;
  const reported = new Set<string>();
  for (const grant of model.grants) {
    const star = grant.declared.domains.indexOf('*');
    if (star < 0 || !grant.declared.classifications.includes(top)) continue;
    reported.add(grant.id);
    const exposed = matrix.principals
      .filter((p) => p.principal.name === grant.principal)
      .flatMap((p) => p.tables.flatMap((t) => t.columns.filter((c) => c.classification === top && c.allowedBy.includes(grant.id)).map((c) => c.id)));
    const what = exposed.length > 0 ? `it exposes ${listSome(exposed)}` : `it would expose every '${top}' column any domain adds later`;
    report(
      'error',
      [...grant.origin, 'domains', star],
      'restricted-wildcard',
      `grant ${grant.id} gives '${top}', the most sensitive classification, on every domain (*): ${what}`,
      `grant '${top}' in a separate grant that names its domains, e.g. { domains: [customer], classifications: [${top}] }`,
    );
  }
  for (const access of matrix.principals) {
    const explicit = (domain: string): boolean =>
      access.grants.some((g) => g.declared.domains.includes(domain) && g.declared.classifications.includes(top));
    const exposed = access.tables.flatMap((t) =>
      t.columns.filter((c) => c.readable && c.classification === top && !explicit(t.domain) && !c.allowedBy.every((id) => reported.has(id))).map((c) => c.id),
    );
    if (exposed.length > 0) {
      report(
        'error',
        access.principal.origin,
        'restricted-exposure',
        `consumer '${access.principal.name}' can read '${top}' columns without a grant that names both '${top}' and their domain: ${listSome(exposed)}`,
        `grant '${top}' only in a grant that names the domain explicitly`,
      );
    }
  }
}

function checkPlan(model: AccessModel, plan: GrantPlan, report: Report): void {
  const tags = new Map<string, TagStep>();
  for (const step of plan.steps) if (step.kind === 'tag') tags.set(`${step.account}/${step.key}`, step);

  const checkCondition = (catalog: string, key: string, values: readonly string[], path: YamlPath, what: string): void => {
    const tag = tags.get(`${catalog}/${key}`);
    if (!tag) {
      const keys = [...tags.values()].filter((t) => t.account === catalog).map((t) => t.key);
      report('error', path, 'unknown-tag-key', `${what} uses LF-tag '${key}', which catalog ${catalog} does not define`, `use one of: ${keys.join(', ') || '(no tags are defined there)'}`);
      return;
    }
    const unknown = values.filter((v) => !tag.values.includes(v));
    if (unknown.length > 0) {
      report('error', path, 'unknown-tag-value', `${what} uses ${unknown.map((v) => `'${v}'`).join(', ')} for LF-tag '${key}', which catalog ${catalog} does not define`, `use one of: ${tag.values.join(', ')}`);
    }
  };

  // What each account received from each catalog, indexed once: the cascade check looks it up for every permission step.
  const received = new Map<string, PermissionStep[]>();
  for (const step of plan.steps) {
    if (step.kind !== 'permission') continue;
    const key = receivedKey(step.principal, step.resource.catalog);
    const list = received.get(key);
    if (list) list.push(step);
    else received.set(key, [step]);
  }

  for (const step of plan.steps) {
    const path = step.origin ?? [];
    switch (step.kind) {
      case 'admins':
        for (const [i, admin] of step.admins.entries()) {
          const kind = parsePrincipal(admin).kind;
          if (kind !== 'role' && kind !== 'user' && !model.admins.includes(admin)) {
            report('error', step.adminOrigins?.[i] ?? path, 'invalid-admin', `data lake administrator '${admin}' (step ${step.id}) is not an IAM role or user`, 'name an IAM role');
          }
        }
        break;
      case 'tag':
        // More than 50 values are created in batches (constructs/lake-formation.ts); 1,000 is the tag's quota.
        if (step.values.length === 0 || step.values.length > LF_TAG_VALUES_MAX) {
          const why = step.values.length === 0 ? 'has no value' : `has ${step.values.length} values; Lake Formation holds at most ${LF_TAG_VALUES_MAX} values per tag (a soft quota: "AWS Lake Formation endpoints and quotas")`;
          report('error', path, 'tag-values-limit', `LF-tag '${step.key}' in account ${step.account} ${why}`, step.key === DOMAIN_TAG ? `keep the mesh at ${LF_TAG_VALUES_MAX} domains or fewer, or split it into several meshes` : `keep the ontology at ${LF_TAG_VALUES_MAX} values or fewer`);
        }
        break;
      case 'tag-association':
        for (const t of step.tags) {
          if (t.values.length !== 1) {
            report('error', path, 'multiple-values-per-key', `step ${step.id} assigns ${t.values.length} values (${t.values.join(', ')}) of LF-tag '${t.key}' to one resource; Lake Formation allows exactly one`, 'assign one value per key');
          }
          checkCondition(step.resource.catalog, t.key, t.values, path, `tag association ${step.id}`);
        }
        break;
      case 'permission':
        checkPermission(model, step, path, report, checkCondition);
        checkCascade(step, received.get(receivedKey(step.account, step.resource.catalog)) ?? [], path, report);
        break;
      case 'location':
        break;
    }
  }
}

function checkPermission(model: AccessModel, step: PermissionStep, path: YamlPath, report: Report, checkCondition: (catalog: string, key: string, values: readonly string[], path: YamlPath, what: string) => void): void {
  const resource = step.resource;
  const type = resourceType(resource);
  const valid = VALID_PERMISSIONS[type] ?? [];
  const invalid = step.permissions.filter((p) => !valid.includes(p));
  if (invalid.length > 0) {
    report('error', path, 'invalid-permission', `step ${step.id} grants ${invalid.join(', ')} on ${describeResource(resource)}, where Lake Formation accepts only ${valid.join(', ')}`, `grant ${valid.join(', ')} only; see ${PERMISSIONS_REFERENCE}`);
  }
  const notGranted = step.grantable.filter((p) => !step.permissions.includes(p));
  if (notGranted.length > 0) {
    report('error', path, 'grant-option-not-subset', `step ${step.id} makes ${notGranted.join(', ')} grantable without granting ${notGranted.length === 1 ? 'it' : 'them'}`, `add ${notGranted.join(', ')} to the permissions, or drop the grant option`);
  }
  const principal = parsePrincipal(step.principal);
  // A consumer of the mesh config is reported once, at its role (checkPrincipals).
  if (step.purpose === 'consumer' && principal.kind === 'account' && !model.principals.some((p) => p.arn === step.principal)) {
    report('error', step.principalOrigin ?? path, 'account-principal', `step ${step.id} grants to the whole account ${step.principal}, not to a role`, 'grant to the role that queries');
  }
  const external = principal.account !== undefined && principal.account !== resource.catalog;
  if (resource.type === 'lf-tag') {
    checkCondition(resource.catalog, resource.key, resource.values, path, `step ${step.id}`);
    if (external) {
      const notAllowed = step.permissions.filter((p) => p !== 'DESCRIBE' && p !== 'ASSOCIATE');
      if (notAllowed.length > 0) {
        report('error', path, 'cross-account-tag-permission', `step ${step.id} grants ${notAllowed.join(', ')} on LF-tag '${resource.key}' to account ${principal.account ?? ''}; another account can be granted only DESCRIBE and ASSOCIATE on a tag`, 'grant DESCRIBE (and ASSOCIATE if the account tags shared resources)');
      }
      const withoutOption = step.permissions.filter((p) => !step.grantable.includes(p));
      if (principal.kind === 'account' && withoutOption.length > 0) {
        report('error', path, 'cross-account-tag-grant-option', `step ${step.id} grants ${withoutOption.join(', ')} on LF-tag '${resource.key}' to account ${step.principal} without the grant option, which Lake Formation requires for another account`, 'make the permissions grantable');
      }
    }
    if (step.permissions.includes('ASSOCIATE') && step.permissions.includes('DESCRIBE')) {
      report('warning', path, 'associate-describe-together', `step ${step.id} grants ASSOCIATE and DESCRIBE on LF-tag '${resource.key}' in one resource, which CloudFormation has failed with InternalFailure`, 'split it into one step per permission');
    }
  }
  if (resource.type === 'lf-tag-policy') {
    const e = resource.expression;
    if (e.length === 0 || e.length > EXPRESSION_MAX_CONDITIONS || e.some((c) => c.values.length === 0 || c.values.length > LF_TAG_VALUES_PER_CALL)) {
      report('error', path, 'tag-expression-size', `step ${step.id} has the expression ${formatExpression(e) || '(empty)'}; Lake Formation takes 1 to ${EXPRESSION_MAX_CONDITIONS} conditions of 1 to ${LF_TAG_VALUES_PER_CALL} values each`, 'split the grant');
    }
    for (const c of e) checkCondition(resource.catalog, c.key, c.values, path, `step ${step.id}`);
  }
}

const receivedKey = (principal: string, catalog: string): string => `${principal}\n${catalog}`;

/**
 * A grant made in another account's catalog re-grants what that account shared (cascading): the
 * grantor must hold the permissions on a shared expression at least as broad, and may cascade only
 * the identical expression with the grant option (rule 1) or an expression whose every tag value it
 * may DESCRIBE (rule 2). `received`: the permission steps granted to the step's account on its
 * resource's catalog, in plan order.
 */
function checkCascade(step: PermissionStep, received: readonly PermissionStep[], path: YamlPath, report: Report): void {
  const resource = step.resource;
  if (resource.type !== 'lf-tag-policy' || resource.catalog === step.account) return;
  const policies = received.flatMap((s) => (s.resource.type === 'lf-tag-policy' && s.resource.resourceType === resource.resourceType ? [{ step: s, expression: s.resource.expression }] : []));
  const covered = policies.some((p) => step.permissions.every((perm) => p.step.permissions.includes(perm)) && narrower(resource.expression, p.expression));
  if (!covered) {
    report('error', path, 'cannot-cascade', `step ${step.id} grants ${step.permissions.join(', ')} on ${describeResource(resource)} in catalog ${resource.catalog}, which did not share that much with account ${step.account}`, `share ${step.permissions.join(', ')} on a tag expression covering it from account ${resource.catalog} first`);
    return;
  }
  const rule1 = policies.some((p) => sameExpression(p.expression, resource.expression) && step.permissions.every((perm) => p.step.grantable.includes(perm)));
  // DESCRIBE on a tag's values may come in several steps (a share of more than 50 values is split).
  const rule2 = resource.expression.every((c) =>
    c.values.every((v) => received.some((s) => s.resource.type === 'lf-tag' && s.resource.key === c.key && s.permissions.includes('DESCRIBE') && s.resource.values.includes(v))),
  );
  if (!rule1 && !rule2) {
    report('error', path, 'cannot-cascade', `step ${step.id} re-grants ${formatExpression(resource.expression)} from catalog ${resource.catalog}, but account ${step.account} holds neither that exact expression with the grant option nor DESCRIBE on every tag value in it`, `share DESCRIBE on the LF-tags ${resource.expression.map((c) => c.key).join(', ')} (all values) with account ${step.account}`);
  }
}

/** True when every resource matching `inner` also matches `outer`. */
function narrower(inner: readonly { key: string; values: readonly string[] }[], outer: readonly { key: string; values: readonly string[] }[]): boolean {
  return outer.every((o) => inner.some((i) => i.key === o.key && i.values.every((v) => o.values.includes(v))));
}

function sameExpression(a: readonly { key: string; values: readonly string[] }[], b: readonly { key: string; values: readonly string[] }[]): boolean {
  return narrower(a, b) && narrower(b, a);
}

function resourceType(resource: PermissionResource): string {
  return resource.type === 'lf-tag-policy' ? `lf-tag-policy:${resource.resourceType}` : resource.type;
}

function describeResource(resource: PermissionResource): string {
  switch (resource.type) {
    case 'lf-tag-policy':
      return `${resource.resourceType.toLowerCase()}s matching ${formatExpression(resource.expression)}`;
    case 'lf-tag':
      return `LF-tag '${resource.key}'`;
    case 'columns':
      return `columns of table ${resource.database}.${resource.table}`;
    case 'table':
      return `table ${resource.database}.${resource.table}`;
    case 'database':
      return `database ${resource.database}`;
    case 'data-location':
      return `data location ${resource.location}`;
    case 'catalog':
      return `catalog ${resource.catalog}`;
  }
}

function listSome(ids: readonly string[], max = 5): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}
