# Echoes one TCP client through the listening socket that
# `wasmscope run --listen HOST:PORT` preopens, until the client's end of
# input, then says how many bytes it echoed.
#   echo_server.py FD
# FD is the socket's fd: 3 when there is no --dir, else the fd after the
# directories (wasi-libc stops scanning for preopened directories at the first
# fd that is not one, so the listeners come after them).
import socket
import sys

# The family is given: wasi-libc has no getsockname() for CPython to ask.
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM, fileno=int(sys.argv[1]))
conn, _ = server.accept()
total = 0
while True:
    data = conn.recv(4096)
    if not data:
        break
    conn.sendall(data)
    total += len(data)
conn.close()
print("echoed", total, "bytes")
