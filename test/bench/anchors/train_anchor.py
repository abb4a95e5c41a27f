#!/usr/bin/env python3
"""PyTorch CPU anchor for `npm run bench -- train` (test/bench/train-bench.ts).

Trains the same language model doing the same work as `mnemoscope train` does per step:
nn.Embedding(V, E) -> dropout -> nn.LSTM/GRU/RNN(E, H) -> dropout -> nn.Linear(H, V),
truncated BPTT over B parallel streams of random tokens, windows of T steps with the state
carried (detached) from window to window, the objective the engine uses (the sum over the
window's steps of the batch-mean cross-entropy, i.e. mean x T), global-norm clipping,
then one SGD (lr 1) or Adam step. Uniform init +-0.05 as the engine's.

One untimed warm-up step, then steps until `seconds` have passed (at least 3 steps). With
--eval-seconds S, then evaluation as the engine's validation pass does it (model.eval(), no
gradients, state carried, the summed cross-entropy) over 8 windows of random tokens, again
and again for S seconds after one untimed pass.
Prints one JSON line: {"tokensPerSecond", "steps", "seconds", "threads", "torch", "maxRssMiB",
"evalTokensPerSecond" (null without --eval-seconds)}.
Usage: train_anchor.py --cell lstm --E 64 --H 256 --V 10000 --B 20 --T 50 --dropout 0.5
       --clip 5 --optimizer sgd --threads 2 --seconds 60 --seed 1 [--eval-seconds 15]
"""
import argparse
import json
import resource
import time

import torch
import torch.nn as nn


class LM(nn.Module):
    def __init__(self, cell, V, E, H, dropout):
        super().__init__()
        self.emb = nn.Embedding(V, E)
        if cell == 'lstm':
            self.rnn = nn.LSTM(E, H)
        elif cell == 'gru':
            self.rnn = nn.GRU(E, H)
        else:
            self.rnn = nn.RNN(E, H, nonlinearity='tanh' if cell == 'rnn-tanh' else 'relu')
        self.out = nn.Linear(H, V)
        self.drop = nn.Dropout(dropout)
        for p in self.parameters():
            nn.init.uniform_(p, -0.05, 0.05)

    def forward(self, x, state):
        y, state = self.rnn(self.drop(self.emb(x)), state)
        return self.out(self.drop(y)), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--cell', default='lstm')
    for name, default in (('E', 64), ('H', 256), ('V', 10000), ('B', 20), ('T', 50), ('threads', 2), ('seed', 1)):
        ap.add_argument('--' + name, type=int, default=default)
    ap.add_argument('--dropout', type=float, default=0.5)
    ap.add_argument('--clip', type=float, default=5.0)
    ap.add_argument('--optimizer', default='sgd', choices=['sgd', 'adam'])
    ap.add_argument('--seconds', type=float, default=60.0)
    ap.add_argument('--eval-seconds', type=float, default=0.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = LM(a.cell, a.V, a.E, a.H, a.dropout)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=1.0) if a.optimizer == 'sgd' else torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    # Enough random tokens for a window per step; windows wrap around.
    windows = 64
    data = torch.randint(0, a.V, (a.T * windows + 1, a.B))
    state = None

    def step(k):
        nonlocal state
        s = (k % windows) * a.T
        x, y = data[s:s + a.T], data[s + 1:s + a.T + 1]
        logits, state = model(x, state)
        state = detach(state)
        loss = loss_fn(logits.reshape(-1, a.V), y.reshape(-1)) * a.T
        opt.zero_grad()
        loss.backward()
        if a.clip > 0:
            nn.utils.clip_grad_norm_(model.parameters(), a.clip)
        opt.step()
        return loss.item()

    step(0)
    t0 = time.perf_counter()
    steps = 0
    while True:
        step(steps + 1)
        steps += 1
        elapsed = time.perf_counter() - t0
        if steps >= 3 and elapsed >= a.seconds:
            break
    eval_rate = evaluation_rate(model, a, loss_fn) if a.eval_seconds > 0 else None
    print(json.dumps({
        'tokensPerSecond': steps * a.B * a.T / elapsed,
        'steps': steps,
        'seconds': elapsed,
        'threads': torch.get_num_threads(),
        'torch': torch.__version__,
        'maxRssMiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        'evalTokensPerSecond': eval_rate,
    }))


def evaluation_rate(model, a, loss_fn):
    """Tokens per second of evaluation passes over 8 random windows, for at least eval_seconds."""
    windows = 8
    data = torch.randint(0, a.V, (a.T * windows + 1, a.B))
    model.eval()

    def one_pass():
        state = None
        total = 0.0
        with torch.no_grad():
            for k in range(windows):
                s = k * a.T
                logits, state = model(data[s:s + a.T], state)
                total += loss_fn(logits.reshape(-1, a.V), data[s + 1:s + a.T + 1].reshape(-1)).item() * a.T * a.B
        return total

    one_pass()
    t0 = time.perf_counter()
    passes = 0
    while True:
        one_pass()
        passes += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= a.eval_seconds:
            return passes * windows * a.T * a.B / elapsed


if __name__ == '__main__':
    main()
