# One line per stdlib module the Python tests require, each computed by that
# module (C accelerators included: _json, _sre, _decimal, _sha256, zlib).
import collections
import decimal
import hashlib
import json
import re
import zlib

print("json", json.dumps({"a": [1, 2.5, None], "b": "\u00e9"}))
print("re 2024-05-17 ->", re.sub(r"(\d{4})-(\d\d)-(\d\d)", r"\3/\2/\1", "2024-05-17"))
print("collections", collections.Counter("babab").most_common())
print("decimal", decimal.Decimal(1) / decimal.Decimal(7))
print("hashlib", hashlib.sha256(b"abc").hexdigest())
data = b"wasm " * 200
packed = zlib.compress(data, 9)
print("zlib", len(data), "->", len(packed), "->", zlib.decompress(packed) == data)
