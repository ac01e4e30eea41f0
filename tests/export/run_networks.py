"""Runs exported networks on given inputs, for tests/export: for each case folder, loads model.py and
genloom_weights.py, loads weights.json, writes each network's outputs in eval mode, and writes the
weights back as roundtrip.json."""
import importlib.util
import json
import sys

import numpy as np
import torch


def module(folder, name, case):
    spec = importlib.util.spec_from_file_location(f"{name}_{case}", f"{folder}/{name}.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


torch.set_grad_enabled(False)
for case in json.load(open(sys.argv[1])):
    folder = case["dir"]
    model = module(folder, "model", case["id"])
    weights = module(folder, "genloom_weights", case["id"])
    nets = {name: getattr(model, net["class"])() for name, net in case["networks"].items()}
    weights.load(f"{folder}/weights.json", nets)
    for name, net in case["networks"].items():
        nets[name].eval()
        inputs = [torch.from_numpy(np.load(f"{folder}/{name}-in{i}.npy")) for i in range(net["inputs"])]
        inputs = [x.long() if x.dtype == torch.int32 else x for x in inputs]
        out = nets[name](*inputs)
        for j, y in enumerate(out if isinstance(out, tuple) else (out,)):
            np.save(f"{folder}/{name}-out{j}.npy", y.float().numpy())
    weights.save(f"{folder}/roundtrip.json", nets, 0)
