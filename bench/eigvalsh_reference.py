#!/usr/bin/env python3
"""Times torch.linalg.eigvalsh and numpy.linalg.eigvalsh on a matrix the benchmark wrote (raw float64,
row-major n x n), so that rankscope's eigvalsh is compared on the same matrix: the time of LAPACK's dsyevd
depends on the spectrum, and torch_reference.py's bench mode draws its own network and data.

  /usr/bin/python3 bench/eigvalsh_reference.py FILE N [REPS]

Prints one JSON line: best-of-REPS seconds for each, and the largest eigenvalue difference between the two.
"""
import json
import sys
import time

import numpy as np
import torch

path, n = sys.argv[1], int(sys.argv[2])
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 3
A = np.fromfile(path, dtype=np.float64).reshape(n, n)
T = torch.from_numpy(A)


def best(f):
    out, ts = None, []
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t0)
    return min(ts), out


t_torch, ev_t = best(lambda: torch.linalg.eigvalsh(T).numpy())
t_numpy, ev_n = best(lambda: np.linalg.eigvalsh(A))
print(json.dumps({"engine": f"torch {torch.__version__}, numpy {np.__version__}", "n": n, "reps": reps,
                  "torch_eigvalsh_s": round(t_torch, 4), "numpy_eigvalsh_s": round(t_numpy, 4),
                  "max_abs_diff": float(np.max(np.abs(ev_t - ev_n))), "largest": float(ev_t[-1])}))
