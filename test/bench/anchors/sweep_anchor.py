#!/usr/bin/env python3
"""PyTorch CPU anchor for `npm run bench -- gradients` (issue 11): the state-gradient sweep.

What it computes (DESIGN §4, the same work as main/engine/gradients/ for a one-layer LSTM,
target the cell state c): for B streams of T random tokens, an LSTM language model's
embedding (V x E) and LSTM layer (E -> H; weights ~ N(0, 1/fan_in), embeddings ~ N(0, 1/E),
zero biases, as benchModel in gradients-bench.ts), every position s is a source whose input
embedding x_s starts a forward tangent: the pair (dh_t/dx_s, dc_t/dx_s), each stored as E
rows of H values. At every step t, each live tangent of delay d = t - s in 1..D advances by
  dz = dh_{t-1} . U^T   (one GEMM for all live tangents of all streams: [B.D.E, H] x [H, 4H])
  dc = f*dc_{t-1} + a_i*dz_i + a_f*dz_f + a_g*dz_g,   dh = a_o*dz_o + q*dc
with the per-stream gate coefficients a_i = g*sig'(z_i), a_f = c_{t-1}*sig'(z_f),
a_g = i*tanh'(z_g), a_o = tanh(c)*sig'(z_o), q = o*tanh'(c); a new source (d = 0) starts with
dz = W^T. dc of every live tangent (delays 0..D) is added into float64 accumulators per
(group, delay), the groups being K = 10 time windows of the streams (groupOf in
stream-layout.ts): the engine's per-delay sums and its per-group sums for standard errors.
Denormals are flushed to zero (torch.set_flush_denormal; the engine flushes values below 1e-30
explicitly; with these weights nothing gets that small within D steps). The forward pass (gate pre-activations) is included in the time.

What it omits, compared with the engine: per-class and per-word sums (the bench asks the
engine for none either), and the engine's exact per-source float64 additions (here the B
streams' tangents of one delay are summed in float32 first, then added in float64). It does
the unfolded GEMM of DESIGN §4 (8.H^2.E flops per source and step), as a PyTorch user would
write it; the engine folds the gate coefficients into the right-hand side (half the flops).

Threads: torch.set_num_threads(--threads) for torch's own (OpenMP) work; the GEMM goes to
Debian's libblas.so.3 (OpenBLAS) with its default thread count, taken from the environment
(OPENBLAS_NUM_THREADS). The train bench's anchor holds OpenBLAS to one thread (its small GEMMs
lose to the two pools oversubscribing the cores); this anchor is one large GEMM per step, and
in our tries OPENBLAS_NUM_THREADS=1 made it slower (best of two: 21.6 s against 13.8 s at
H = 256, E = 64, B = 8, T = 200), so it is left at the default.

Prints one JSON line: {"seconds": the sweep's time (forward, tangents, accumulators), without
interpreter start-up and `import torch`; "import_seconds": that import; "maxrss_mb": peak RSS
of the process; "threads": ...}.

  /usr/bin/python3 test/bench/anchors/sweep_anchor.py --hidden 256 --embed 64 --streams 8 \
      --length 200 --delay 30 --threads 2
"""
import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402

import torch  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", type=int, required=True)
    ap.add_argument("--embed", type=int, required=True)
    ap.add_argument("--streams", type=int, default=8)
    ap.add_argument("--length", type=int, default=200)
    ap.add_argument("--delay", type=int, default=30)
    ap.add_argument("--vocab", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    import_seconds = time.perf_counter() - STARTED
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    H, E, B, T, D, V, K = a.hidden, a.embed, a.streams, a.length, a.delay, a.vocab, a.groups

    emb = torch.randn(V, E) / E ** 0.5
    W = torch.randn(4 * H, E) / E ** 0.5  # gate order i, f, g, o (as nn.LSTM)
    U = torch.randn(4 * H, H) / H ** 0.5
    bias = torch.zeros(4 * H)
    tokens = torch.randint(0, V, (B, T))

    t0 = time.perf_counter()
    with torch.no_grad():
        WT = W.t().contiguous()  # [E, 4H]: dz of a new source
        UT = U.t().contiguous()  # [H, 4H]
        # tangents of the live sources, ring slot s % D, [B, D, E, H]
        dh = torch.zeros(B, D, E, H)
        dc = torch.zeros(B, D, E, H)
        acc = torch.zeros(K, D + 1, E, H, dtype=torch.float64)
        count = torch.zeros(K, D + 1, dtype=torch.float64)
        h = torch.zeros(B, H)
        c = torch.zeros(B, H)
        xs = emb[tokens]  # [B, T, E]
        for t in range(T):
            z = xs[:, t] @ W.t() + h @ U.t() + bias
            zi, zf, zg, zo = z.split(H, dim=1)
            i, f, g, o = torch.sigmoid(zi), torch.sigmoid(zf), torch.tanh(zg), torch.sigmoid(zo)
            c_new = f * c + i * g
            tc = torch.tanh(c_new)
            ai = (g * i * (1 - i)).view(B, 1, 1, H)
            af = (c * f * (1 - f)).view(B, 1, 1, H)
            ag = (i * (1 - g * g)).view(B, 1, 1, H)
            ao = (tc * o * (1 - o)).view(B, 1, 1, H)
            q = (o * (1 - tc * tc)).view(B, 1, 1, H)
            fv = f.view(B, 1, 1, H)
            c, h = c_new, o * tc
            # old sources: delays 1..min(t, D), ring slots 0..n-1 (in order while t < D)
            n = min(t, D)
            if n > 0:
                dz = (dh[:, :n].reshape(B * n * E, H) @ UT).view(B, n, E, 4 * H)
                dzi, dzf, dzg, dzo = dz.split(H, dim=3)
                dcn = dc[:, :n]
                dcn.mul_(fv).addcmul_(ai, dzi).addcmul_(af, dzf).addcmul_(ag, dzg)
                torch.addcmul(dzo * ao, q, dcn, out=dh[:, :n])
            # the new source: dz = W^T for every stream
            wi, wf, wg, wo = WT.split(H, dim=1)
            dc0 = ai * wi + af * wf + ag * wg  # [B, 1, E, H]
            dh0 = ao * wo + q * dc0
            # accumulate dc per (group of the source, delay)
            if n > 0:
                sums = dc[:, :n].sum(0, dtype=torch.float32).double()  # [n, E, H] by slot
                slots = torch.arange(n)
                src = (t - D + (slots - t) % D) if t >= D else slots
                rows = (src * K // T) * (D + 1) + (t - src)
                acc.view(K * (D + 1), E, H).index_add_(0, rows, sums)
                count.view(-1).index_add_(0, rows, torch.full((n,), float(B), dtype=torch.float64))
            acc[t * K // T, 0] += dc0.sum((0, 1)).double()
            count[t * K // T, 0] += B
            # the source of delay D leaves; the new one takes its slot
            slot = t % D
            dh[:, slot] = dh0[:, 0]
            dc[:, slot] = dc0[:, 0]
    seconds = time.perf_counter() - t0
    # a use of the result, so nothing is skipped
    checksum = float(acc.sum())
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "import_seconds": import_seconds, "maxrss_mb": maxrss_mb, "threads": torch.get_num_threads(),
                      "torch": torch.__version__, "checksum": checksum, "pairs": float(count.sum())}))


if __name__ == "__main__":
    main()
