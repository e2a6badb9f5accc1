// The handlers that every handler of the web build tail-calls directly
// (DISPATCH in handlers_impl.h); the others go through h::dispatch. They are
// the handlers where the native build spends 95% of its time over bench/*.c
// and the CPython workload (perf, one sample per millisecond), hottest first.
// A longer list costs code in every handler; a handler missing from it is
// only slower, never wrong.
#pragma once

#define WS_HOT_HANDLERS(X)                                                     \
  X(I32Add_imm) X(F64Add_store) X(F64Mul_h) X(I32Load_add) X(I32Add_h)         \
  X(I32Store8_add2) X(call_same) X(F64Load_add) X(ret1) X(I32Shl_imm)          \
  X(I32Load_h) X(I32GtU_br_imm_back) X(I32LeS_br_back) X(copy) X(br_table)     \
  X(F64Load_h) X(I32Load8U_add) X(F64Mul_imm_store) X(constant)                \
  X(I32LtU_br_imm) X(I32Store_h) X(I32GtS_br_back) X(F64Add_h) X(I32Load8U_h)  \
  X(I64Store_h) X(F64Sqrt_h) X(F64Mul_imm) X(I32LtS_br_back)                   \
  X(I32Load_add_shl) X(F64Load_add2) X(i32_and_z_br) X(I32Xor_h) X(I32And_imm) \
  X(F64Sub_store) X(i32_add_shl) X(i32_add_imm_nz_br_back) X(F64Div_h)         \
  X(I32Eqz_br) X(I32Eqz_h) X(F64Sub_h) X(I64Load_add) X(i32_add_imm2)          \
  X(br_if_nz) X(I32Mul_imm) X(I32Ne_br_imm_back) X(call_indirect) X(moves)     \
  X(I32ShrU_imm) X(I32GtS_br) X(copy_copy) X(select) X(F64Store_abs)           \
  X(I32Store8_h) X(I64Store_add) X(I32Ne_br) X(I32RemU_imm) X(br) X(I32Sub_h)  \
  X(I32Store_add) X(I32Add_store) X(br_back) X(br_table_masked) X(I32Ne_br_back)
