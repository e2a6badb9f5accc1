#include "debug_parse.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace ws::cli {

const char kDebugHelp[] =
    "commands (gdb-like; abbreviations in brackets):\n"
    "  break FUNC|FILE:LINE|*OFFSET [if COND]   set a breakpoint [b]\n"
    "      FUNC: a name or a function index; COND: LOCAL OP NUMBER, OP one of == != < <= > >=\n"
    "  delete [N...]       delete breakpoints/watchpoints (all without N) [d]\n"
    "  disable N... | enable N...\n"
    "  run                 start the program (from the beginning if it already ran) [r]\n"
    "  continue            run to the next stop [c]\n"
    "  step [N]            next source line, entering calls [s]\n"
    "  next [N]            next source line, stepping over calls [n]\n"
    "  stepi [N] | nexti [N]   one instruction, entering / stepping over calls [si, ni]\n"
    "  finish              run until the selected function returns [fin]\n"
    "  bt                  the call stack [backtrace, where]\n"
    "  frame [N] | up [N] | down [N]   select a frame [f]\n"
    "  locals              the selected frame's locals [info locals]\n"
    "  print EXPR          a local, a global ($name), or a C expression [p]\n"
    "  set var NAME = VALUE    change a local, a global or a C variable\n"
    "  x/NFU ADDR          examine memory: N units, F in x d u c s, U in b h w g\n"
    "  watch ADDR LEN      stop when the program writes memory in [ADDR, ADDR+LEN)\n"
    "  info breakpoints | info globals\n"
    "  dump FILE           write a coredump of the current state\n"
    "  restart             a fresh instance, breakpoints kept; stopped before the start\n"
    "  echo TEXT           print TEXT (marks a script's output)\n"
    "  quit                leave [q]\n";

namespace {

using Kind = DebugCommandKind;

Error error(const std::string& message) {
  Error e;
  e.message = message;
  return e;
}

std::string trim(const std::string& s) {
  size_t begin = 0, end = s.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) begin++;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) end--;
  return s.substr(begin, end - begin);
}

// Splits off the first word; `rest` is what follows, trimmed.
std::string first_word(const std::string& s, std::string* rest) {
  size_t end = 0;
  while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end]))) end++;
  *rest = trim(s.substr(end));
  return s.substr(0, end);
}

std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string rest = trim(s);
  while (!rest.empty()) {
    std::string line = rest;
    out.push_back(first_word(line, &rest));
  }
  return out;
}

bool is_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

Result<uint64_t> number_arg(const std::string& command, const std::string& text) {
  uint64_t n = 0;
  if (!parse_unsigned(text, &n)) return error(command + ": bad number '" + text + "'");
  return n;
}

// "step", "step 3": an optional repeat count, at least 1.
Result<uint64_t> count_arg(const std::string& command, const std::string& rest) {
  if (rest.empty()) return uint64_t(1);
  auto args = words(rest);
  if (args.size() > 1) return error(command + ": too many arguments");
  auto n = number_arg(command, args[0]);
  if (n && *n == 0) return error(command + ": the count must be at least 1");
  return n;
}

Result<std::vector<int>> id_list(const std::string& command, const std::string& rest, bool required) {
  std::vector<int> ids;
  for (const std::string& w : words(rest)) {
    uint64_t n = 0;
    if (!parse_unsigned(w, &n) || n == 0 || n > 0x7fffffff) {
      return error(command + ": bad breakpoint number '" + w + "'");
    }
    ids.push_back(int(n));
  }
  if (required && ids.empty()) return error(command + ": which breakpoint? (a number, see 'info breakpoints')");
  return ids;
}

Result<DebugCommand> parse_break(const std::string& rest) {
  DebugCommand c;
  c.kind = Kind::Break;
  std::string spec_text;
  std::string tail;
  spec_text = first_word(rest, &tail);
  if (spec_text.empty()) return error("break: where? (FUNC, FILE:LINE or *OFFSET)");
  if (!tail.empty()) {
    std::string condition;
    if (first_word(tail, &condition) != "if") return error("break: expected 'if CONDITION' after '" + spec_text + "'");
    if (condition.empty()) return error("break: 'if' needs a condition, e.g. 'n == 3'");
    c.breakpoint.condition = condition;
  }
  debug::BreakpointSpec& spec = c.breakpoint;
  size_t colon = spec_text.rfind(':');
  if (spec_text[0] == '*') {
    uint64_t offset = 0;
    std::string number = spec_text.substr(1);
    if (!parse_unsigned(number, &offset) || offset > UINT32_MAX) {
      return error("break: bad offset '" + number + "'");
    }
    spec.kind = debug::BreakpointSpec::Offset;
    spec.offset = uint32_t(offset);
  } else if (colon != std::string::npos) {
    std::string file = spec_text.substr(0, colon), line = spec_text.substr(colon + 1);
    uint64_t n = 0;
    if (file.empty() || !is_digits(line) || !parse_unsigned(line, &n) || n == 0 || n > UINT32_MAX) {
      return error("break: bad location '" + spec_text + "' (expected FILE:LINE)");
    }
    spec.kind = debug::BreakpointSpec::Line;
    spec.file = file;
    spec.line = uint32_t(n);
  } else {
    spec.kind = debug::BreakpointSpec::Function;
    spec.function = spec_text;
  }
  return c;
}

// "x/4xw ADDR", "x/s ADDR", "x ADDR".
Result<DebugCommand> parse_examine(const std::string& word, const std::string& rest) {
  DebugCommand c;
  c.kind = Kind::Examine;
  std::string letters;
  std::string address = rest;
  if (word.size() > 1) {
    if (word[1] != '/') return error("unknown command '" + word + "' (try 'help')");
    std::string format = word.substr(2);
    size_t digits = 0;
    while (digits < format.size() && std::isdigit(static_cast<unsigned char>(format[digits]))) digits++;
    if (digits > 0) {
      auto n = number_arg("x", format.substr(0, digits));
      if (!n) return n.error();
      if (*n == 0) return error("x: the count must be at least 1");
      c.examine.count = *n;
    }
    letters = format.substr(digits);
  }
  for (char l : letters) {
    switch (l) {
      case 'x': case 'd': case 'u': case 'c': case 's':
        c.examine.format = l;
        break;
      case 'b': c.examine.unit = 1; break;
      case 'h': c.examine.unit = 2; break;
      case 'w': c.examine.unit = 4; break;
      case 'g': c.examine.unit = 8; break;
      default:
        return error(std::string("x: unknown format letter '") + l + "' (formats x d u c s, sizes b h w g)");
    }
  }
  // Characters and strings are bytes unless a size says otherwise.
  bool sized = letters.find_first_of("bhwg") != std::string::npos;
  if ((c.examine.format == 'c' || c.examine.format == 's') && !sized) c.examine.unit = 1;
  if (c.examine.format == 's' && c.examine.unit != 1) return error("x/s: strings are bytes (use x/s or x/sb)");
  if (address.empty()) return error("x: which address?");
  c.expression = address;
  return c;
}

Result<DebugCommand> parse_set(const std::string& rest) {
  std::string assignment;
  std::string sub = first_word(rest, &assignment);
  if (sub != "var" && sub != "variable") return error("set: only 'set var NAME = VALUE' is supported");
  size_t eq = assignment.find('=');
  // "==" is a comparison, not an assignment.
  if (eq == std::string::npos || (eq + 1 < assignment.size() && assignment[eq + 1] == '=')) {
    return error("set var: expected NAME = VALUE");
  }
  DebugCommand c;
  c.kind = Kind::SetVariable;
  c.expression = trim(assignment.substr(0, eq));
  c.value = trim(assignment.substr(eq + 1));
  if (c.expression.empty() || c.value.empty()) return error("set var: expected NAME = VALUE");
  return c;
}

Result<DebugCommand> parse_info(const std::string& rest) {
  std::string tail;
  std::string what = first_word(rest, &tail);
  DebugCommand c;
  if (what == "breakpoints" || what == "break" || what == "b" || what == "watchpoints") {
    c.kind = Kind::InfoBreakpoints;
  } else if (what == "globals" || what == "variables") {
    c.kind = Kind::InfoGlobals;
  } else if (what == "locals") {
    c.kind = Kind::Locals;
  } else if (what == "frame") {
    c.kind = Kind::Frame;
  } else {
    return error("info: expected 'breakpoints', 'globals' or 'locals'" +
                 (what.empty() ? std::string() : ", not '" + what + "'"));
  }
  if (!tail.empty()) return error("info " + what + ": too many arguments");
  return c;
}

Result<DebugCommand> no_arguments(Kind kind, const std::string& word, const std::string& rest) {
  if (!rest.empty()) return error(word + ": takes no arguments");
  DebugCommand c;
  c.kind = kind;
  return c;
}

Result<DebugCommand> with_count(Kind kind, const std::string& word, const std::string& rest) {
  auto n = count_arg(word, rest);
  if (!n) return n.error();
  DebugCommand c;
  c.kind = kind;
  c.count = *n;
  return c;
}

}  // namespace

bool parse_unsigned(const std::string& text, uint64_t* out) {
  if (text.empty()) return false;
  int base = 10;
  std::string digits = text;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    digits = text.substr(2);
  }
  for (char c : digits) {
    if (!(base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) : std::isdigit(static_cast<unsigned char>(c)))) {
      return false;
    }
  }
  errno = 0;
  char* end = nullptr;
  unsigned long long v = std::strtoull(digits.c_str(), &end, base);
  if (errno != 0 || *end != '\0') return false;
  *out = v;
  return true;
}

Result<DebugCommand> parse_debug_command(const std::string& line) {
  std::string text = trim(line);
  if (text.empty() || text[0] == '#') return DebugCommand{};
  std::string rest;
  std::string word = first_word(text, &rest);
  // gdb glues x's format to its name: "x/4xw".
  if (word == "x" || word.rfind("x/", 0) == 0) return parse_examine(word, rest);
  if (word == "break" || word == "b" || word == "br") return parse_break(rest);
  if (word == "delete" || word == "d") {
    auto ids = id_list(word, rest, false);
    if (!ids) return ids.error();
    DebugCommand c;
    c.kind = Kind::Delete;
    c.ids = *ids;
    return c;
  }
  if (word == "disable" || word == "enable") {
    auto ids = id_list(word, rest, true);
    if (!ids) return ids.error();
    DebugCommand c;
    c.kind = word == "disable" ? Kind::Disable : Kind::Enable;
    c.ids = *ids;
    return c;
  }
  if (word == "run" || word == "r") return no_arguments(Kind::Run, word, rest);
  if (word == "continue" || word == "c" || word == "cont") return no_arguments(Kind::Continue, word, rest);
  if (word == "step" || word == "s") return with_count(Kind::Step, word, rest);
  if (word == "next" || word == "n") return with_count(Kind::Next, word, rest);
  if (word == "stepi" || word == "si") return with_count(Kind::StepInstruction, word, rest);
  if (word == "nexti" || word == "ni") return with_count(Kind::NextInstruction, word, rest);
  if (word == "finish" || word == "fin") return no_arguments(Kind::Finish, word, rest);
  if (word == "bt" || word == "backtrace" || word == "where") return no_arguments(Kind::Backtrace, word, rest);
  if (word == "up") return with_count(Kind::Up, word, rest);
  if (word == "down") return with_count(Kind::Down, word, rest);
  if (word == "frame" || word == "f") {
    DebugCommand c;
    c.kind = Kind::Frame;
    if (!rest.empty()) {
      auto args = words(rest);
      if (args.size() > 1) return error(word + ": too many arguments");
      auto n = number_arg(word, args[0]);
      if (!n) return n.error();
      c.number = *n;
    }
    return c;
  }
  if (word == "locals") return no_arguments(Kind::Locals, word, rest);
  if (word == "print" || word == "p") {
    if (rest.empty()) return error(word + ": what? (a local, a global or a C expression)");
    DebugCommand c;
    c.kind = Kind::Print;
    c.expression = rest;
    return c;
  }
  if (word == "set") return parse_set(rest);
  if (word == "watch") {
    auto args = words(rest);
    if (args.size() != 2) return error("watch: expected ADDR LEN");
    auto length = number_arg("watch", args[1]);
    if (!length) return length.error();
    if (*length == 0 || *length > UINT32_MAX) return error("watch: LEN must be between 1 and 4294967295");
    DebugCommand c;
    c.kind = Kind::Watch;
    c.expression = args[0];
    c.length = *length;
    return c;
  }
  if (word == "info" || word == "i") return parse_info(rest);
  if (word == "dump") {
    if (rest.empty()) return error("dump: which file?");
    DebugCommand c;
    c.kind = Kind::Dump;
    c.path = rest;
    return c;
  }
  if (word == "restart") return no_arguments(Kind::Restart, word, rest);
  if (word == "quit" || word == "q" || word == "exit") return no_arguments(Kind::Quit, word, rest);
  if (word == "echo") {
    DebugCommand c;
    c.kind = Kind::Echo;
    c.text = rest;
    return c;
  }
  if (word == "help" || word == "h") {
    DebugCommand c;
    c.kind = Kind::Help;
    return c;
  }
  return error("unknown command '" + word + "' (try 'help')");
}

}  // namespace ws::cli
