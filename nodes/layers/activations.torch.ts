// Genloom's activations as PyTorch expressions, shared by every layer exporter that applies one.
import { py } from '../torch-exporter';

/** `x` through activation `name` ('none' leaves it as it is). */
export function torchActivation(name: string, x: string, alpha = 0.2): string {
  switch (name) {
    case 'none':
    case 'linear':
      return x;
    case 'relu':
      return `F.relu(${x})`;
    case 'leakyRelu':
      return `F.leaky_relu(${x}, ${py(alpha)})`;
    case 'gelu':
      return `F.gelu(${x})`;
    case 'silu':
      return `F.silu(${x})`;
    case 'tanh':
      return `torch.tanh(${x})`;
    case 'sigmoid':
      return `torch.sigmoid(${x})`;
    default:
      throw new Error(`no PyTorch form for the activation "${name}"`);
  }
}

/** The activation as a module, for helper classes that hold it as an attribute. */
export function torchActivationModule(name: string, alpha = 0.2): string {
  const modules: Record<string, string> = {
    relu: 'nn.ReLU()',
    leakyRelu: `nn.LeakyReLU(${py(alpha)})`,
    gelu: 'nn.GELU()',
    silu: 'nn.SiLU()',
    tanh: 'nn.Tanh()',
    sigmoid: 'nn.Sigmoid()',
  };
  const m = modules[name];
  if (!m) throw new Error(`no PyTorch module for the activation "${name}"`);
  return m;
}

/**
 * Applies `f` to the last Genloom axis: for an image that is PyTorch's channel dim 1, so the
 * channels move last and back around it.
 */
export function onLastAxis(x: string, rank: number, f: (x: string) => string): string {
  if (rank !== 4) return f(x);
  return `${f(`${x}.permute(0, 2, 3, 1)`)}.permute(0, 3, 1, 2)`;
}
