// Genloom's layers start as Keras's do (Glorot-uniform weights, zero biases) unless a node says
// otherwise; PyTorch's own default is U(±1/√fan-in) for both. The exported model starts from
// Genloom's distribution, so the two train from comparable starting points.

export const GLOROT = `def glorot(layer):
    """Genloom's initialisation: Glorot-uniform weights and zero biases (PyTorch's default is U(±1/sqrt(fan-in)))."""
    nn.init.xavier_uniform_(layer.weight)
    if layer.bias is not None:
        nn.init.zeros_(layer.bias)
    return layer
`;

/** A layer constructor wrapped so that it starts as Genloom's does. */
export const glorot = (layer: string) => `glorot(${layer})`;
