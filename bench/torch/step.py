"""Training steps per second of Genloom's examples written in PyTorch, on the CPU.

Usage: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch/step.py
A line protocol on stdin/stdout, so the benchmark can interleave PyTorch's timing windows with
its own: each request is one JSON line, each answer one JSON line.
  {"cmd": "setup", "spec": {"name", "kind", "batch", ...model fields}} → {"ok": true, "threads"}
    (builds the model and runs 2 warm-up steps)
  {"cmd": "run", "name", "seconds", "minSteps"} → {"steps", "seconds"}
  {"cmd": "drop", "name"} → {"ok": true} Same architectures, batch sizes
and Adam settings as bench/handwritten/*.ts (and the graphs they mirror); data is random (the step's cost does not depend on it).
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

THREADS = 2
torch.set_num_threads(THREADS)
torch.manual_seed(1)


def adam(params, lr, b1=0.9, b2=0.999):
    return torch.optim.Adam(params, lr=lr, betas=(b1, b2))


def minimize(opt, loss):
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.item()


def gan(g, d, zdim, real_shape, lr):
    gopt, dopt = adam(g.parameters(), lr, 0.5), adam(d.parameters(), lr, 0.5)

    def step(b):
        real = torch.rand(b, *real_shape) * 2 - 1
        with torch.no_grad():
            fake = g(torch.randn(b, zdim))
        minimize(dopt, F.softplus(-d(real)).mean() + F.softplus(d(fake)).mean())
        minimize(gopt, F.softplus(-d(g(torch.randn(b, zdim)))).mean())
    return step


def leaky_mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.LeakyReLU(0.2))
    return nn.Sequential(*layers)


def point_mlps(g_hidden=(128, 128)):
    """The 2-D GANs' generator 16 → hidden → 2 and critic 2 → 128 → 128 → 1, leaky ReLU 0.2."""
    return leaky_mlp([16, *g_hidden, 2]), leaky_mlp([2, 128, 128, 1])


def gan_ring(s):
    # examples/gan-ring.json: leaky ReLU MLPs (a 3 × 256 generator), Adam 8e-3 β (0.5, 0.99), R1 γ = 0.1 on real points.
    g, d = point_mlps((256, 256, 256))
    gopt, dopt = adam(g.parameters(), 8e-3, 0.5, 0.99), adam(d.parameters(), 8e-3, 0.5, 0.99)

    def step(b):
        real = (torch.rand(b, 2) * 2 - 1).requires_grad_(True)
        with torch.no_grad():
            fake = g(torch.randn(b, 16))
        d_real = d(real)
        grad, = torch.autograd.grad(d_real.sum(), real, create_graph=True)
        r1 = 0.05 * grad.pow(2).sum(1).mean()
        minimize(dopt, F.softplus(-d_real).mean() + F.softplus(d(fake)).mean() + r1)
        minimize(gopt, F.softplus(-d(g(torch.randn(b, 16)))).mean())
    return step


def wgan_grid(s):
    # examples/wgan-grid.json: the ring's leaky ReLU MLPs; WGAN-GP with 5 critic steps per generator
    # step (fresh real batch and noise each), λ = 0.1 on random interpolates; Adam 1e-3 β (0.5, 0.9).
    g, d = point_mlps()
    gopt, dopt = adam(g.parameters(), 1e-3, 0.5, 0.9), adam(d.parameters(), 1e-3, 0.5, 0.9)

    def step(b):
        for _ in range(5):
            real = torch.rand(b, 2) * 4 - 2
            with torch.no_grad():
                fake = g(torch.randn(b, 16))
            eps = torch.rand(b, 1)
            x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
            grad, = torch.autograd.grad(d(x_hat).sum(), x_hat, create_graph=True)
            gp = ((grad.pow(2).sum(1) + 1e-12).sqrt() - 1).pow(2).mean()
            minimize(dopt, d(fake).mean() - d(real).mean() + 0.1 * gp)
        minimize(gopt, -d(g(torch.randn(b, 16))).mean())
    return step


def classifier_mnist(s):
    # examples/classifier-mnist.json: 784 → 128 (ReLU) → 10, softmax cross-entropy on labels; Adam 1e-3.
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = adam(net.parameters(), 1e-3)

    def step(b):
        x = torch.rand(b, 1, 28, 28) * 2 - 1
        minimize(opt, F.cross_entropy(net(x), torch.randint(0, 10, (b,))))
    return step


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def dcgan_mnist(s):
    # examples/dcgan-mnist.json. NCHW; for k4 s2, padding=1 is tfjs's "same" (14 → 7 and 7 → 14); batch
    # norm with tfjs's defaults (momentum 0.99 there is 0.01 here, epsilon 1e-3). The example's learning-rate
    # decay and weight average are left out: the bench times a step.
    bn = dict(eps=1e-3, momentum=0.01)
    g = nn.Sequential(
        nn.Linear(64, 7 * 7 * 128, bias=False), nn.BatchNorm1d(7 * 7 * 128, **bn), nn.ReLU(), Reshape(128, 7, 7),
        nn.ConvTranspose2d(128, 64, 4, 2, padding=1, bias=False), nn.BatchNorm2d(64, **bn), nn.ReLU(),
        nn.Conv2d(64, 64, 3, 1, padding=1, bias=False), nn.BatchNorm2d(64, **bn), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, padding=1), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, 32, 4, 2, padding=1), nn.LeakyReLU(0.2), nn.Conv2d(32, 64, 4, 2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 512), nn.LeakyReLU(0.2), nn.Linear(512, 1))
    return gan(g, d, 64, (1, 28, 28), 2e-4)


def dcgan_large(s):
    # bench/graphs/dcgan-large.json. NCHW; output_padding=1 gives the "same"-padded 2× upsampling of
    # tfjs; batch norm with tfjs's defaults (momentum 0.99 there is 0.01 here, epsilon 1e-3).
    bn = dict(eps=1e-3, momentum=0.01)
    g = nn.Sequential(
        nn.Linear(100, 7 * 7 * 128, bias=False), nn.BatchNorm1d(7 * 7 * 128, **bn), nn.LeakyReLU(0.2), Reshape(128, 7, 7),
        nn.ConvTranspose2d(128, 64, 5, 2, padding=2, output_padding=1, bias=False), nn.BatchNorm2d(64, **bn), nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(64, 1, 5, 2, padding=2, output_padding=1), nn.Tanh())
    d = nn.Sequential(
        nn.Conv2d(1, 64, 5, 2, padding=2), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 5, 2, padding=2), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 128, 1))
    return gan(g, d, 100, (1, 28, 28), 2e-4)


def vae_mnist(s):
    latent = s["latent"]
    enc = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU())
    mean, logvar = nn.Linear(256, latent), nn.Linear(256, latent)
    dec = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())
    params = [*enc.parameters(), *mean.parameters(), *logvar.parameters(), *dec.parameters()]
    opt = adam(params, 1e-3)

    def step(b):
        x = torch.rand(b, 1, 28, 28) * 2 - 1
        h = enc(x)
        mu, lv = mean(h), logvar(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        rec = ((dec(z) - x.reshape(b, 784)) ** 2).sum(1).mean()
        kl = -0.5 * (1 + lv - mu ** 2 - lv.exp()).sum(1).mean()
        minimize(opt, rec + kl)
    return step


def cosine_bars(T, s=0.008):
    f = lambda t: math.cos(((t / T + s) / (1 + s)) * math.pi / 2) ** 2
    bars, bar = [], 1.0
    for i in range(T):
        bar *= 1 - min(0.999, 1 - f(i + 1) / f(i))
        bars.append(bar)
    return torch.tensor(bars)


def sinusoids(t, dim):
    half = dim // 2
    freqs = torch.exp(torch.arange(half) * (-math.log(10000) / half))
    a = t * freqs[None, :]
    return torch.cat([a.sin(), a.cos()], 1)


def noised(x0, bars):
    n = x0.shape[0]
    t = torch.randint(0, bars.shape[0], (n,))
    ab = bars[t].reshape(n, *([1] * (x0.dim() - 1)))
    eps = torch.randn_like(x0)
    return ab.sqrt() * x0 + (1 - ab).sqrt() * eps, t.float()[:, None], eps


class Denoiser2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.t = nn.Linear(32, 32)
        self.h = nn.Sequential(nn.Linear(34, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 128), nn.SiLU(), nn.Linear(128, 2))

    def forward(self, x, t):
        return self.h(torch.cat([x, F.silu(self.t(sinusoids(t, 32)))], 1))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        c = lambda i, o: nn.Conv2d(i, o, 3, padding=1)
        self.temb = nn.Linear(64, 64)
        self.down1, self.skip1, self.down2, self.skip2, self.mid = c(1, 16), c(16, 16), c(16, 32), c(32, 32), c(32, 32)
        self.p1, self.p2, self.p3 = nn.Linear(64, 16), nn.Linear(64, 32), nn.Linear(64, 32)
        self.upconv2, self.upconv1, self.out = c(64, 32), c(48, 16), c(16, 1)

    def forward(self, x, t):
        e = F.silu(self.temb(sinusoids(t, 64)))
        bias = lambda p: p(e)[:, :, None, None]
        s1 = F.silu(self.skip1(F.silu(self.down1(x)) + bias(self.p1)))
        s2 = F.silu(self.skip2(F.silu(self.down2(F.avg_pool2d(s1, 2))) + bias(self.p2)))
        m = F.silu(self.mid(F.avg_pool2d(s2, 2))) + bias(self.p3)
        u2 = F.silu(self.upconv2(torch.cat([F.interpolate(m, scale_factor=2), s2], 1)))
        u1 = F.silu(self.upconv1(torch.cat([F.interpolate(u2, scale_factor=2), s1], 1)))
        return self.out(u1)


def ddpm(net, T, shape, lr):
    bars = cosine_bars(T)
    opt = adam(net.parameters(), lr)

    def step(b):
        xt, t, eps = noised(torch.rand(b, *shape) * 2 - 1, bars)
        minimize(opt, F.mse_loss(net(xt, t), eps))
    return step


def ddpm_2d(s):
    return ddpm(Denoiser2d(), 100, (2,), 2e-3)


def ddpm_mnist(s):
    return ddpm(UNet(), 1000, (1, 28, 28), 5e-4)


class Block(nn.Module):
    def __init__(self, C, nh):
        super().__init__()
        self.nh = nh
        self.ln1, self.ln2 = nn.LayerNorm(C, eps=1e-5), nn.LayerNorm(C, eps=1e-5)
        self.qkv, self.proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.up, self.down = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x, mask):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, 2)
        heads = lambda y: y.reshape(B, T, self.nh, C // self.nh).transpose(1, 2)
        att = (heads(q) @ heads(k).transpose(-1, -2)) / math.sqrt(C // self.nh) + mask
        y = (att.softmax(-1) @ heads(v)).transpose(1, 2).reshape(B, T, C)
        x = x + self.proj(y)
        return x + self.down(F.gelu(self.up(self.ln2(x))))


class Gpt(nn.Module):
    def __init__(self, V, T, C, nh, blocks):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Parameter(torch.randn(T, C) * 0.02)
        self.blocks = nn.ModuleList([Block(C, nh) for _ in range(blocks)])
        self.ln, self.head = nn.LayerNorm(C, eps=1e-5), nn.Linear(C, V)
        self.register_buffer("mask", torch.triu(torch.full((T, T), -1e9), 1))

    def forward(self, idx):
        x = self.wte(idx) + self.wpe
        for b in self.blocks:
            x = b(x, self.mask)
        return self.head(self.ln(x))


def gpt(s):
    V, T = s["vocab"], s["T"]
    net = Gpt(V, T, s["dim"], s["heads"], s["blocks"])
    opt = adam(net.parameters(), s["lr"], 0.9, 0.99)

    def step(b):
        idx = torch.randint(0, V, (b, T + 1))
        logits = net(idx[:, :-1])
        minimize(opt, F.cross_entropy(logits.reshape(-1, V), idx[:, 1:].reshape(-1)))
    return step


KINDS = {"gan-ring": gan_ring, "dcgan-mnist": dcgan_mnist, "dcgan-large": dcgan_large, "vae-mnist": vae_mnist, "ddpm-2d": ddpm_2d,
         "ddpm-mnist": ddpm_mnist, "gpt": gpt, "wgan-grid": wgan_grid, "classifier-mnist": classifier_mnist}


def serve():
    models = {}
    for line in sys.stdin:
        req = json.loads(line)
        try:
            if req["cmd"] == "setup":
                spec = req["spec"]
                step = KINDS[spec["kind"]](spec)
                for _ in range(2):
                    step(spec["batch"])
                models[spec["name"]] = (step, spec["batch"])
                out = {"ok": True, "threads": THREADS}
            elif req["cmd"] == "run":
                step, b = models[req["name"]]
                n, t0 = 0, time.perf_counter()
                while n < req.get("minSteps", 1) or time.perf_counter() - t0 < req["seconds"]:
                    step(b)
                    n += 1
                out = {"steps": n, "seconds": time.perf_counter() - t0}
            else:
                models.pop(req["name"], None)
                out = {"ok": True}
        except Exception as e:  # one failing model must not stop the others
            out = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    serve()
