#!/usr/bin/env python3
"""ix shard against Mt-KaHyPar (default and highest_quality) and KaHyPar, side by side.

For every selected (graph, k, seed) cell this runs, each in its own child
process (wall time of the whole process and its peak RSS, taken with wait4):

  * ix:       `ix shard GRAPH -n K --balance EPS --seed S -j THREADS --part-out P`
  * mtk:      Mt-KaHyPar 1.x (PyPI `mtkahypar`), preset DEFAULT, km1, THREADS threads
  * mtk-hq:   Mt-KaHyPar, preset HIGHEST_QUALITY (n-level with flows)
  * kahypar:  KaHyPar (PyPI `kahypar`, sequential), `km1_kKaHyPar_sea20.ini`

then scores every partition with Mt-KaHyPar's own km1 and imbalance, and
prints per cell and per k the ratios ix / peer of km1, wall time and RSS,
with geometric means. A run that exceeds --timeout is reported as such and
left out of the ratios (KaHyPar takes minutes on the larger graphs).

Results go to a JSON-lines file as they finish (--results), so a long grid
can be run in pieces: cells already in the file for the same ix binary hash
are not run again (pass --rerun to run them anyway), and --table-only prints
the tables from the file.

Graphs default to ../shared/data/hypergraphs (all bundled .hgr files) when it
exists, else bench/hypergraphs. A graph with repeated pins in a net (ix and
Mt-KaHyPar drop them with a warning) is partitioned by every tool from a copy
without the repeats, so that KaHyPar and the scorer see the same nets. --synthetic BLOCKS adds an `ixesp::synth`
delta-unfold graph of that many blocks.

Usage: bench/partitioner/compare.py [--graphs G.hgr ...] [--k 2 8 64 256]
       [--seeds 0 1 2 3] [--tools ix mtk mtk-hq kahypar] [--eps 0.05]
       [--threads 2] [--timeout 600] [--results FILE] [--table-only]
       [--synthetic BLOCKS] [--no-build] [--ix PATH [--ix-example]] [--reuse-peers]
"""

import argparse
import hashlib
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED_GRAPHS = ROOT.parent / "shared/data/hypergraphs"
KAHYPAR_CONFIG = ROOT.parent / "shared/data/kahypar-config/km1_kKaHyPar_sea20.ini"
PEERS = ["mtk", "mtk-hq", "kahypar"]


def run_measured(cmd, timeout):
    """Runs cmd; returns (stdout, wall s, peak RSS bytes), or None on timeout."""
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


def child_mtkahypar(preset, graph, k, eps, seed, threads, part_out):
    import mtkahypar

    mtk = mtkahypar.initialize(threads)
    mtkahypar.set_seed(seed)
    context = mtk.context_from_preset(getattr(mtkahypar.PresetType, preset))
    context.set_partitioning_parameters(k, eps, mtkahypar.Objective.KM1)
    context.logging = False
    hypergraph = mtk.hypergraph_from_file(graph, context, mtkahypar.FileFormat.HMETIS)
    hypergraph.partition(context).write_partition_to_file(part_out)


def child_kahypar(graph, k, eps, seed, part_out):
    import kahypar

    hypergraph = kahypar.createHypergraphFromFile(graph, k)
    context = kahypar.Context()
    context.loadINIconfiguration(str(KAHYPAR_CONFIG))
    context.setK(k)
    context.setEpsilon(eps)
    context.setSeed(seed)
    context.suppressOutput(True)
    kahypar.partition(hypergraph, context)
    Path(part_out).write_text("".join(f"{hypergraph.blockID(v)}\n" for v in range(hypergraph.numNodes())))


def child_score(graph, k, eps, part_files):
    """km1, imbalance and empty parts of partition files, by Mt-KaHyPar's metrics."""
    import mtkahypar

    mtk = mtkahypar.initialize(1, False)
    context = mtk.context_from_preset(mtkahypar.PresetType.DEFAULT)
    context.set_partitioning_parameters(k, eps, mtkahypar.Objective.KM1)
    hypergraph = mtk.hypergraph_from_file(graph, context, mtkahypar.FileFormat.HMETIS)
    scores = []
    for part_file in part_files:
        partitioned = hypergraph.partitioned_hypergraph_from_file(context, k, part_file)
        empty = sum(partitioned.block_weight(b) == 0 for b in range(k))
        scores.append({"km1": partitioned.km1(), "imbalance": partitioned.imbalance(context), "empty": empty})
    print(json.dumps(scores))


def child_main(argv):
    mode, rest = argv[0], argv[1:]
    if mode == "--child-mtk":
        preset, graph, k, eps, seed, threads, out = rest
        child_mtkahypar(preset, graph, int(k), float(eps), int(seed), int(threads), out)
    elif mode == "--child-kahypar":
        graph, k, eps, seed, out = rest
        child_kahypar(graph, int(k), float(eps), int(seed), out)
    elif mode == "--child-score":
        graph, k, eps, *parts = rest
        child_score(graph, int(k), float(eps), parts)


def tool_command(tool, args, graph, k, seed, part):
    me = [sys.executable, __file__]
    if tool == "ix" and args.ix_example:
        return [str(args.ix), str(graph), str(k), str(args.eps), str(part), str(args.threads), str(seed)]
    if tool == "ix":
        return [str(args.ix), "shard", str(graph), "-n", str(k), "--balance", str(args.eps), "--seed", str(seed),
                "-j", str(args.threads), "--part-out", str(part), "--quiet"]
    if tool in ("mtk", "mtk-hq"):
        preset = "DEFAULT" if tool == "mtk" else "HIGHEST_QUALITY"
        return me + ["--child-mtk", preset, str(graph), str(k), str(args.eps), str(seed), str(args.threads), str(part)]
    return me + ["--child-kahypar", str(graph), str(k), str(args.eps), str(seed), str(part)]


def run_cell(args, graph, k, seed, tools, workdir, stored):
    """Runs the tools on one cell; returns {tool: result} with km1/imbalance/wall/rss or a timeout note.
    `stored` holds peer results to reuse instead of running the peer (see --reuse-peers)."""
    results, parts = {}, []
    for tool in tools:
        if tool in stored:
            results[tool] = dict(stored[tool], reused=True)
            continue
        part = Path(workdir) / f"{Path(graph).name}.{k}.{seed}.{tool}.part"
        measured = run_measured(tool_command(tool, args, graph, k, seed, part), args.timeout)
        if measured is None:
            results[tool] = {"timeout": args.timeout}
            continue
        _, wall, rss = measured
        results[tool] = {"wall": wall, "rss": rss}
        parts.append((tool, part))
    if parts:
        scored, _, _ = run_measured([sys.executable, __file__, "--child-score", str(graph), str(k), str(args.eps),
                                     *(str(p) for _, p in parts)], None)
        for (tool, _), score in zip(parts, json.loads(scored)):
            results[tool].update(score)
    return results


def without_duplicate_pins(graph, workdir):
    """The graph itself, or a copy without repeated pins within a net (ix and Mt-KaHyPar drop them), so that
    every tool partitions the same hypergraph."""
    lines = Path(graph).read_text().splitlines(keepends=True)
    body = [i for i, line in enumerate(lines) if not line.startswith("%")]
    header = lines[body[0]].split()
    nets, weighted = int(header[0]), len(header) > 2 and int(header[2]) % 10 == 1
    fixed = 0
    for i in body[1:nets + 1]:
        tokens = lines[i].split()
        weight, pins = (tokens[:1], tokens[1:]) if weighted else ([], tokens)
        unique = list(dict.fromkeys(pins))
        if len(unique) != len(pins):
            lines[i] = " ".join(weight + unique) + "\n"
            fixed += 1
    if not fixed:
        return Path(graph)
    copy = Path(workdir) / "dedup" / Path(graph).name
    copy.parent.mkdir(exist_ok=True)
    copy.write_text("".join(lines))
    print(f"{Path(graph).name}: {fixed} nets with repeated pins, all tools run on a copy without them",
          file=sys.stderr)
    return copy


def file_hash(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def stored_peers(previous, graph, k, seed, args):
    """The latest finished result of each peer on this cell (same eps and threads) in earlier runs."""
    stored = {}
    for row in previous:
        if (row["graph"], row["k"], row["seed"], row["eps"], row["threads"]) != (graph, k, seed, args.eps,
                                                                                 args.threads):
            continue
        for tool, result in row["results"].items():
            if tool != "ix" and "km1" in result:
                stored[tool] = {key: value for key, value in result.items() if key != "reused"}
    return stored


def load_results(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def record(done, row):
    """Adds a result row to `done`, merged with an earlier row of the same cell and ix binary (runs with
    different tools, e.g. a slow peer on its own, make one row; a tool's later result wins)."""
    key = (row["graph"], row["k"], row["seed"], row["ix_hash"], row["eps"])
    if key in done:
        row = dict(row, results={**done[key]["results"], **row["results"]})
    done[key] = row


def geomean(values):
    values = [v for v in values if v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def short(graph):
    return graph.replace(".hgr", "").replace("_atco_enc1_opt2_10_16.cnf.primal", "").replace(".graph", "")


def print_tables(rows, args):
    """Per (graph, k): ix km1 and its ratio to each peer (means over seeds); then geometric means."""
    peers = [p for p in PEERS if p in args.tools]
    print(f"\neps = {args.eps}, threads = {args.threads}; km1 and imbalance scored by Mt-KaHyPar for every tool; "
          "wall = whole process, RSS = its peak. Ratios are ix / peer: per cell the geometric mean over the seeds "
          "that both finished, then the geometric mean over cells. * = the peer's result was reused from an "
          "earlier run (--reuse-peers): its km1 is exact, its wall and RSS ratios were not measured side by side."
          "\n")
    cells = {}
    for row in rows:
        cells.setdefault((row["graph"], row["k"]), []).append(row)
    header = "| graph | k | seeds | ix km1 | ix imb | ix wall s |"
    for peer in peers:
        header += f" {peer} km1 | km1 × | wall × | RSS × |"
    print(header)
    print("|---|---:|---:|---:|---:|---:|" + "---:|---:|---:|---:|" * len(peers))
    summary = {peer: {"km1": [], "wall": [], "rss": [], "worst": (0, "")} for peer in peers}
    by_k = {}
    violations = []
    for (graph, k), seed_rows in sorted(cells.items(), key=lambda item: (item[0][1], item[0][0])):
        ix = [r["results"]["ix"] for r in seed_rows if "km1" in r["results"].get("ix", {})]
        if not ix:
            continue
        line = (f"| {short(graph)} | {k} | {len(seed_rows)} | {sum(r['km1'] for r in ix) / len(ix):,.0f} | "
                f"{max(r['imbalance'] for r in ix):.4f} | {sum(r['wall'] for r in ix) / len(ix):.2f} |")
        for row in seed_rows:
            for tool, result in row["results"].items():
                if "km1" in result and (result["imbalance"] > args.eps + 1e-9 or result["empty"]):
                    violations.append(f"{tool} {short(graph)} k={k} seed={row['seed']}: imbalance "
                                      f"{result['imbalance']:.4f}, {result['empty']} empty")
        for peer in peers:
            pairs = [(r["results"]["ix"], r["results"][peer]) for r in seed_rows
                     if "km1" in r["results"].get("ix", {}) and "km1" in r["results"].get(peer, {})]
            if not pairs:
                timed_out = any("timeout" in r["results"].get(peer, {}) for r in seed_rows)
                line += f" {'timeout' if timed_out else '–'} | – | – | – |"
                continue
            km1 = geomean([max(a["km1"], 1) / max(b["km1"], 1) for a, b in pairs])
            wall = geomean([a["wall"] / b["wall"] for a, b in pairs])
            rss = geomean([a["rss"] / b["rss"] for a, b in pairs])
            peer_km1 = sum(b["km1"] for _, b in pairs) / len(pairs)
            mark = "*" if any(b.get("reused") for _, b in pairs) else ""
            line += f" {peer_km1:,.0f} | {km1:.3f} | {wall:.2f}{mark} | {rss:.2f}{mark} |"
            s = summary[peer]
            s["km1"].append(km1)
            s["wall"].append(wall)
            s["rss"].append(rss)
            if km1 > s["worst"][0]:
                s["worst"] = (km1, f"{short(graph)} k={k}")
            by_k.setdefault((peer, k), []).append((km1, wall))
        print(line)
    print("\n| peer | cells | km1 × geomean | worst cell | wall × geomean | max wall × | RSS × geomean |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for peer in peers:
        s = summary[peer]
        if s["km1"]:
            print(f"| {peer} | {len(s['km1'])} | {geomean(s['km1']):.3f} | {s['worst'][0]:.3f} ({s['worst'][1]}) | "
                  f"{geomean(s['wall']):.2f} | {max(s['wall']):.2f} | {geomean(s['rss']):.2f} |")
    print("\n| peer | k | cells | km1 × geomean | wall × geomean |")
    print("|---|---:|---:|---:|---:|")
    for (peer, k), values in sorted(by_k.items(), key=lambda item: (PEERS.index(item[0][0]), item[0][1])):
        print(f"| {peer} | {k} | {len(values)} | {geomean([v[0] for v in values]):.3f} | "
              f"{geomean([v[1] for v in values]):.2f} |")
    print("\nimbalance > eps or empty parts: " + ("; ".join(violations) if violations else "none"))


def build(args):
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "ix"], cwd=ROOT, check=True)
    if args.synthetic:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "ix-shard", "--example",
                        "synth_delta_graph"], cwd=ROOT, check=True)


def synthetic_graph(blocks, workdir):
    path = Path(workdir) / f"synth_{blocks}.hgr"
    generator = ROOT / "target/release/examples/synth_delta_graph"
    subprocess.run([str(generator), str(blocks), "1", "--hgr", str(path)], check=True)
    return path


def main():
    if len(sys.argv) > 1 and sys.argv[1].startswith("--child-"):
        return child_main(sys.argv[1:])
    default_dir = SHARED_GRAPHS if SHARED_GRAPHS.is_dir() else ROOT / "bench/hypergraphs"
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--graphs", nargs="*", default=sorted(str(p) for p in default_dir.glob("*.hgr")))
    parser.add_argument("--k", type=int, nargs="+", default=[2, 8, 64, 256])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    parser.add_argument("--tools", nargs="+", default=["ix", "mtk", "mtk-hq", "kahypar"],
                        choices=["ix"] + PEERS)
    parser.add_argument("--eps", type=float, default=0.05)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600, help="give up on a run after S seconds")
    parser.add_argument("--results", type=Path, default=ROOT / "target/partitioner-compare.jsonl")
    parser.add_argument("--rerun", action="store_true", help="run cells already in --results again")
    parser.add_argument("--table-only", action="store_true", help="print the tables from --results, run nothing")
    parser.add_argument("--synthetic", type=int, help="add an ixesp::synth graph with this many blocks")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--reuse-peers", action="store_true",
                        help="take a peer's result for a cell from an earlier run (any ix binary) instead of running "
                             "it again, and in the tables where this binary's rows lack it; its wall ratio is then "
                             "not side by side (marked * in the table)")
    parser.add_argument("--ix", type=Path, default=ROOT / "target/release/ix")
    parser.add_argument("--ix-example", action="store_true",
                        help="--ix is ix-shard's partition_hgr example (the same command function as `ix shard`), "
                             "for a branch where only ix-shard is built; implies --no-build")
    args = parser.parse_args()
    if not args.table_only and not args.no_build and not args.ix_example:
        build(args)
    if not args.ix.is_file():
        # Its hash picks this binary's rows, so --table-only needs it too.
        parser.error(f"{args.ix}: no such ix binary (build it, or pass --ix PATH)")
    ix_hash = file_hash(args.ix)
    previous = load_results(args.results)
    with tempfile.TemporaryDirectory() as workdir:
        graphs = [Path(g) for g in args.graphs]
        if not args.table_only:
            graphs = [without_duplicate_pins(g, workdir) for g in graphs]
        if args.synthetic and not args.table_only:
            graphs.append(synthetic_graph(args.synthetic, workdir))
        names = {g.name for g in graphs}
        done = {}
        for r in previous:
            record(done, r)
        for k in args.k:
            for graph in graphs:
                for seed in args.seeds:
                    if args.table_only or (not args.rerun and (graph.name, k, seed, ix_hash, args.eps) in done):
                        continue
                    stored = stored_peers(previous, graph.name, k, seed, args) if args.reuse_peers else {}
                    results = run_cell(args, graph, k, seed, args.tools, workdir, stored)
                    row = {"graph": graph.name, "k": k, "seed": seed, "eps": args.eps, "threads": args.threads,
                           "ix_hash": ix_hash, "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "results": results}
                    record(done, row)
                    with open(args.results, "a") as out:
                        out.write(json.dumps(row) + "\n")
                    brief = ", ".join(f"{t} {r.get('km1', 'timeout')} ({r.get('wall', 0):.1f}s)"
                                      for t, r in results.items())
                    print(f"{graph.name} k={k} seed={seed}: {brief}", file=sys.stderr, flush=True)
    rows = [r for key, r in done.items() if key[0] in names and key[1] in args.k and key[2] in args.seeds
            and key[3] == ix_hash and key[4] == args.eps]
    if args.reuse_peers:
        # Peers that did not run with this ix binary (e.g. a slow peer run on its own, earlier or at the same
        # time) are taken from the latest results file.
        latest = load_results(args.results)
        for row in rows:
            stored = stored_peers(latest, row["graph"], row["k"], row["seed"], args)
            for tool in args.tools:
                if tool in stored and "km1" not in row["results"].get(tool, {}):
                    row["results"][tool] = dict(stored[tool], reused=True)
    print(f"ix binary sha256 {ix_hash}, {len(rows)} cells")
    print_tables(rows, args)


if __name__ == "__main__":
    main()
