# A CPython workload for bench/run: dict building and lookups, json round
# trips, regular expressions and string formatting over a generated log.
# Prints a checksum that is the same on every runtime.
#   python.wasm bench/python_workload.py [ROUNDS]
import json
import re
import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
LOG_LINE = re.compile(r"(\d+)-(\d+) (GET|PUT|POST) /(\w+)/(\d+) (\d{3}) (\d+)ms")


def make_log(seed, n):
    lines = []
    x = seed
    verbs = ("GET", "PUT", "POST")
    paths = ("users", "items", "orders", "carts", "search")
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        lines.append(f"{i}-{x % 97} {verbs[x % 3]} /{paths[x % 5]}/{x % 1000} "
                     f"{(200, 201, 404, 500)[x % 4]} {x % 350}ms")
    return "\n".join(lines)


def one_round(seed):
    stats = {}
    words = {}
    for m in LOG_LINE.finditer(make_log(seed, 3000)):
        key = (m.group(3), m.group(4))
        entry = stats.setdefault(key, {"count": 0, "ms": 0, "errors": 0})
        entry["count"] += 1
        entry["ms"] += int(m.group(7))
        entry["errors"] += m.group(6) >= "500"
        word = m.group(4).upper()[::-1] + m.group(5)
        words[word] = words.get(word, 0) + 1
    report = [{"verb": v, "path": p, **s} for (v, p), s in sorted(stats.items())]
    text = json.dumps({"seed": seed, "report": report, "top": sorted(words.items())[:50]})
    back = json.loads(text)
    total = sum(r["ms"] * r["count"] for r in back["report"]) + len(words)
    return total + len(text.replace("a", "").split(","))


checksum = 0
for r in range(rounds):
    checksum = (checksum * 31 + one_round(r + 1)) % 1000000007
print("checksum", checksum)
