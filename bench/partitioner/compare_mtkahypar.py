#!/usr/bin/env python3
"""ix shard vs Mt-KaHyPar on the same hypergraphs, k and epsilon, in one run.

For every .hgr in bench/hypergraphs (and, unless --no-synthetic, a generated
mathlib-scale synthetic delta-unfold graph) this runs

  * `ix shard GRAPH.hgr -n K --balance EPS --part-out FILE -j THREADS`, and
  * Mt-KaHyPar (PyPI `mtkahypar`, default preset, THREADS threads, km1),

each in its own child process (wall time and peak RSS per process, taken
with wait4), then scores BOTH partitions with Mt-KaHyPar's own km1 and
imbalance, and prints a table with the ratios ix / Mt-KaHyPar.

Mt-KaHyPar takes about 300 s on the full-scale synthetic graph: it runs
there only with --mtk-synthetic (a --mtk-timeout caps every Mt-KaHyPar run).

Usage: bench/partitioner/compare_mtkahypar.py [--k 64] [--eps 0.05]
       [--threads 2] [--graphs G.hgr ...] [--no-synthetic]
       [--synthetic-blocks 631000] [--mtk-synthetic] [--mtk-timeout S]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def ensure_mtkahypar():
    try:
        import mtkahypar  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "mtkahypar"], check=True)


def run_measured(cmd, timeout=None):
    """Runs cmd; returns (stdout, wall seconds, peak RSS bytes) or None on timeout."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = None if timeout is None else start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            return None
        time.sleep(0.02)
    wall = time.monotonic() - start
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed:\n{err}")
    return out, wall, usage.ru_maxrss * 1024


def child_mtkahypar(graph, k, eps, threads, part_out):
    """Child mode: partition with Mt-KaHyPar's default preset, write parts."""
    import mtkahypar

    mtk = mtkahypar.initialize(threads)
    mtkahypar.set_seed(0)
    context = mtk.context_from_preset(mtkahypar.PresetType.DEFAULT)
    context.set_partitioning_parameters(k, eps, mtkahypar.Objective.KM1)
    context.logging = False
    start = time.monotonic()
    hypergraph = mtk.hypergraph_from_file(graph, context, mtkahypar.FileFormat.HMETIS)
    loaded = time.monotonic()
    partitioned = hypergraph.partition(context)
    done = time.monotonic()
    partitioned.write_partition_to_file(part_out)
    print(json.dumps({"load_s": loaded - start, "partition_s": done - loaded}))


def child_score(graph, k, eps, part_files):
    """Child mode: km1 / imbalance of partition files by Mt-KaHyPar's metrics."""
    import mtkahypar

    mtk = mtkahypar.initialize(1, False)
    context = mtk.context_from_preset(mtkahypar.PresetType.DEFAULT)
    context.set_partitioning_parameters(k, eps, mtkahypar.Objective.KM1)
    hypergraph = mtk.hypergraph_from_file(graph, context, mtkahypar.FileFormat.HMETIS)
    scores = []
    for part_file in part_files:
        partitioned = hypergraph.partitioned_hypergraph_from_file(context, k, part_file)
        weights = [partitioned.block_weight(b) for b in range(k)]
        scores.append(
            {"km1": partitioned.km1(), "imbalance": partitioned.imbalance(context), "empty": sum(w == 0 for w in weights)}
        )
    print(json.dumps(scores))


def build(args):
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "ix"], cwd=ROOT, check=True)
    if not args.no_synthetic:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "-p", "ix-shard", "--example", "synth_delta_graph"],
            cwd=ROOT,
            check=True,
        )


def synthetic_graph(args, workdir):
    path = Path(workdir) / f"synth_{args.synthetic_blocks}.hgr"
    generator = ROOT / "target/release/examples/synth_delta_graph"
    subprocess.run([str(generator), str(args.synthetic_blocks), "1", "--hgr", str(path)], check=True)
    return path


def compare(graph, args, workdir, run_mtk):
    name = Path(graph).name
    ix_part = Path(workdir) / f"{name}.ix.part"
    mtk_part = Path(workdir) / f"{name}.mtk.part"
    ix_cmd = [str(ROOT / "target/release/ix"), "shard", str(graph), "-n", str(args.k), "--balance", str(args.eps),
              "--part-out", str(ix_part), "-j", str(args.threads), "--quiet"]
    _, ix_wall, ix_rss = run_measured(ix_cmd)
    row = {"graph": name, "ix_wall": ix_wall, "ix_rss": ix_rss}
    mtk = None
    if run_mtk:
        mtk_cmd = [sys.executable, __file__, "--child-mtk", str(graph), str(args.k), str(args.eps),
                   str(args.threads), str(mtk_part)]
        mtk = run_measured(mtk_cmd, args.mtk_timeout)
    parts = [str(ix_part)] + ([str(mtk_part)] if mtk else [])
    scores_out, _, _ = run_measured([sys.executable, __file__, "--child-score", str(graph), str(args.k),
                                     str(args.eps), *parts])
    scores = json.loads(scores_out)
    row.update({"ix_km1": scores[0]["km1"], "ix_imb": scores[0]["imbalance"], "ix_empty": scores[0]["empty"]})
    if mtk:
        out, wall, rss = mtk
        inner = json.loads(out)
        row.update({"mtk_wall": wall, "mtk_partition_s": inner["partition_s"], "mtk_rss": rss,
                    "mtk_km1": scores[1]["km1"], "mtk_imb": scores[1]["imbalance"], "mtk_empty": scores[1]["empty"]})
    elif run_mtk:
        row["mtk_note"] = f"Mt-KaHyPar exceeded --mtk-timeout {args.mtk_timeout} s"
    else:
        row["mtk_note"] = "Mt-KaHyPar not run (pass --mtk-synthetic)"
    return row


def print_table(rows, args):
    print(f"\nk = {args.k}, eps = {args.eps}, threads = {args.threads}; wall = whole process (load + partition + "
          "write), RSS = peak of the process; km1/imbalance scored by Mt-KaHyPar for both.\n")
    header = ("| graph | ix km1 | Mt-KaHyPar km1 | km1 ratio | ix imb | Mt-K imb | ix wall s | Mt-K wall s | "
              "time ratio | ix RSS MB | Mt-K RSS MB | RSS ratio |")
    print(header)
    print("|" + "---|" * 12)
    for r in rows:
        if "mtk_km1" in r:
            print(f"| {r['graph']} | {r['ix_km1']:,} | {r['mtk_km1']:,} | {r['ix_km1'] / max(r['mtk_km1'], 1):.3f} | "
                  f"{r['ix_imb']:.4f} | {r['mtk_imb']:.4f} | {r['ix_wall']:.2f} | {r['mtk_wall']:.2f} | "
                  f"{r['ix_wall'] / r['mtk_wall']:.2f} | {r['ix_rss'] / 2**20:.0f} | {r['mtk_rss'] / 2**20:.0f} | "
                  f"{r['ix_rss'] / r['mtk_rss']:.2f} |")
        else:
            print(f"| {r['graph']} | {r['ix_km1']:,} | – | – | {r['ix_imb']:.4f} | – | {r['ix_wall']:.2f} | – | – | "
                  f"{r['ix_rss'] / 2**20:.0f} | – | – |  ({r['mtk_note']})")
        if r.get("ix_empty") or r.get("mtk_empty"):
            print(f"  empty parts: ix {r.get('ix_empty')}, Mt-KaHyPar {r.get('mtk_empty')}")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child-mtk":
        graph, k, eps, threads, out = sys.argv[2:7]
        return child_mtkahypar(graph, int(k), float(eps), int(threads), out)
    if len(sys.argv) > 1 and sys.argv[1] == "--child-score":
        graph, k, eps, *parts = sys.argv[2:]
        return child_score(graph, int(k), float(eps), parts)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--eps", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--graphs", nargs="*", default=sorted(str(p) for p in (ROOT / "bench/hypergraphs").glob("*.hgr")))
    parser.add_argument("--no-synthetic", action="store_true", help="skip the mathlib-scale synthetic graph")
    parser.add_argument("--synthetic-blocks", type=int, default=631_000)
    parser.add_argument("--mtk-synthetic", action="store_true", help="also run Mt-KaHyPar on the synthetic graph (~300 s)")
    parser.add_argument("--mtk-timeout", type=float, default=None, help="give up on a Mt-KaHyPar run after S seconds")
    parser.add_argument("--json", help="also write the rows as JSON to this file")
    args = parser.parse_args()
    ensure_mtkahypar()
    build(args)
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for graph in args.graphs:
            rows.append(compare(graph, args, workdir, run_mtk=True))
            print(json.dumps(rows[-1]), file=sys.stderr)
        if not args.no_synthetic:
            graph = synthetic_graph(args, workdir)
            rows.append(compare(graph, args, workdir, run_mtk=args.mtk_synthetic))
            print(json.dumps(rows[-1]), file=sys.stderr)
    print_table(rows, args)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
