"""PyTorch CPU anchor for bench/train: the same MLP and CNN as bench/train/kmodel.js, SGD, synthetic data.

Usage: /usr/bin/python3 bench/train/torch_bench.py [--threads 2] [--epochs 3] [--models mlp,cnn]
Prints one JSON line per model: {"model", "batch", "samplesPerSecond", "epochs": [samples/s per timed epoch]}.
Debian's python3-torch uses the system BLAS: install libopenblas0-pthread so that it is OpenBLAS.
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# Samples per epoch: a whole number of batches, so no partial last batch (kmodel.js uses the same counts).
SAMPLES = {"mlp": 128 * 80, "cnn": 64 * 24}
BATCH = {"mlp": 128, "cnn": 64}


def mlp():
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


class Cnn(nn.Module):
    """conv32(3x3, valid)-relu-maxpool2 -> conv64(3x3, valid)-relu-maxpool2 -> dense128-relu -> dense10."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3)
        self.c2 = nn.Conv2d(32, 64, 3)
        self.d1 = nn.Linear(64 * 5 * 5, 128)
        self.d2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.d2(F.relu(self.d1(torch.flatten(x, 1))))


def run(name, epochs):
    torch.manual_seed(0)
    n, batch = SAMPLES[name], BATCH[name]
    model = mlp() if name == "mlp" else Cnn()
    x = torch.rand(n, 784) if name == "mlp" else torch.rand(n, 1, 28, 28)
    y = torch.randint(0, 10, (n,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def epoch():
        for i in range(0, n, batch):
            opt.zero_grad()
            loss = F.cross_entropy(model(x[i : i + batch]), y[i : i + batch])
            loss.backward()
            opt.step()
        return float(loss)

    epoch()  # warm-up
    rates = []
    for _ in range(epochs):
        start = time.perf_counter()
        epoch()
        rates.append(n / (time.perf_counter() - start))
    rates.sort()
    return {"model": name, "batch": batch, "samplesPerSecond": rates[len(rates) // 2], "epochs": rates}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--models", default="mlp,cnn")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.models.split(","):
        print(json.dumps({**run(name, args.epochs), "threads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
