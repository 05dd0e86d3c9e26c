/** Small products for access-model tests: tables as `{ table: { column: classification } }`. */
import type { AccessProduct } from '../../lib/access/index.js';

export function accessProduct(domain: string, id: string, tables: Record<string, Record<string, string | undefined>>): AccessProduct {
  return {
    domain,
    contract: {
      id,
      tables: Object.entries(tables).map(([name, columns]) => ({
        name,
        physicalName: name,
        columns: Object.entries(columns).map(([column, classification]) => ({ name: column, physicalName: column, classification })),
      })),
    },
  };
}
