// The CLI's side of a suspended guest (Thread::run returned Suspended): sleep
// in poll(2) until what the guest waits for can happen (input on stdin, one
// of its TCP sockets, its next timer deadline), so a waiting guest costs no
// CPU. Also the stdin source that never blocks.
#pragma once
#include "vm/wasi/wasi.h"

namespace ws::cli {

// Returns false when the hint names nothing that could ever wake the guest.
bool wait_for_guest(const wasi::WaitHint& hint);

// Reads what the CLI's stdin has now: a count, 0 at end of input, or nullopt
// when nothing is available yet (the guest then suspends). The node build
// (Emscripten) cannot poll its stdin and reads it blocking.
wasi::InputSource nonblocking_stdin();

}  // namespace ws::cli
