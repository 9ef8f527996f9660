"""p50/p99 of admitted (successful) :predict requests between two Prometheus scrapes, from the server's own
seqserve_request_duration_seconds histogram (queueing and inference, measured where the request is admitted).
Usage: histogram.py before.txt after.txt model"""
import re
import sys

def buckets(path, model):
    out = {}
    pattern = re.compile(r'^seqserve_request_duration_seconds_bucket\{([^}]*)\} (\S+)$')
    for line in open(path):
        m = pattern.match(line.strip())
        if not m:
            continue
        labels = dict(kv.split('=', 1) for kv in re.findall(r'(\w+="[^"]*")', m.group(1)))
        labels = {k: v.strip('"') for k, v in labels.items()}
        if labels.get('model') == model and labels.get('outcome') == 'success' and labels.get('api') == 'tfserving':
            le = float('inf') if labels['le'] == '+Inf' else float(labels['le'])
            out[le] = out.get(le, 0) + float(m.group(2))
    return out

before, after = buckets(sys.argv[1], sys.argv[3]), buckets(sys.argv[2], sys.argv[3])
delta = sorted((le, after[le] - before.get(le, 0)) for le in after)
total = delta[-1][1] if delta else 0

def quantile(q):
    for le, count in delta:
        if count >= q * total:
            return le
    return float('nan')

print("admitted (200) requests: %d, p50 <= %.2f ms, p99 <= %.2f ms (histogram bucket bounds)"
      % (total, quantile(0.5) * 1000, quantile(0.99) * 1000))
