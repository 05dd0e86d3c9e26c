/**
 * A cloud assembly (cdk.out) as plain data: its stacks with their environment, dependencies and
 * templates. Pure: the caller reads manifest.json and the templates (from disk or from an
 * in-process synth) and hands them over; nothing here touches the file system or AWS.
 */

/** One CloudFormation resource as a template holds it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DependsOn?: string | readonly string[];
}

export interface Template {
  readonly Resources?: Record<string, TemplateResource>;
  readonly [key: string]: unknown;
}

export interface AssemblyStack {
  /** The artifact id, which `cdk deploy` prints and orders by. */
  readonly id: string;
  /** The CloudFormation stack name (the artifact id unless `stackName` overrides it). */
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Ids of the stacks this one depends on (asset manifests and other artifacts left out). */
  readonly dependencies: readonly string[];
  readonly template: Template;
  /** The bootstrap stack version its deployment needs (`requiresBootstrapStackVersion`). */
  readonly requiresBootstrapStackVersion?: number;
  /** The role CloudFormation deploys with (the bootstrap's cfn-exec role), placeholders resolved. */
  readonly executionRoleArn?: string;
  /** The role the CDK CLI assumes to deploy (the bootstrap's deploy role), placeholders resolved. */
  readonly deployRoleArn?: string;
}

export interface Assembly {
  /** In manifest order. */
  readonly stacks: readonly AssemblyStack[];
}

interface ManifestArtifact {
  readonly type?: string;
  readonly environment?: string;
  readonly dependencies?: readonly string[];
  readonly properties?: {
    readonly templateFile?: string;
    readonly stackName?: string;
    readonly requiresBootstrapStackVersion?: number;
    readonly cloudFormationExecutionRoleArn?: string;
    readonly assumeRoleArn?: string;
  };
}

/** Thrown when the manifest is not one `cdk deploy` could use; the message says what and where. */
export class AssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssemblyError';
  }
}

const ENVIRONMENT = /^aws:\/\/(\d{12})\/([a-z0-9-]+)$/;

/**
 * Reads a manifest (manifest.json, parsed) and the templates it names. A stack's dependencies on
 * asset manifests are dropped, but a dependency reached through one is kept (cdk orders by the
 * whole artifact graph).
 */
export function assemblyFrom(manifest: unknown, readTemplate: (file: string) => Template): Assembly {
  const artifacts = (manifest as { artifacts?: Record<string, ManifestArtifact> } | null)?.artifacts;
  if (typeof artifacts !== 'object' || artifacts === null) throw new AssemblyError('manifest.json has no "artifacts": is this a cdk.out folder?');
  const isStack = (id: string) => artifacts[id]?.type === 'aws:cloudformation:stack';
  const stackDependencies = (id: string, seen = new Set<string>()): string[] => {
    const out: string[] = [];
    for (const dep of artifacts[id]?.dependencies ?? []) {
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (isStack(dep)) out.push(dep);
      else out.push(...stackDependencies(dep, seen));
    }
    return out;
  };
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries(artifacts)) {
    if (!isStack(id)) continue;
    const env = ENVIRONMENT.exec(artifact.environment ?? '');
    if (!env) {
      throw new AssemblyError(
        `stack ${id} has environment '${artifact.environment ?? ''}', not aws://<account>/<region>: give every stack an explicit account and region (env) so the checks know where it deploys`,
      );
    }
    const [, account, region] = env as unknown as [string, string, string];
    const file = artifact.properties?.templateFile;
    if (!file) throw new AssemblyError(`stack ${id} names no templateFile in manifest.json`);
    const place = (arn: string | undefined) => arn?.replaceAll('${AWS::Partition}', partitionOf(region)).replaceAll('${AWS::AccountId}', account).replaceAll('${AWS::Region}', region);
    stacks.push({
      id,
      stackName: artifact.properties?.stackName ?? id,
      account,
      region,
      dependencies: stackDependencies(id),
      template: readTemplate(file),
      requiresBootstrapStackVersion: artifact.properties?.requiresBootstrapStackVersion,
      executionRoleArn: place(artifact.properties?.cloudFormationExecutionRoleArn),
      deployRoleArn: place(artifact.properties?.assumeRoleArn),
    });
  }
  if (stacks.length === 0) throw new AssemblyError('the assembly holds no CloudFormation stacks');
  return { stacks };
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function resourcesOf(stack: AssemblyStack): [string, TemplateResource][] {
  return Object.entries(stack.template.Resources ?? {});
}
