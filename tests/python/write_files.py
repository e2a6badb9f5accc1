# Writes under the directory given as argv[1] (a --dir mount): reads a file the
# test made, creates a folder, writes text and binary files, renames, lists.
import os
import sys

root = sys.argv[1]
with open(os.path.join(root, "input.txt")) as f:
    lines = f.read().splitlines()

out = os.path.join(root, "out")
os.mkdir(out)
with open(os.path.join(out, "lines.txt"), "w") as f:
    f.write(f"{len(lines)} lines, last: {lines[-1]}\n")
with open(os.path.join(out, "temporary.bin"), "wb") as f:
    f.write(bytes([0, 1, 254, 255]))
os.rename(os.path.join(out, "temporary.bin"), os.path.join(out, "renamed.bin"))
print("listing:", " ".join(sorted(os.listdir(root))))
