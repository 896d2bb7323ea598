#!/usr/bin/env python3
"""PyTorch CPU anchor for the VGG-style conv net of Chen et al. (what rankscope's trainConv trains): 3x3
convolutions with zero padding 2 and a ReLU, "M" a 2x2 max-pool, then flatten, dense ReLU layers and a
linear output; mean 0.5*||f - y||^2 on random data, plain SGD, PyTorch's default layout (NCHW) and
initialisation, the given dtype and threads.

  /usr/bin/python3 bench/vgg_reference.py --input 28,28,1 --layers 16,M,16,M,32,M,64,M,64,M --hidden 128
      --outputs 2 --batch 20 --steps 100 --dtype float32 --threads 1 [--lr 0.1]

Prints one JSON line: milliseconds per optimizer step (after 10 warm-up steps) and the parameter count.
"""
import argparse
import json
import time

import torch

ap = argparse.ArgumentParser()
ap.add_argument("--input", default="28,28,1")
ap.add_argument("--layers", default="16,M,16,M,32,M,64,M,64,M")
ap.add_argument("--hidden", default="128")
ap.add_argument("--outputs", type=int, default=2)
ap.add_argument("--batch", type=int, default=20)
ap.add_argument("--steps", type=int, default=100)
ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
ap.add_argument("--threads", type=int, default=1)
ap.add_argument("--lr", type=float, default=0.1)
ap.add_argument("--padding", type=int, default=2)
a = ap.parse_args()

torch.set_num_threads(a.threads)
dtype = getattr(torch, a.dtype)
torch.manual_seed(0)
H, W, C = (int(v) for v in a.input.split(","))
mods = []
h, w, c = H, W, C
for l in a.layers.split(","):
    if l == "M":
        mods.append(torch.nn.MaxPool2d(2))
        h, w = h // 2, w // 2
    else:
        mods += [torch.nn.Conv2d(c, int(l), 3, padding=a.padding), torch.nn.ReLU()]
        c = int(l)
        h, w = h + 2 * a.padding - 2, w + 2 * a.padding - 2
mods.append(torch.nn.Flatten())
fan = h * w * c
for width in [int(v) for v in a.hidden.split(",") if v]:
    mods += [torch.nn.Linear(fan, width), torch.nn.ReLU()]
    fan = width
mods.append(torch.nn.Linear(fan, a.outputs))
net = torch.nn.Sequential(*mods).to(dtype)
opt = torch.optim.SGD(net.parameters(), lr=a.lr)
N = 50 * a.batch
X = torch.randn(N, C, H, W, dtype=dtype)
Y = torch.randn(N, a.outputs, dtype=dtype)
g = torch.Generator().manual_seed(1)


def step():
    idx = torch.randint(0, N, (a.batch,), generator=g)
    opt.zero_grad()
    loss = 0.5 * ((net(X[idx]) - Y[idx]) ** 2).sum(dim=1).mean()
    loss.backward()
    opt.step()


for _ in range(10):
    step()
t0 = time.perf_counter()
for _ in range(a.steps):
    step()
ms = (time.perf_counter() - t0) / a.steps * 1e3
print(json.dumps({"ms_per_step": ms, "p": sum(p.numel() for p in net.parameters()), "dtype": a.dtype, "threads": a.threads, "torch": torch.__version__}))
