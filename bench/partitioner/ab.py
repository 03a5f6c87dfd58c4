#!/usr/bin/env python3
"""A/B of two ix-shard `partition_hgr` example binaries (or one binary with two
PartitionConfig JSON settings), side by side, cell by cell.

For every (k, seed, graph) cell this runs A, then B, each in its own child
process with THREADS threads (default 1, so that CPU time is comparable under
load), and prints km1 and CPU (user + sys, from wait4) of both, B / A, and
B's imbalance and empty parts; at the end the geometric means of the ratios.
Partitions are written to a temporary file and compared byte by byte, so a
change meant to be exact shows `same`.

Usage: bench/partitioner/ab.py --a BASE --b NEW [--a-config JSON] [--b-config JSON]
       [--graphs NAME_OR_PATH ...] [--k 8] [--seeds 0 1] [--threads 1] [--log FILE]

Graph names are .hgr files of ../shared/data/hypergraphs (else
bench/hypergraphs) without the suffix; a name containing `/` is a path.
"""
import argparse
import filecmp
import json
import math
import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_GRAPHS = ROOT.parent / "shared/data/hypergraphs"


def run(binary, graph, k, seed, threads, config, part_out):
    cmd = [binary, str(graph), str(k), "0.05", str(part_out), threads, str(seed)]
    if config:
        cmd.append(config)
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with status {status}")
    report = json.loads(out)
    return report, usage.ru_utime + usage.ru_stime


def geomean(values):
    return math.exp(sum(map(math.log, values)) / len(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", required=True)
    parser.add_argument("--b", required=True)
    parser.add_argument("--a-config")
    parser.add_argument("--b-config")
    parser.add_argument("--graphs", nargs="*")
    parser.add_argument("--k", nargs="+", type=int, default=[8])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--threads", default="1")
    parser.add_argument("--log")
    args = parser.parse_args()
    graph_dir = SHARED_GRAPHS if SHARED_GRAPHS.is_dir() else ROOT / "bench/hypergraphs"
    names = args.graphs or sorted(p.stem for p in graph_dir.glob("*.hgr"))
    graphs = [Path(n) if "/" in n else graph_dir / f"{n}.hgr" for n in names]
    log = open(args.log, "a") if args.log else None
    km1_ratios, cpu_ratios = [], []
    with tempfile.TemporaryDirectory() as workdir:
        part_a, part_b = Path(workdir) / "a.part", Path(workdir) / "b.part"
        for k in args.k:
            for seed in args.seeds:
                for graph in graphs:
                    a, cpu_a = run(args.a, graph, k, seed, args.threads, args.a_config, part_a)
                    b, cpu_b = run(args.b, graph, k, seed, args.threads, args.b_config, part_b)
                    km1_ratios.append(b["km1"] / a["km1"])
                    cpu_ratios.append(cpu_b / cpu_a)
                    same = "same" if filecmp.cmp(part_a, part_b, shallow=False) else "differ"
                    line = (f"{graph.stem:40s} k={k:3d} s={seed} km1 {a['km1']:9d} -> {b['km1']:9d} "
                            f"({km1_ratios[-1]:.4f})  cpu {cpu_a:6.2f} -> {cpu_b:6.2f} ({cpu_ratios[-1]:.3f})  "
                            f"imb {b['imbalance']:.4f} empty {b['empty_parts']} {same}")
                    print(line, flush=True)
                    if log:
                        log.write(line + "\n")
                        log.flush()
    line = f"geomean over {len(km1_ratios)} cells: km1 {geomean(km1_ratios):.4f}  cpu {geomean(cpu_ratios):.3f}"
    print(line)
    if log:
        log.write(line + "\n")


if __name__ == "__main__":
    main()
