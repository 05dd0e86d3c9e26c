/**
 * `MeshViews`: the mesh's cross-product views as Athena views in one central Glue database of the
 * governance account (`<mesh>_views`). Each view is a VIRTUAL_VIEW table whose definition and column
 * types come from `lib/views` (checked against the contracts and the grant graph when the mesh
 * loads). Its audience gets DESCRIBE on the database and SELECT on the view; Athena still checks
 * each querying principal's permissions on the underlying product tables, so a view never reaches
 * data its reader could not read directly.
 */
import { Aws, type CfnResource } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct } from 'constructs';
import type { MeshConsumer } from '../lib/mesh/config.js';
import { viewTableInput } from '../lib/views/athena-view.js';
import { viewsDatabaseName } from '../lib/views/check.js';
import type { DescribedView } from '../lib/views/describe.js';
import { constructIdFor } from './core/ids.js';

export interface MeshViewsProps {
  readonly mesh: string;
  /** The mesh's views, as `loadMeshFile` checked and described them. */
  readonly views: readonly DescribedView[];
  readonly consumers: readonly MeshConsumer[];
  /**
   * Resources the views and their grants must wait for (Lake Formation settings, resource links).
   * @default - none
   */
  readonly dependsOn?: readonly CfnResource[];
  /**
   * Further consumers to grant DESCRIBE on the views database: the audience of views a governance
   * group stack holds (constructs/governance-group-stack.ts).
   * @default - none
   */
  readonly describers?: readonly string[];
  /**
   * Views of a governance group stack: they go into the views database the governance stack
   * creates (and grants DESCRIBE on); neither is made here.
   * @default false
   */
  readonly inExistingDatabase?: boolean;
}

export class MeshViews extends Construct {
  /** The views database, unless `inExistingDatabase`. */
  readonly database?: glue.CfnDatabase;
  /** View tables by view name. */
  readonly views: ReadonlyMap<string, glue.CfnTable>;

  constructor(scope: Construct, id: string, props: MeshViewsProps) {
    super(scope, id);
    const databaseName = viewsDatabaseName(props.mesh);
    const database = props.inExistingDatabase
      ? undefined
      : new glue.CfnDatabase(this, 'Database', {
          catalogId: Aws.ACCOUNT_ID,
          databaseInput: { name: databaseName, description: `Cross-product views of data mesh ${props.mesh}`, parameters: { 'tessera.mesh': props.mesh } },
        });
    this.database = database;
    for (const dependency of props.dependsOn ?? []) database?.addResourceDependency(dependency);
    const roles = new Map(props.consumers.map((c) => [c.name, c.role]));
    const views = new Map<string, glue.CfnTable>();
    const describers = new Map<string, lakeformation.CfnPrincipalPermissions>();
    for (const view of props.views) {
      const input = viewTableInput(view, databaseName, props.mesh);
      const table = new glue.CfnTable(this, constructIdFor(view.view.name), {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: database?.ref ?? databaseName,
        tableInput: { ...input, parameters: { ...input.parameters }, storageDescriptor: { columns: input.storageDescriptor.columns.map((c) => ({ ...c })), serdeInfo: {} } },
      });
      views.set(view.view.name, table);
      for (const consumer of view.view.audience) {
        const role = roles.get(consumer);
        if (role === undefined) throw new Error(`MeshViews: view '${view.view.name}' names consumer '${consumer}', which the mesh does not declare`);
        if (database && !describers.has(consumer)) describers.set(consumer, describeViews(this, consumer, role, database, databaseName));
        const select = new lakeformation.CfnPrincipalPermissions(this, `Select${constructIdFor(view.view.name)}${constructIdFor(consumer)}`, {
          principal: { dataLakePrincipalIdentifier: role },
          resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName, name: view.view.name } },
          permissions: ['SELECT', 'DESCRIBE'],
          permissionsWithGrantOption: [],
        });
        select.addResourceDependency(table);
      }
    }
    for (const consumer of props.describers ?? []) {
      const role = roles.get(consumer);
      if (role === undefined) throw new Error(`MeshViews: describers name consumer '${consumer}', which the mesh does not declare`);
      if (database && !describers.has(consumer)) describers.set(consumer, describeViews(this, consumer, role, database, databaseName));
    }
    this.views = views;
  }
}

/** DESCRIBE on the views database for one consumer. */
function describeViews(scope: Construct, consumer: string, role: string, database: glue.CfnDatabase, databaseName: string): lakeformation.CfnPrincipalPermissions {
  const describe = new lakeformation.CfnPrincipalPermissions(scope, `Describe${constructIdFor(consumer)}`, {
    principal: { dataLakePrincipalIdentifier: role },
    resource: { database: { catalogId: Aws.ACCOUNT_ID, name: databaseName } },
    permissions: ['DESCRIBE'],
    permissionsWithGrantOption: [],
  });
  describe.addResourceDependency(database);
  return describe;
}
