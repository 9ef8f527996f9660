#!/usr/bin/env python3
"""100 series x horizon 24 in one :forecast request against 100 single-series requests, on a running seqserve.

Standard library only. Forward passes per request come from the server's own metric
seqserve_forecast_forward_passes (sum/count deltas over the measured requests), not from the client.
Usage: forecast_bench.py [--url http://127.0.0.1:18123] [--model sunspots-lstm] [--rounds 10]
"""
import argparse
import csv
import json
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

SUNSPOTS = Path(__file__).resolve().parents[2] / "src/test/resources/shared-models/datasets/sunspots.csv"


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 200, response.status
        return json.load(response)


def passes(url, model):
    """(sum, count) of seqserve_forecast_forward_passes for model/forecast, and the engine passes the model's
    worker pool ran (seqserve_batch_size_count; concurrent requests may share one)."""
    text = urllib.request.urlopen(url + "/actuator/prometheus").read().decode()
    values = {"engine": 0.0}
    for line in text.splitlines():
        if f'model="{model}"' not in line:
            continue
        if line.startswith("seqserve_forecast_forward_passes_") and 'operation="forecast"' in line:
            values[line.split("{")[0].rsplit("_", 1)[1]] = float(line.rsplit(" ", 1)[1])
        elif line.startswith("seqserve_batch_size_count{"):
            values["engine"] += float(line.rsplit(" ", 1)[1])
    return values.get("sum", 0.0), values.get("count", 0.0), values["engine"]


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:18123")
    parser.add_argument("--model", default="sunspots-lstm")
    parser.add_argument("--series", type=int, default=100)
    parser.add_argument("--horizon", type=int, default=24)
    parser.add_argument("--history", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=8, help="threads for the concurrent single-series run")
    args = parser.parse_args()

    values = [float(r["SUNACTIVITY"]) for r in csv.DictReader(open(SUNSPOTS))]
    series = [{"id": f"s{i}", "values": values[(i * 2) % (len(values) - args.history):][:args.history]}
              for i in range(args.series)]
    endpoint = f"{args.url}/v1/models/{args.model}:forecast"
    batched = {"series": series, "horizon": args.horizon}
    singles = [{"series": [s], "horizon": args.horizon} for s in series]

    for _ in range(3):  # warm-up: JIT, engine caches
        post(endpoint, batched)
        for body in singles[:10]:
            post(endpoint, body)

    sum0, count0, engine0 = passes(args.url, args.model)
    one_request = [timed(lambda: post(endpoint, batched)) for _ in range(args.rounds)]
    sum1, count1, engine1 = passes(args.url, args.model)
    sequential = [timed(lambda: [post(endpoint, body) for body in singles]) for _ in range(args.rounds)]
    sum2, count2, engine2 = passes(args.url, args.model)
    with ThreadPoolExecutor(args.clients) as pool:
        concurrent = [timed(lambda: list(pool.map(lambda body: post(endpoint, body), singles))) for _ in range(args.rounds)]
    _, _, engine3 = passes(args.url, args.model)

    ms = lambda xs: f"median {statistics.median(xs) * 1000:.1f} ms (min {min(xs) * 1000:.1f}, max {max(xs) * 1000:.1f})"
    print(f"model {args.model}: {args.series} series x horizon {args.horizon}, history {args.history}, {args.rounds} rounds")
    print(f"  one request, all series:      {ms(one_request)}; forward passes per request "
          f"{(sum1 - sum0) / (count1 - count0):.1f} (engine ran {(engine1 - engine0) / args.rounds:.1f})")
    print(f"  {args.series} requests, one client:     {ms(sequential)}; forward passes per request "
          f"{(sum2 - sum1) / (count2 - count1):.1f}, per {args.series} requests {(sum2 - sum1) / args.rounds:.0f} "
          f"(engine ran {(engine2 - engine1) / args.rounds:.0f})")
    print(f"  {args.series} requests, {args.clients} clients:    {ms(concurrent)}; engine ran "
          f"{(engine3 - engine2) / args.rounds:.0f} passes per {args.series} requests (dynamic batching merges some)")
    print(f"  speed-up of one request: {statistics.median(sequential) / statistics.median(one_request):.1f}x vs one client, "
          f"{statistics.median(concurrent) / statistics.median(one_request):.1f}x vs {args.clients} clients")


if __name__ == "__main__":
    main()
