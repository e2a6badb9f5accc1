#include "spec_runner.h"

#include <map>
#include <memory>

#include "load.h"
#include "spec_values.h"
#include "spectest_host.h"
#include "vm/decoder.h"
#include "vm/runtime.h"
#include "vm/text/wast.h"
#include "vm/validator.h"

namespace ws::cli {
namespace {

using text::Command;

// Each action may spend at most this many units (calls and loop
// iterations): far more than any spec test needs, so an interpreter bug
// that loops forever fails its assertion instead of hanging CI.
constexpr uint64_t kActionBudget = 100'000'000;
constexpr uint64_t kSliceBudget = 1u << 20;

// How far a module got before it was rejected.
enum class Stage { Parse, Decode, Validate, Link, Instantiate, Ready };

const char* stage_name(Stage s) {
  switch (s) {
    case Stage::Parse: return "text parsing";
    case Stage::Decode: return "decoding";
    case Stage::Validate: return "validation";
    case Stage::Link: return "linking";
    case Stage::Instantiate: return "instantiation";
    case Stage::Ready: return "none";
  }
  return "?";
}

struct Loaded {
  Stage stage = Stage::Ready;  // where it failed, or Ready
  std::string message;         // why it failed
  Instance* instance = nullptr;
};

struct Outcome {
  enum Kind { Returned, Trapped, Hung, Failed } kind = Failed;
  std::vector<Value> values;
  std::string message;  // trap message or why the action could not run
};

std::string describe(const text::Action& a) {
  std::string s = a.kind == text::Action::Get ? "(get " : "(invoke ";
  if (!a.module.empty()) s += a.module + " ";
  s += "\"" + a.field + "\"";
  for (const Value& v : a.args) s += " " + v.to_string();
  return s + ")";
}

const char* command_name(Command::Kind k) {
  switch (k) {
    case Command::Module: return "module";
    case Command::Register: return "register";
    case Command::ActionOnly: return "action";
    case Command::AssertReturn: return "assert_return";
    case Command::AssertTrap: return "assert_trap";
    case Command::AssertExhaustion: return "assert_exhaustion";
    case Command::AssertInvalid: return "assert_invalid";
    case Command::AssertMalformed: return "assert_malformed";
    case Command::AssertUnlinkable: return "assert_unlinkable";
    case Command::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "?";
}

bool is_module_assertion(const Command& c) {
  return !c.binary.empty() || !c.binary_valid || c.module_is_binary || c.module_is_text_quote;
}

class ScriptRunner {
 public:
  ScriptRunner(std::string name, const SpecOptions& options, std::FILE* out)
      : name_(std::move(name)), options_(options), out_(out) {
    registry_["spectest"] = make_spectest(store_, options.verbose);
  }

  void run(const std::vector<Command>& commands) {
    for (const Command& c : commands) run_command(c);
  }
  const SpecResult& result() const { return result_; }

 private:
  void pass() { result_.passed++; }
  // "file:line: command (action): what"; `action` may be empty.
  void fail(const Command& c, const std::string& what, const std::string& action = "") {
    result_.failed++;
    std::string command = command_name(c.kind);
    if (!action.empty()) command += " " + action;
    std::fprintf(out_, "%s:%d: %s: %s\n", name_.c_str(), c.line, command.c_str(), what.c_str());
  }
  // A rejection at the right stage: passes, noting a different message.
  void pass_rejection(const Command& c, const std::string& got) {
    pass();
    if (got.find(c.expected_message) != std::string::npos) return;
    result_.message_mismatches++;
    if (options_.verbose) {
      std::fprintf(out_, "%s:%d: %s: message differs: expected \"%s\", got \"%s\"\n", name_.c_str(), c.line,
                   command_name(c.kind), c.expected_message.c_str(), got.c_str());
    }
  }

  // ---- modules ----

  Loaded load(const Command& c, bool instantiate) {
    Loaded r;
    // The script parser already turned text (also `module quote`) into a
    // binary, or recorded why it could not.
    if (!c.binary_valid) return rejected(Stage::Parse, Error{c.parse_error, "", {}, {}, ""});
    std::vector<uint8_t> bytes = c.binary;
    auto module = decode_module(std::move(bytes));
    if (!module) return rejected(Stage::Decode, module.error());
    Status valid = validate_module(**module);
    // The validator also walks the instruction encoding, so some of its
    // errors are malformations (Error::malformed): that is the decode stage.
    if (!valid) return rejected(valid.error().malformed ? Stage::Decode : Stage::Validate, valid.error());
    if (!instantiate) return r;

    std::vector<Extern> imports;
    for (const Import& im : (*module)->imports) {
      auto m = registry_.find(im.module);
      auto e = m == registry_.end() ? nullptr : find(m->second, im.name);
      if (e == nullptr) {
        return rejected(Stage::Link, Error{"unknown import: " + im.module + "." + im.name, "import", {}, {}, ""});
      }
      imports.push_back(*e);
    }
    auto instance = store_.instantiate(*module, imports);
    if (!instance) return rejected(is_link_error(instance.error()) ? Stage::Link : Stage::Instantiate, instance.error());
    if (Function* start = (*instance)->start) {
      Outcome o = call(start, {});
      if (o.kind != Outcome::Returned) {
        r.stage = Stage::Instantiate;
        r.message = o.kind == Outcome::Trapped ? o.message : "start function: " + o.message;
        return r;
      }
    }
    r.instance = *instance;
    return r;
  }

  static Loaded rejected(Stage stage, const Error& e) {
    Loaded r;
    r.stage = stage;
    // Error::to_string adds where (section, offset); the message is what
    // the script's expected text is compared with.
    r.message = e.message;
    return r;
  }

  static const Extern* find(const ExternMap& m, const std::string& name) {
    auto it = m.find(name);
    return it == m.end() ? nullptr : &it->second;
  }

  // ---- actions ----

  Outcome call(Function* func, const std::vector<Value>& args) {
    Outcome o;
    Thread& thread = thread_;
    Status started = thread.start(func, args);
    if (!started) {
      o.message = started.error().to_string();
      return o;
    }
    uint64_t spent = 0;
    for (;;) {
      RunStatus status = thread.run(kSliceBudget);
      spent += thread.budget_used();
      switch (status) {
        case RunStatus::Finished:
          o.kind = Outcome::Returned;
          o.values = thread.results();
          return o;
        case RunStatus::Trapped:
          o.kind = Outcome::Trapped;
          o.message = thread.trap().message;
          return o;
        case RunStatus::OutOfBudget:
          if (spent < kActionBudget) continue;
          o.kind = Outcome::Hung;
          o.message = "still running after " + std::to_string(spent) + " budget units";
          return o;
        case RunStatus::Suspended:
          o.message = "suspended (no spec host function suspends)";
          return o;
        case RunStatus::Exited:
          o.message = "exited with status " + std::to_string(thread.exit_code());
          return o;
        case RunStatus::Breakpoint:
          o.message = "stopped at a breakpoint (the spec runner sets none)";
          return o;
      }
      o.message = "unknown run status";
      return o;
    }
  }

  Outcome perform(const text::Action& a) {
    Outcome o;
    Instance* instance = current_;
    if (!a.module.empty()) {
      auto it = named_.find(a.module);
      instance = it == named_.end() ? nullptr : it->second;
    }
    if (instance == nullptr) {
      o.message = a.module.empty() ? "no module defined" : "unknown module " + a.module;
      return o;
    }
    const Extern* e = instance->find_export(a.field);
    if (a.kind == text::Action::Get) {
      if (e == nullptr || e->kind != ExternKind::Global) {
        o.message = "no global exported as \"" + a.field + "\"";
        return o;
      }
      o.kind = Outcome::Returned;
      o.values.push_back(e->global()->value);
      return o;
    }
    if (e == nullptr || e->kind != ExternKind::Func) {
      o.message = "no function exported as \"" + a.field + "\"";
      return o;
    }
    return call(e->func(), a.args);
  }

  static std::string describe_outcome(const Outcome& o) {
    switch (o.kind) {
      case Outcome::Returned: return "returned " + format_values(o.values);
      case Outcome::Trapped: return "trapped \"" + o.message + "\"";
      case Outcome::Hung: return o.message;
      case Outcome::Failed: return "could not run: " + o.message;
    }
    return "?";
  }

  // ---- commands ----

  void run_command(const Command& c) {
    switch (c.kind) {
      case Command::Module: return define_module(c);
      case Command::Register: return register_module(c);
      case Command::ActionOnly: {
        Outcome o = perform(c.action);
        if (o.kind != Outcome::Returned) fail(c, describe_outcome(o), describe(c.action));
        return;
      }
      case Command::AssertReturn: {
        Outcome o = perform(c.action);
        if (o.kind == Outcome::Returned && matches_all(c.expected, o.values)) return pass();
        return fail(c, "expected " + format_expected(c.expected) + ", got " + describe_outcome(o),
                    describe(c.action));
      }
      case Command::AssertTrap:
        if (is_module_assertion(c)) return expect_rejection(c, Stage::Instantiate);
        [[fallthrough]];
      case Command::AssertExhaustion: {
        Outcome o = perform(c.action);
        if (o.kind == Outcome::Trapped && o.message.find(c.expected_message) != std::string::npos) return pass();
        return fail(c, "expected trap \"" + c.expected_message + "\", got " + describe_outcome(o),
                    describe(c.action));
      }
      case Command::AssertInvalid: return expect_rejection(c, Stage::Validate);
      case Command::AssertMalformed: return expect_rejection(c, Stage::Decode);
      case Command::AssertUnlinkable: return expect_rejection(c, Stage::Link);
      case Command::AssertUninstantiable: return expect_rejection(c, Stage::Instantiate);
    }
  }

  void define_module(const Command& c) {
    Loaded r = load(c, true);
    current_ = r.instance;  // a module that failed leaves no current module
    if (!c.module_name.empty()) named_[c.module_name] = r.instance;
    if (r.instance == nullptr) fail(c, std::string("module rejected in ") + stage_name(r.stage) + ": " + r.message);
  }

  void register_module(const Command& c) {
    Instance* instance = current_;
    if (!c.module_name.empty()) {
      auto it = named_.find(c.module_name);
      instance = it == named_.end() ? nullptr : it->second;
    }
    if (instance == nullptr) return fail(c, "no module to register as \"" + c.register_as + "\"");
    ExternMap& exports = registry_[c.register_as];
    exports.clear();
    for (const auto& [name, e] : instance->exports) exports[name] = e;
  }

  // The module must be rejected at `want` (Decode also accepts Parse: a
  // malformed text module may fail in either).
  void expect_rejection(const Command& c, Stage want) {
    bool instantiate = want == Stage::Link || want == Stage::Instantiate;
    Loaded r = load(c, instantiate);
    bool right_stage = r.stage == want || (want == Stage::Decode && r.stage == Stage::Parse);
    if (!right_stage) {
      std::string got = r.stage == Stage::Ready ? "accepted"
                                               : std::string("rejected in ") + stage_name(r.stage) + ": " + r.message;
      return fail(c, std::string("expected rejection in ") + stage_name(want) + " (\"" + c.expected_message +
                         "\"), module was " + got);
    }
    // Traps must carry the expected message; other rejections only note it.
    if (want == Stage::Instantiate) {
      if (r.message.find(c.expected_message) != std::string::npos) return pass();
      return fail(c, "expected trap \"" + c.expected_message + "\", got \"" + r.message + "\"");
    }
    pass_rejection(c, r.message);
  }

  std::string name_;
  SpecOptions options_;
  std::FILE* out_;
  Store store_;
  Thread thread_{store_};  // reused by every action: its stacks are allocated once
  std::map<std::string, ExternMap> registry_;   // registered name -> exports
  std::map<std::string, Instance*> named_;      // $name -> instance (null if it failed)
  Instance* current_ = nullptr;
  SpecResult result_;
};

}  // namespace

SpecResult run_spec_script(const std::string& name, const std::string& source, const SpecOptions& options,
                           std::FILE* out) {
  auto commands = text::parse_wast(source);
  if (!commands) {
    std::fprintf(out, "%s: cannot parse script: %s\n", name.c_str(), commands.error().to_string().c_str());
    SpecResult r;
    r.failed = 1;
    return r;
  }
  ScriptRunner runner(name, options, out);
  runner.run(*commands);
  return runner.result();
}

}  // namespace ws::cli
