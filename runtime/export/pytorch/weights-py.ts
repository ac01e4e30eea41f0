// genloom_weights.py: reads and writes Genloom's weights files (genloom.weights JSON, what the app's
// Export weights and the CLI's --init-weights use) for the exported modules. Genloom stores weights as
// TensorFlow.js does (dense kernels [in, out], filters [h, w, in, out]); each parameter's layout says
// how it turns into PyTorch's.
import { WEIGHTS_FORMAT } from '../../train/weights';
import type { CharTokenizer } from '../../data/text';
import type { ModelPy } from './model-py';
import type { GraphParts } from './parts';

const TO_GENLOOM: Record<string, string> = {
  same: '    "same": lambda t: t,',
  linear: '    "linear": lambda t: t.t(),  # (out, in) -> (in, out)',
  conv: '    "conv": lambda t: t.permute(2, 3, 1, 0),  # (out, in, h, w) -> (h, w, in, out); transposed: (in, out, h, w) -> (h, w, out, in)',
};
const FROM_GENLOOM: Record<string, string> = {
  same: '    "same": lambda a: a,',
  linear: '    "linear": lambda a: a.t(),',
  conv: '    "conv": lambda a: a.permute(3, 2, 0, 1),',
};

export function weightsPy(parts: GraphParts, model: ModelPy, tokenizer?: CharTokenizer): string {
  const layouts = new Set(Object.values(model.weights).flatMap((ws) => ws.map((w) => w.layout)));
  const table = parts.networks.map((n) =>
    [`    ${JSON.stringify(n.name)}: [`, ...model.weights[n.name].map((w) => `        (${JSON.stringify(w.torch)}, ${JSON.stringify(w.tfjs)}, "${w.layout}"),`), '    ],'].join('\n'),
  );
  return [
    '"""Genloom\'s weights files (genloom.weights JSON) to and from the modules of model.py.',
    '',
    'Genloom keeps weights as TensorFlow.js does: dense kernels (in, out), convolution filters (h, w, in, out).',
    'NETWORKS lists, for each network, every PyTorch parameter with its Genloom name and how its layout converts.',
    '"""',
    'import base64',
    'import json',
    '',
    'import numpy as np',
    'import torch',
    '',
    `GRAPH = ${JSON.stringify(parts.doc.name)}`,
    'NETWORKS = {',
    ...table,
    '}',
    ...(tokenizer ? [`TOKENIZER = ${JSON.stringify(tokenizer.toJSON())}`] : []),
    'TO_GENLOOM = {',
    ...[...layouts].map((l) => TO_GENLOOM[l]),
    '}',
    'FROM_GENLOOM = {',
    ...[...layouts].map((l) => FROM_GENLOOM[l]),
    '}',
    '',
    '',
    'def save(path, modules, step):',
    '    """Writes the modules\' weights (a dict of network name to module) as a genloom.weights file."""',
    '    networks = {}',
    '    for name, table in NETWORKS.items():',
    '        state = modules[name].state_dict()',
    '        specs, chunks = [], []',
    '        for key, weight, layout in table:',
    '            array = TO_GENLOOM[layout](state[key].detach().float().cpu()).contiguous().numpy()',
    '            specs.append({"name": weight, "shape": list(array.shape), "dtype": "float32"})',
    '            chunks.append(array.astype("<f4").tobytes())',
    '        networks[name] = {',
    '            "modelTopology": {"note": "weights from PyTorch; the graph holds the architecture"},',
    '            "weightSpecs": specs,',
    '            "weightData": base64.b64encode(b"".join(chunks)).decode("ascii"),',
    '        }',
    `    bundle = {"format": "${WEIGHTS_FORMAT}", "graphName": GRAPH, "step": step, "networks": networks${tokenizer ? ', "tokenizer": TOKENIZER' : ''}}`,
    '    with open(path, "w") as f:',
    '        json.dump(bundle, f)',
    '',
    '',
    'def load(path, modules):',
    '    """Loads a genloom.weights file (from the app, the CLI or save()) into the modules."""',
    '    with open(path) as f:',
    '        bundle = json.load(f)',
    `    if bundle.get("format") != "${WEIGHTS_FORMAT}":`,
    `        raise ValueError(f"{path} is not a ${WEIGHTS_FORMAT} file")`,
    '    for name, table in NETWORKS.items():',
    '        if name not in bundle["networks"]:',
    '            raise ValueError(f"{path} has no network {name!r} (it has {\', \'.join(bundle[\'networks\'])})")',
    '        stored = bundle["networks"][name]',
    '        data = base64.b64decode(stored.get("weightData") or stored["weightDataBase64"])',
    '        arrays, offset = {}, 0',
    '        for spec in stored["weightSpecs"]:',
    '            count = int(np.prod(spec["shape"]))',
    '            arrays[spec["name"]] = np.frombuffer(data, "<f4", count, offset).reshape(spec["shape"])',
    '            offset += 4 * count',
    '        state = modules[name].state_dict()',
    '        for key, weight, layout in table:',
    '            if weight not in arrays:',
    '                raise ValueError(f"{path}: network {name!r} lacks the weight {weight!r}")',
    '            value = FROM_GENLOOM[layout](torch.from_numpy(arrays[weight].copy()))',
    '            if value.shape != state[key].shape:',
    '                raise ValueError(f"{path}: {weight!r} is {tuple(value.shape)} as {key!r}, the model needs {tuple(state[key].shape)}")',
    '            state[key] = value',
    '        modules[name].load_state_dict(state)',
    '',
  ].join('\n');
}
