// The zod schema of the graph document. Every object is strict: an unknown field is an error that
// names it, never silently dropped (a typo such as "parms" must not lose the user's params).
// Training settings are checked against their own table (training-settings.ts), node params against
// their node's definition.
import { z } from 'zod';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type TrainingConfig } from './document';

/** Ids, types and handles are names, not data: long enough for any real name, short enough to print. */
export const MAX_ID_LENGTH = 128;
/** A graph's or a node's title. */
export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;

const finite = z.number().finite();
const id = z.string().min(1).max(MAX_ID_LENGTH);

export const XYSchema = z.object({ x: finite, y: finite }).strict();

export const GraphNodeSchema = z
  .object({
    id,
    type: id,
    position: XYSchema,
    // Absent params mean "all defaults"; the values themselves are checked against the node definition.
    params: z.record(z.string(), z.unknown()).default({}),
    parentId: id.optional(),
    label: z.string().max(MAX_NAME_LENGTH).optional(),
    collapsed: z.boolean().optional(),
    frozen: z.boolean().optional(),
    width: finite.positive().optional(),
    height: finite.positive().optional(),
  })
  .strict();

export const GraphEdgeSchema = z
  .object({ id, source: id, sourceHandle: id, target: id, targetHandle: id })
  .strict();

export const ViewportSchema = z.object({ x: finite, y: finite, zoom: finite.positive() }).strict();

/** Everything but the node and edge lists, which the loader checks one by one to report each problem. */
export const DocumentShellSchema = z
  .object({
    format: z.literal(GRAPH_FORMAT),
    version: z.literal(GRAPH_VERSION),
    name: z.string().max(MAX_NAME_LENGTH).default('Untitled'),
    description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()).default([]),
    training: z.record(z.string(), z.unknown()).optional(),
    viewport: ViewportSchema.optional(),
  })
  .strict();

// Keeps the schema and the hand-written types in document.ts from drifting apart.
const GraphDocumentSchema = DocumentShellSchema.extend({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema).default([]),
  training: z.custom<TrainingConfig>(),
}).strict();
const _sameShape: z.ZodType<GraphDocument, z.ZodTypeDef, unknown> = GraphDocumentSchema;
void _sameShape;
