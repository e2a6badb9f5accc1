#include "location.h"

#include <cstring>

#include "../reader.h"

namespace ws::dwarf {
namespace {

// DWARF operations used below (dwarf.h has them too; spelled out here so the
// decoder reads as a table).
enum : uint8_t {
  kAddr = 0x03, kDeref = 0x06, kConst1u = 0x08, kConst1s = 0x09, kConst2u = 0x0a,
  kConst2s = 0x0b, kConst4u = 0x0c, kConst4s = 0x0d, kConst8u = 0x0e, kConst8s = 0x0f,
  kConstu = 0x10, kConsts = 0x11, kDup = 0x12, kDrop = 0x13, kOver = 0x14, kSwap = 0x16,
  kAnd = 0x1a, kMinus = 0x1c, kMul = 0x1e, kNeg = 0x1f, kNot = 0x20, kOr = 0x21,
  kPlus = 0x22, kPlusUconst = 0x23, kShl = 0x24, kShr = 0x25, kShra = 0x26, kXor = 0x27,
  kLit0 = 0x30, kLit31 = 0x4f, kFbreg = 0x91, kPiece = 0x93, kStackValue = 0x9f,
  kImplicitValue = 0x9e, kWasmLocation = 0xed,
};

std::vector<uint8_t> value_bytes(const Value& v) {
  std::vector<uint8_t> out;
  auto put = [&](const void* p, size_t n) { out.assign((const uint8_t*)p, (const uint8_t*)p + n); };
  switch (v.type) {
    case ValType::I32: put(&v.i32, 4); break;
    case ValType::F32: put(&v.f32, 4); break;
    case ValType::I64: put(&v.i64, 8); break;
    case ValType::F64: put(&v.f64, 8); break;
    case ValType::V128: put(&v.v128, 16); break;
    default: put(&v.ref, 8); break;
  }
  return out;
}

uint64_t value_number(const Value& v) {
  switch (v.type) {
    case ValType::I32: return v.i32;
    case ValType::I64: return v.i64;
    case ValType::F32: { uint32_t b; std::memcpy(&b, &v.f32, 4); return b; }
    case ValType::F64: { uint64_t b; std::memcpy(&b, &v.f64, 8); return b; }
    default: return v.ref;
  }
}

}  // namespace

const std::vector<uint8_t>* LocationDescription::at(uint32_t offset) const {
  if (!present) return nullptr;
  if (!is_list) return &expression;
  for (const LocationEntry& e : list) {
    if (offset >= e.begin && offset < e.end) return &e.expression;
  }
  return nullptr;
}

std::vector<LocationEntry> read_location_list(const std::vector<uint8_t>& debug_loc, uint64_t offset,
                                              uint32_t base, uint32_t code_start, uint32_t code_size) {
  std::vector<LocationEntry> out;
  if (offset >= debug_loc.size()) return out;
  Reader r(debug_loc.data(), uint32_t(offset), uint32_t(debug_loc.size()));
  uint64_t base_address = base;
  while (r.remaining() >= 8) {
    uint32_t begin = 0, end = 0;
    r.bytes(&begin, 4);
    r.bytes(&end, 4);
    if (begin == 0 && end == 0) break;
    if (begin == 0xffffffffu) {  // base address selection
      base_address = end;
      continue;
    }
    uint16_t length = 0;
    if (!r.bytes(&length, 2) || length > r.remaining()) break;
    LocationEntry e;
    uint64_t b = base_address + begin, en = base_address + end;
    e.expression.assign(r.cursor(), r.cursor() + length);
    r.skip(length);
    if (b == 0 || b >= en || en > code_size) continue;  // tombstoned or bogus
    e.begin = code_start + uint32_t(b);
    e.end = code_start + uint32_t(en);
    out.push_back(std::move(e));
  }
  return out;
}

Located evaluate_location(const std::vector<uint8_t>& expression, const FrameContext& frame,
                          const std::function<std::optional<uint64_t>()>& frame_base) {
  Located result;
  std::vector<uint64_t> stack;
  // The current piece's "register" value (DW_OP_WASM_location as the whole
  // description of an object) or implicit value, if any.
  std::optional<std::vector<uint8_t>> held;
  bool stack_value = false;
  auto fail = [&](std::string message) {
    result.pieces.clear();
    result.error = std::move(message);
    return result;
  };
  auto finish_piece = [&](uint32_t size) -> bool {
    Piece p;
    p.size = size;
    if (held) {
      p.kind = Piece::Bytes;
      p.bytes = std::move(*held);
    } else if (stack.empty()) {
      p.kind = Piece::Missing;  // an empty piece: that part is optimized out
    } else if (stack_value) {
      p.kind = Piece::Bytes;
      uint64_t v = stack.back();
      p.bytes.assign((uint8_t*)&v, (uint8_t*)&v + 8);
    } else {
      p.kind = Piece::Memory;
      p.address = stack.back();
    }
    result.pieces.push_back(std::move(p));
    held.reset();
    stack.clear();
    stack_value = false;
    return true;
  };
  auto pop = [&](uint64_t* v) {
    if (stack.empty()) return false;
    *v = stack.back();
    stack.pop_back();
    return true;
  };

  Reader r(expression.data(), 0, uint32_t(expression.size()));
  while (!r.at_end()) {
    uint8_t op = 0;
    r.u8(&op);
    uint64_t a = 0, b = 0;
    int64_t s = 0;
    if (op >= kLit0 && op <= kLit31) {
      stack.push_back(op - kLit0);
      continue;
    }
    switch (op) {
      case kAddr: {
        uint32_t addr = 0;
        if (!r.bytes(&addr, 4)) return fail("truncated DW_OP_addr");
        stack.push_back(addr);
        break;
      }
      case kConst1u: case kConst1s: case kConst2u: case kConst2s:
      case kConst4u: case kConst4s: case kConst8u: case kConst8s: {
        static const uint8_t kSizes[] = {1, 1, 2, 2, 4, 4, 8, 8};
        uint8_t n = kSizes[op - kConst1u];
        uint64_t v = 0;
        if (!r.bytes(&v, n)) return fail("truncated constant");
        if ((op - kConst1u) % 2 == 1 && n < 8 && (v >> (n * 8 - 1)) & 1) v |= ~uint64_t(0) << (n * 8);
        stack.push_back(v);
        break;
      }
      case kConstu:
        if (!r.u64(&a)) return fail("bad DW_OP_constu");
        stack.push_back(a);
        break;
      case kConsts:
        if (!r.s64(&s)) return fail("bad DW_OP_consts");
        stack.push_back(uint64_t(s));
        break;
      case kDup:
        if (stack.empty()) return fail("DW_OP_dup on an empty stack");
        stack.push_back(stack.back());
        break;
      case kDrop:
        if (!pop(&a)) return fail("DW_OP_drop on an empty stack");
        break;
      case kOver:
        if (stack.size() < 2) return fail("DW_OP_over needs two values");
        stack.push_back(stack[stack.size() - 2]);
        break;
      case kSwap:
        if (stack.size() < 2) return fail("DW_OP_swap needs two values");
        std::swap(stack[stack.size() - 1], stack[stack.size() - 2]);
        break;
      case kNeg: case kNot:
        if (!pop(&a)) return fail("empty stack");
        stack.push_back(op == kNeg ? uint64_t(-int64_t(a)) : ~a);
        break;
      case kAnd: case kMinus: case kMul: case kOr: case kPlus: case kShl: case kShr:
      case kShra: case kXor:
        if (!pop(&b) || !pop(&a)) return fail("arithmetic on an empty stack");
        switch (op) {
          case kAnd: stack.push_back(a & b); break;
          case kMinus: stack.push_back(a - b); break;
          case kMul: stack.push_back(a * b); break;
          case kOr: stack.push_back(a | b); break;
          case kPlus: stack.push_back(a + b); break;
          case kShl: stack.push_back(b >= 64 ? 0 : a << b); break;
          case kShr: stack.push_back(b >= 64 ? 0 : a >> b); break;
          case kShra: stack.push_back(uint64_t(int64_t(a) >> (b >= 64 ? 63 : b))); break;
          default: stack.push_back(a ^ b); break;
        }
        break;
      case kPlusUconst:
        if (!r.u64(&b) || !pop(&a)) return fail("bad DW_OP_plus_uconst");
        stack.push_back(a + b);
        break;
      case kDeref: {
        uint32_t v = 0;  // wasm32: addresses are 4 bytes
        if (!pop(&a)) return fail("DW_OP_deref on an empty stack");
        if (!frame.read_memory || !frame.read_memory(a, &v, 4)) return fail("unreadable memory");
        stack.push_back(v);
        break;
      }
      case kFbreg: {
        if (!r.s64(&s)) return fail("bad DW_OP_fbreg");
        std::optional<uint64_t> base = frame_base ? frame_base() : std::nullopt;
        if (!base) return fail("no frame base");
        stack.push_back(uint32_t(*base + uint64_t(s)));
        break;
      }
      case kWasmLocation: {
        uint8_t kind = 0;
        uint32_t index = 0;
        if (!r.u8(&kind)) return fail("truncated DW_OP_WASM_location");
        if (kind == 3) {
          if (!r.bytes(&index, 4)) return fail("truncated DW_OP_WASM_location");
        } else if (!r.u32(&index)) {
          return fail("truncated DW_OP_WASM_location");
        }
        const std::function<std::optional<Value>(uint32_t)>* source =
            kind == 0 ? &frame.local : kind == 2 ? &frame.operand : kind == 1 || kind == 3 ? &frame.global : nullptr;
        if (!source) return fail("unknown DW_OP_WASM_location kind " + std::to_string(kind));
        std::optional<Value> v = *source ? (*source)(index) : std::nullopt;
        if (!v) return fail("<optimized out>");
        // Alone (or before a piece) it names where the object is: the value
        // itself. Followed by more operations, it is a number to compute with.
        uint8_t next = 0;
        if (!r.peek_u8(&next) || next == kPiece) held = value_bytes(*v);
        else stack.push_back(value_number(*v));
        break;
      }
      case kImplicitValue: {
        if (!r.u64(&a) || a > r.remaining()) return fail("bad DW_OP_implicit_value");
        held = std::vector<uint8_t>(r.cursor(), r.cursor() + a);
        r.skip(uint32_t(a));
        break;
      }
      case kStackValue:
        if (stack.empty()) return fail("DW_OP_stack_value on an empty stack");
        stack_value = true;
        break;
      case kPiece:
        if (!r.u64(&a) || a > 0xffff) return fail("bad DW_OP_piece");
        finish_piece(uint32_t(a));
        break;
      default: {
        static const char kHex[] = "0123456789abcdef";
        return fail(std::string("unsupported DWARF operation 0x") + kHex[op >> 4] + kHex[op & 15]);
      }
    }
  }
  if (!r.ok()) return fail("truncated location expression");
  if (result.pieces.empty() || held || !stack.empty()) {
    if (!held && stack.empty() && result.pieces.empty()) return fail("<optimized out>");
    if (held || !stack.empty()) finish_piece(0);
  }
  return result;
}

std::optional<uint64_t> location_as_number(const Located& located) {
  if (located.pieces.size() != 1) return std::nullopt;
  const Piece& p = located.pieces[0];
  if (p.kind == Piece::Memory) return p.address;
  if (p.kind == Piece::Bytes) {
    uint64_t v = 0;
    if (!p.bytes.empty()) std::memcpy(&v, p.bytes.data(), std::min<size_t>(8, p.bytes.size()));
    return v;
  }
  return std::nullopt;
}

}  // namespace ws::dwarf
