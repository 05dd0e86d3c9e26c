/**
 * The rule that keeps a domain stack inside CloudFormation's 500 resources per stack ("AWS
 * CloudFormation quotas", User Guide,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html).
 *
 * A domain stack holds about 48 resources of its own and about 17 per product, so it passed 500 at
 * about 28 products. The rule: the domain's products in config order, in groups of
 * `productsPerStack`. Group 1 stays in the domain stack itself, so a domain of up to
 * `productsPerStack` products has the template it always had; group n > 1 is the nested stack
 * `Products<n>` of the domain stack (AWS::CloudFormation::Stack), holding its products and their
 * quality schedules, alarms and dashboards. A product keeps its construct id wherever it is, and
 * appending products never moves the earlier ones, so a domain of 20 products that grows to 21 keeps
 * products 1 to 20 where they were. Changing `productsPerStack`, or removing a product from the
 * middle of the list, moves later products to another stack, which a deploy cannot do as it is:
 * CloudFormation creates the moved product in the new stack before deleting it from the old, and
 * its Glue table's name is still taken there (docs/scale.md). Products are appended.
 *
 * A group's grants to the domain stack's roles (producer, data access, quality) go into managed
 * policies of the group (constructs/core/role-grants.ts), and its Lake Formation grants wait for the
 * domain stack's last grant and for the group before it (`serializeLakeFormationGrants`).
 */
import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Products per stack unless the mesh app says otherwise: 20 × ~17 resources beside the domain's own. */
export const PRODUCTS_PER_STACK = 20;

/** `items` in groups of `perStack`, in order: group 1 (index 0) is the domain stack's. */
export function productGroups<T>(items: readonly T[], perStack = PRODUCTS_PER_STACK): T[][] {
  if (!Number.isInteger(perStack) || perStack < 1) throw new Error(`productsPerStack must be a whole number of at least 1, not ${perStack}`);
  const groups: T[][] = [];
  items.forEach((item, i) => (groups[Math.floor(i / perStack)] ??= []).push(item));
  return groups.length > 0 ? groups : [[]];
}

/** The construct id of product group `n` (1-based; group 1 is the domain stack itself). */
export function productGroupId(n: number): string {
  return `Products${n}`;
}

export interface ProductGroupStackProps extends NestedStackProps {
  readonly domain: string;
  /** The group's number, 2 or more. */
  readonly group: number;
}

/** Product group `group` (2, 3, ...) of a domain: a nested stack of the domain stack. */
export class ProductGroupStack extends NestedStack {
  readonly group: number;

  constructor(scope: Construct, props: ProductGroupStackProps) {
    if (props.group < 2) throw new Error(`ProductGroupStack: group ${props.group} is the domain stack itself; nested groups start at 2`);
    super(scope, productGroupId(props.group), { description: `Tessera domain ${props.domain}: data products, group ${props.group}`, ...props });
    this.group = props.group;
  }
}
