/**
 * Data is never deleted by accident: resources that hold data are RETAINed unless the app is synthesized
 * with the context flag below set to true. This is the one place that decides.
 */
import { Annotations, RemovalPolicy } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export const REMOVE_DATA_ON_DESTROY = '@tessera/removeDataOnDestroy';

/**
 * The removal policy for a resource that holds data. `requested` DESTROY is honoured only when the
 * context flag is true; otherwise it is reverted to RETAIN with a warning on `scope`.
 */
export function dataRemovalPolicy(scope: IConstruct, requested?: RemovalPolicy): RemovalPolicy {
  const flag = scope.node.tryGetContext(REMOVE_DATA_ON_DESTROY) as unknown;
  const allowed = flag === true || flag === 'true';
  if (requested === RemovalPolicy.DESTROY && !allowed) {
    Annotations.of(scope).addWarningV2(
      '@tessera/removal:reverted',
      `removalPolicy DESTROY was reverted to RETAIN: set the context flag ${REMOVE_DATA_ON_DESTROY}=true to allow deleting data`,
    );
    return RemovalPolicy.RETAIN;
  }
  if (requested === undefined) return allowed ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  return requested;
}
