// The web build's h::dispatch: a switch on the handler number of the word at
// ip (set_handler, interp.h) whose cases tail-call each handler directly. In
// V8 a return_call_indirect costs about 6 ns, this about 2.5 ns.
#ifdef __EMSCRIPTEN__
#include <iterator>
#include <unordered_map>

#include "handlers_impl.h"

namespace ws {
namespace {
// A handler's number is its position in this array: the hot handlers first,
// so that their numbers are the cases of DISPATCH's own switch.
constexpr Handler kSwitched[] = {
    nullptr,
#define X(handler) h::handler,
    WS_HOT_HANDLERS(X)
#include "handlers_switched.inc"
#undef X
};
}  // namespace

uint32_t switch_number(Handler handler) {
  static const std::unordered_map<Handler, uint32_t> numbers = [] {
    std::unordered_map<Handler, uint32_t> m;
    for (uint32_t i = 1; i < std::size(kSwitched); i++) m.emplace(kSwitched[i], i);
    return m;
  }();
  auto it = numbers.find(handler);
  return it == numbers.end() ? 0 : it->second;
}

namespace h {
// Written only on the rare indirect path. Without a difference between the
// copies, wasm-opt would merge them into one function.
volatile int last_indirect_site;

template <int site>
HANDLER(dispatch) {
  constexpr int base = __COUNTER__;
  switch (uint32_t(ip->u >> 32)) {
#define X(handler) \
  case __COUNTER__ - base: [[clang::musttail]] return handler(ip, fp, mem, msize, ctx);
    WS_HOT_HANDLERS(X)
#include "handlers_switched.inc"
#undef X
    default:
      last_indirect_site = site;
      [[clang::musttail]] return ip->h(ip, fp, mem, msize, ctx);
  }
}

#define SITE(n) template HANDLER(dispatch<n>);
SITE(0) SITE(1) SITE(2) SITE(3) SITE(4) SITE(5) SITE(6) SITE(7)
SITE(8) SITE(9) SITE(10) SITE(11) SITE(12) SITE(13) SITE(14) SITE(15)
#undef SITE
static_assert(kDispatchSites == 16, "one SITE per copy");
}  // namespace h
}  // namespace ws
#endif
