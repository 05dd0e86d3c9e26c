/**
 * Loading the products a mesh config lists: a contract file (`*.odcs.yaml`) is one product; an ODPS
 * product descriptor (`*.odps.yaml`) stands for the contracts its output ports name, each of which
 * then carries the descriptor's input ports. Contracts are validated with the mesh's ontology and
 * checked against their domain (name, owner, Glue table names) and each other (ids).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Diagnostic, YamlPath } from '../diagnostics.js';
import { fileReadError, loadContract, type ValidationProfile } from '../contract/load.js';
import type { DataContract } from '../contract/model.js';
import type { ProductInputPort } from '../lineage/model.js';
import { resolveOutputContracts } from '../product/contract-files.js';
import { isDescriptorPath, loadDescriptorFile, type ProductDescriptor } from '../product/descriptor.js';
import { YamlSource } from '../yaml-source.js';
import type { MeshConfig, MeshDomain } from './config.js';

export interface MeshProduct {
  readonly domain: string;
  /** The contract file as the user would name it (mesh folder + the path in the config). */
  readonly file: string;
  readonly contract: DataContract;
  /** The contracts this product consumes (ODPS input ports); empty or absent without a descriptor. */
  readonly inputPorts?: readonly ProductInputPort[];
  /** The ODPS descriptor that lists this contract as an output port, when the mesh names one. */
  readonly descriptor?: string;
}

/** A descriptor the mesh lists, with the domain that lists it. */
export interface MeshDescriptor {
  readonly domain: string;
  readonly descriptor: ProductDescriptor;
}

export interface LoadedProducts {
  readonly products: MeshProduct[];
  readonly descriptors: MeshDescriptor[];
  /** Contract files the config names, directly or through a descriptor (absolute). */
  readonly contractFiles: string[];
  /** Descriptor files the config names (absolute). */
  readonly descriptorFiles: string[];
}

type Report = (severity: Diagnostic['severity'], path: YamlPath, code: string, message: string, fix: string) => void;

interface Context {
  readonly config: MeshConfig;
  readonly file: string;
  readonly profile?: ValidationProfile;
  /** Contract texts to use instead of the files (absolute path → text). */
  readonly contractTexts?: ReadonlyMap<string, string>;
  readonly report: Report;
  readonly diagnostics: Diagnostic[];
  readonly loaded: LoadedProducts;
  readonly productIds: Map<string, string>;
  readonly domainTables: Map<string, string>;
  /** Contract file (absolute) → the descriptor that listed it, or DIRECT. */
  readonly listedBy: Map<string, string>;
}

const DIRECT = '(the mesh config)';

export interface LoadProductsOptions {
  readonly profile?: ValidationProfile;
  readonly contractTexts?: ReadonlyMap<string, string>;
}

export async function loadProducts(config: MeshConfig, file: string, options: LoadProductsOptions, report: Report, diagnostics: Diagnostic[]): Promise<LoadedProducts> {
  const loaded: LoadedProducts = { products: [], descriptors: [], contractFiles: [], descriptorFiles: [] };
  const ctx: Context = { config, file, profile: options.profile, contractTexts: options.contractTexts, report, diagnostics, loaded, productIds: new Map(), domainTables: new Map(), listedBy: new Map() };
  for (const [d, domain] of config.domains.entries()) {
    for (const [p, productPath] of domain.products.entries()) {
      const path: YamlPath = ['domains', d, 'products', p];
      const target = join(dirname(file), productPath);
      if (isDescriptorPath(productPath)) await addDescriptor(ctx, domain, path, productPath, target);
      else await addContract(ctx, domain, path, productPath, target);
    }
  }
  return loaded;
}

async function addDescriptor(ctx: Context, domain: MeshDomain, path: YamlPath, productPath: string, descriptorFile: string): Promise<void> {
  ctx.loaded.descriptorFiles.push(resolve(descriptorFile));
  const result = await loadDescriptorFile(descriptorFile);
  const unreadable = result.diagnostics.find((d) => d.code === 'file-read');
  if (unreadable) {
    ctx.report('error', path, 'missing-product', `product '${productPath}' of domain '${domain.name}': ${unreadable.message}`, `fix the path; it is relative to ${ctx.file}`);
    return;
  }
  ctx.diagnostics.push(...result.diagnostics);
  const descriptor = result.descriptor;
  if (!descriptor) return;
  if (descriptor.domain !== undefined && descriptor.domain !== domain.name) {
    ctx.diagnostics.push(
      descriptor.source.diagnostic(['domain'], {
        severity: 'error',
        code: 'domain-mismatch',
        message: `the descriptor says domain '${descriptor.domain}' but the mesh lists it under domain '${domain.name}' (${ctx.file})`,
        fix: `write domain: ${domain.name}, or move the product to domain '${descriptor.domain}' in the mesh config`,
      }),
    );
  }
  ctx.loaded.descriptors.push({ domain: domain.name, descriptor });
  const { contracts, diagnostics } = await resolveOutputContracts(descriptor);
  ctx.diagnostics.push(...diagnostics);
  const inputPorts = descriptor.inputPorts.map(({ name, contractId, version }) => ({ name, contractId, version }));
  for (const { port, file } of contracts) {
    const shown = join(dirname(productPath), relative(dirname(descriptorFile), file));
    const product = await addContract(ctx, domain, path, shown, file, { inputPorts, descriptor: descriptorFile });
    if (product) checkOutputVersion(ctx, descriptor, port, product.contract);
  }
}

/** An output port that gives a version gives its contract's. */
function checkOutputVersion(ctx: Context, descriptor: ProductDescriptor, port: number, contract: DataContract): void {
  const { name, version, path } = descriptor.outputPorts[port]!;
  if (version === undefined || version === contract.version) return;
  ctx.diagnostics.push(
    descriptor.source.diagnostic([...path, 'version'], {
      severity: 'error',
      code: 'odps-port-version',
      message: `output port '${name}' publishes version ${version} of '${contract.id}', but its contract is version ${contract.version}`,
      fix: `write version: ${contract.version}, or leave the version out`,
    }),
  );
}

async function addContract(ctx: Context, domain: MeshDomain, path: YamlPath, productPath: string, contractFile: string, extra: Pick<MeshProduct, 'inputPorts' | 'descriptor'> = {}): Promise<MeshProduct | undefined> {
  const { report, diagnostics, loaded } = ctx;
  // A contract listed twice directly is the config check's finding; through a descriptor, it is ours.
  const listed = ctx.listedBy.get(resolve(contractFile));
  if (listed !== undefined && (listed !== DIRECT || extra.descriptor !== undefined)) {
    report('error', path, 'duplicate-product', `contract '${productPath}' is listed twice (directly and through a descriptor, or by two descriptors)`, 'list each contract once: either the contract file or a descriptor whose output port names it');
    return undefined;
  }
  ctx.listedBy.set(resolve(contractFile), extra.descriptor ?? DIRECT);
  loaded.contractFiles.push(resolve(contractFile));
  let contractText: string;
  try {
    contractText = ctx.contractTexts?.get(resolve(contractFile)) ?? (await readFile(contractFile, 'utf8'));
  } catch (e) {
    const reason = fileReadError(contractFile, e).message;
    report('error', path, 'missing-product', `product '${productPath}' of domain '${domain.name}': ${reason}`, `fix the path; it is relative to ${ctx.file}`);
    return undefined;
  }
  const result = loadContract(contractText, contractFile, { profile: ctx.profile, classifications: ctx.config.classifications });
  diagnostics.push(...result.diagnostics);
  const contract = result.contract;
  if (!contract) return undefined;
  checkContractInDomain(ctx, domain, path, contract, contractText, contractFile);
  const clash = ctx.productIds.get(contract.id);
  const baseDir = dirname(ctx.file);
  if (clash !== undefined) {
    report('error', path, 'duplicate-product', `product id '${contract.id}' is used by both ${clash} and ${relative(baseDir, contractFile)}`, 'give every contract in the mesh its own `id`');
  } else {
    ctx.productIds.set(contract.id, relative(baseDir, contractFile));
  }
  const product: MeshProduct = { domain: domain.name, file: contractFile, contract, ...extra };
  loaded.products.push(product);
  return product;
}

/** The contract agrees with the domain that lists it: its name, its owner, and Glue table names unique in the domain's database. */
function checkContractInDomain(ctx: Context, domain: MeshDomain, path: YamlPath, contract: DataContract, contractText: string, contractFile: string): void {
  if (contract.domain !== undefined && contract.domain !== domain.name) {
    ctx.diagnostics.push(
      YamlSource.parse(contractText, contractFile).source.diagnostic(['domain'], {
        severity: 'error',
        code: 'domain-mismatch',
        message: `the contract says domain '${contract.domain}' but the mesh lists it under domain '${domain.name}' (${ctx.file})`,
        fix: `write domain: ${domain.name}, or move the product to domain '${contract.domain}' in the mesh config`,
      }),
    );
  }
  if (domain.owner !== undefined && contract.team?.name !== undefined && contract.team.name !== domain.owner) {
    ctx.report('warning', path, 'owner-mismatch', `product '${contract.id}' is owned by team '${contract.team.name}', but domain '${domain.name}' names '${domain.owner}' as its owner`, 'make the team names agree');
  }
  // All products of a domain share its Glue database: their table names must not collide.
  for (const table of contract.tables) {
    const key = `${domain.name}/${table.physicalName.toLowerCase()}`;
    const owner = ctx.domainTables.get(key);
    if (owner !== undefined && owner !== contract.id) {
      ctx.report('error', path, 'duplicate-table-in-domain', `table '${table.physicalName}' of product '${contract.id}' is also a table of product '${owner}'; both would live in the Glue database of domain '${domain.name}'`, 'give one of the tables another physicalName');
    }
    ctx.domainTables.set(key, contract.id);
  }
}
