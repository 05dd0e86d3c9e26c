/**
 * The catalog API's routes as data, and its OpenAPI 3.1 document generated from the same zod
 * schemas the handler validates requests with and the records are typed by (`api-schema.ts`), so
 * the document cannot drift from the code.
 */
import { z } from 'zod';
import { ACCESS_COMPONENTS, ACCESS_ROUTES } from '../access/requests/api-schema.js';
import {
  accessSchema,
  diffReportSchema,
  errorSchema,
  lineageParams,
  lineageSchema,
  noParams,
  pageParams,
  productDetailSchema,
  productId,
  productPageSchema,
  productSummarySchema,
  qualityHistorySchema,
  qualityRunSchema,
  rejectionSchema,
  searchParams,
  searchResponseSchema,
  semverString,
  trustSchema,
  versionDetailSchema,
  versionListSchema,
  versionSummarySchema,
} from './api-schema.js';

export type RouteName = 'search' | 'product' | 'versions' | 'version' | 'quality' | 'lineage' | 'openapi';

export interface RouteSpec {
  readonly name: RouteName;
  /** OpenAPI path template. */
  readonly path: string;
  readonly summary: string;
  readonly description: string;
  readonly pathParams: Readonly<Record<string, z.ZodType>>;
  readonly query: z.ZodObject;
  /** The response schema's component name, or undefined for a free-form object. */
  readonly response?: string;
  /** Error codes this route can answer besides 400 for bad parameters and 500. */
  readonly notFound: boolean;
}

export const CATALOG_ROUTES: readonly RouteSpec[] = [
  {
    name: 'search',
    path: '/products',
    summary: 'Search products',
    description: 'Ranked search (BM25 over names, tags, tables, columns, owners and descriptions; tolerant of typos and prefixes) with filters. Without `q`, every product that passes the filters, by id.',
    pathParams: {},
    query: searchParams,
    response: 'SearchResponse',
    notFound: false,
  },
  {
    name: 'product',
    path: '/products/{id}',
    summary: 'A product',
    description: 'The latest version (highest semver): schema with classifications, owners, support, SLAs, Athena tables and a sample query, latest quality, freshness, trust, how to get access, and refused publications.',
    pathParams: { id: productId },
    query: noParams,
    response: 'ProductDetail',
    notFound: true,
  },
  {
    name: 'versions',
    path: '/products/{id}/versions',
    summary: "A product's versions",
    description: 'Every published version, newest (highest semver) first.',
    pathParams: { id: productId },
    query: pageParams,
    response: 'VersionList',
    notFound: true,
  },
  {
    name: 'version',
    path: '/products/{id}/versions/{version}',
    summary: 'One version',
    description: 'The contract of one version and its breaking-change report against the previous version in semver order.',
    pathParams: { id: productId, version: semverString },
    query: noParams,
    response: 'VersionDetail',
    notFound: true,
  },
  {
    name: 'quality',
    path: '/products/{id}/quality',
    summary: 'Quality history',
    description: "The product's quality runs, newest first, with the trust signal.",
    pathParams: { id: productId },
    query: pageParams,
    response: 'QualityHistory',
    notFound: true,
  },
  {
    name: 'lineage',
    path: '/products/{id}/lineage',
    summary: 'Lineage',
    description:
      "The products and mesh views upstream and downstream of the product, to a depth, from the mesh's OpenLineage events (views' column lineage, products' input ports); with `column`, the view columns derived from that column. 404 for an unknown product or column.",
    pathParams: { id: productId },
    query: lineageParams,
    response: 'Lineage',
    notFound: true,
  },
  {
    name: 'openapi',
    path: '/openapi.json',
    summary: 'This document',
    description: 'The OpenAPI 3.1 description of the catalog API.',
    pathParams: {},
    query: noParams,
    notFound: false,
  },
];

/** The named schemas of the document (`#/components/schemas/<name>`). */
const COMPONENTS: Readonly<Record<string, z.ZodType>> = {
  SearchResponse: searchResponseSchema,
  ProductSummary: productSummarySchema,
  ProductDetail: productDetailSchema,
  ProductPage: productPageSchema,
  VersionList: versionListSchema,
  VersionSummary: versionSummarySchema,
  VersionDetail: versionDetailSchema,
  DiffReport: diffReportSchema,
  QualityHistory: qualityHistorySchema,
  QualityRun: qualityRunSchema,
  Lineage: lineageSchema,
  Trust: trustSchema,
  Access: accessSchema,
  Rejection: rejectionSchema,
  Error: errorSchema,
  ...ACCESS_COMPONENTS,
};

type JsonObject = Record<string, unknown>;

export function buildOpenApiDocument(options: { title?: string; version?: string; serverUrl?: string } = {}): JsonObject {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  const components: JsonObject = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
    components[id] = rest;
  }

  const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const paths: JsonObject = {};
  for (const route of CATALOG_ROUTES) {
    const parameters = [
      ...Object.entries(route.pathParams).map(([name, schema]) => ({ name, in: 'path', required: true, schema: parameterSchema(schema) })),
      ...Object.entries(route.query.shape).map(([name, schema]) => ({ name, in: 'query', required: false, schema: parameterSchema(schema as z.ZodType) })),
    ];
    const responses: JsonObject = {
      '200': {
        description: route.summary,
        content: { 'application/json': { schema: route.response ? { $ref: `#/components/schemas/${route.response}` } : { type: 'object' } } },
      },
      '400': errorResponse('A parameter is invalid, unknown or repeated, or the cursor was altered; the body says which.'),
      '403': { description: 'The caller is not allowed to invoke the API (IAM).' },
      ...(route.notFound ? { '404': errorResponse(route.name === 'lineage' ? 'The product, or the column asked for, is not in the catalog.' : 'The product or version is not in the catalog.') } : {}),
      '500': errorResponse('Something went wrong on the catalog side; nothing internal is disclosed.'),
    };
    paths[route.path] = { get: { operationId: route.name, summary: route.summary, description: route.description, parameters, responses, security: [{ sigv4: [] }] } };
  }
  // Access requests (lib/access/requests/api-schema.ts): GET and POST, answered by their own function.
  const accessError = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/AccessError' } } } });
  for (const route of ACCESS_ROUTES) {
    const parameters = [
      ...Object.entries(route.pathParams).map(([name, schema]) => ({ name, in: 'path', required: true, schema: parameterSchema(schema) })),
      ...Object.entries(route.query.shape).map(([name, schema]) => ({ name, in: 'query', required: false, schema: parameterSchema(schema as z.ZodType) })),
    ];
    const ok = { description: route.summary, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.response}` } } } };
    const responses = { [route.name === 'access-create' || route.name === 'access-renew' ? '201' : '200']: ok, '400': accessError('The body or a parameter is invalid, or the request asks for what cannot be granted.'), '403': accessError('The caller may not do this (or is not IAM-authorized).'), ...(route.notFound ? { '404': accessError('The request or product does not exist.') } : {}), '409': accessError('The request changed, was decided already, or expired.'), '500': accessError('Something went wrong; nothing was granted.') };
    const body = route.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } } } } : {};
    paths[route.path] = { ...(paths[route.path] as JsonObject | undefined), [route.method.toLowerCase()]: { operationId: route.name, summary: route.summary, description: route.description, parameters, ...body, responses, security: [{ sigv4: [] }] } };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: options.title ?? 'Tessera catalog',
      version: options.version ?? '1',
      description: 'Search the data products of the mesh, their versions and breaking changes, their quality and how to get access. Every operation is signed (SigV4, IAM); all but the access-request decisions are GETs.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: { sigv4: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' } },
    },
  };
}

function parameterSchema(schema: z.ZodType): JsonObject {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonObject;
  return rest;
}
