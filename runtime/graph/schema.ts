// The zod schema of the graph document. Every object is strict: an unknown field is an error that
// names it, never silently dropped (a typo such as "parms" must not lose the user's params).
import { z } from 'zod';
import { DEFAULT_TRAINING, GRAPH_FORMAT, GRAPH_VERSION, LR_SCHEDULES, type GraphDocument } from './document';

const finite = z.number().finite();
const id = z.string().min(1);

export const XYSchema = z.object({ x: finite, y: finite }).strict();

export const GraphNodeSchema = z
  .object({
    id,
    type: id,
    position: XYSchema,
    // Absent params mean "all defaults"; the values themselves are checked against the node definition.
    params: z.record(z.string(), z.unknown()).default({}),
    parentId: id.optional(),
    label: z.string().optional(),
    collapsed: z.boolean().optional(),
    width: finite.positive().optional(),
    height: finite.positive().optional(),
  })
  .strict();

export const GraphEdgeSchema = z
  .object({ id, source: id, sourceHandle: id, target: id, targetHandle: id })
  .strict();

const d = DEFAULT_TRAINING;
export const TrainingSchema = z
  .object({
    batchSize: z.number().int().min(1).default(d.batchSize),
    steps: z.number().int().min(0).default(d.steps),
    seed: z.number().int().default(d.seed),
    learningRate: finite.positive().default(d.learningRate),
    beta1: z.number().min(0).lt(1).default(d.beta1),
    beta2: z.number().min(0).lt(1).default(d.beta2),
    sampleEvery: z.number().int().min(0).default(d.sampleEvery),
    evalEvery: z.number().int().min(0).default(d.evalEvery),
    // Optional: absent means off (defaults in runtime/train/optim/settings.ts), so files that do not use them stay as they were.
    lrSchedule: z.enum(LR_SCHEDULES).optional(),
    warmupSteps: z.number().int().min(0).optional(),
    weightDecay: finite.min(0).optional(),
    clipNorm: finite.min(0).optional(),
    ema: z.number().min(0).lt(1).optional(),
  })
  .strict();

export const ViewportSchema = z.object({ x: finite, y: finite, zoom: finite.positive() }).strict();

/** Everything but the node and edge lists, which the loader checks one by one to report each problem. */
export const DocumentShellSchema = z
  .object({
    format: z.literal(GRAPH_FORMAT),
    version: z.literal(GRAPH_VERSION),
    name: z.string().default('Untitled'),
    description: z.string().optional(),
    nodes: z.array(z.unknown()),
    edges: z.array(z.unknown()).default([]),
    training: TrainingSchema.default({}),
    viewport: ViewportSchema.optional(),
  })
  .strict();

export const GraphDocumentSchema = DocumentShellSchema.extend({
  nodes: z.array(GraphNodeSchema),
  edges: z.array(GraphEdgeSchema).default([]),
}).strict();

// Keeps the schema and the hand-written types in document.ts from drifting apart.
const _sameShape: z.ZodType<GraphDocument, z.ZodTypeDef, unknown> = GraphDocumentSchema;
void _sameShape;
