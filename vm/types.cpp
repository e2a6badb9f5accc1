// Names and printing of the core types.
#include "types.h"

#include <cinttypes>
#include <cstdio>

namespace ws {

const char* valtype_name(ValType t) {
  switch (t) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

bool valtype_from_byte(uint8_t b, ValType* out) {
  switch (b) {
    case 0x7F: case 0x7E: case 0x7D: case 0x7C: case 0x7B: case 0x70: case 0x6F:
      *out = ValType(b);
      return true;
    default:
      return false;
  }
}

namespace {
std::string type_list(const std::vector<ValType>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ", ";
    s += valtype_name(types[i]);
  }
  return s + ")";
}
}  // namespace

std::string FuncType::to_string() const { return type_list(params) + " -> " + type_list(results); }

std::string Value::to_string() const {
  char buf[96];
  switch (type) {
    case ValType::I32:
      std::snprintf(buf, sizeof buf, "i32:%" PRId32, int32_t(i32));
      break;
    case ValType::I64:
      std::snprintf(buf, sizeof buf, "i64:%" PRId64, int64_t(i64));
      break;
    case ValType::F32:
      // %.9g round-trips every float; NaNs print their payload-free name.
      std::snprintf(buf, sizeof buf, "f32:%.9g", double(f32));
      break;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "f64:%.17g", f64);
      break;
    case ValType::V128: {
      std::string s = "v128:0x";
      static const char kHex[] = "0123456789abcdef";
      for (int i = 15; i >= 0; --i) {  // most significant byte first
        s += kHex[v128.bytes[i] >> 4];
        s += kHex[v128.bytes[i] & 15];
      }
      return s;
    }
    case ValType::FuncRef:
    case ValType::ExternRef:
      if (is_null()) {
        std::snprintf(buf, sizeof buf, "%s:null", valtype_name(type));
      } else if (type == ValType::ExternRef) {
        std::snprintf(buf, sizeof buf, "externref:%" PRIu64, ref - 1);  // see Value::ref
      } else {
        std::snprintf(buf, sizeof buf, "funcref:0x%" PRIx64, ref);
      }
      break;
  }
  return buf;
}

}  // namespace ws
