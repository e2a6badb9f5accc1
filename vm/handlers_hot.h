// The handlers that every handler of the web build tail-calls directly
// (DISPATCH in handlers_impl.h); the others go through h::dispatch. They are
// the 96 handlers (pairs included) where the native build spends most time,
// hottest first: perf samples of each bench/*.c program and of the CPython
// workload, each weighted as a share of its own run (together 88%). A longer
// list costs code in every handler; a handler missing from it is only
// slower, never wrong.
#pragma once

#define WS_HOT_HANDLERS(X) \
  X(constant_then_I32Store8_add2) X(F64Add_store_then_I32Add_imm) \
  X(F64Mul_h_then_F64Load_h) X(ret1) X(F64Load_add_then_F64Add_store) \
  X(call_same) X(I32Add_h_then_I32LeS_br_back) X(F64Load_h_then_F64Add_store) \
  X(br_table_then_I32Add_imm) X(I32Shl_imm_then_I32Load_add) \
  X(I32LtS_br_back_then_I32Add_imm) X(I32GtU_br_imm_back_then_I32Add_h) \
  X(F64Sqrt_h_then_F64Mul_h) X(I32Add_imm_then_I32Load_add) \
  X(F64Mul_h_then_F64Sub_store) X(I32GtS_br_back_then_I32Add_imm) \
  X(I32Shl_imm_then_I32Add_imm) X(I32Add_imm_then_I32Load_h) X(I32Add_imm) \
  X(call_same_moves) X(I32Add_h) X(I32Load_add) X(I32Add_imm_then_F64Load_add) \
  X(F64Load_add_then_F64Mul_h) X(I32Load_add_shl) X(I32Add_h_then_I32Load_add) \
  X(I32Add_imm_then_I32Ne_br_imm_back) X(F64Mul_imm_store_then_I32Add_imm) \
  X(I32LtU_br_imm) X(I32Add_h_then_I32Add_imm) X(F64Add_h_then_F64Add_h) \
  X(I32Add_h_then_F64Load_add2) X(I32Load8U_add_then_I32Eqz_h) \
  X(copy_then_I32Add_imm) X(I32Add_imm_then_copy) X(I32Shl_imm_then_I32Xor_h) \
  X(i32_add_shl) X(I32Add_h_then_I32Load8U_add) X(F64Sub_h_then_F64Mul_h) \
  X(constant_then_F64Div_h) X(F64Load_add_then_F64Mul_imm_store) \
  X(i32_and_z_br) X(I32GtS_br_then_I32Store_h) X(F64Mul_imm_then_F64Load_add) \
  X(F64Mul_h_then_F64Load_add) X(I32Eqz_h_then_I32Add_h) \
  X(F64Load_add_then_F64Mul_imm) X(i32_add_imm_nz_br_back) \
  X(I32Load8U_h_then_I32Load8U_h) X(I32Xor_h_then_I32Mul_imm) X(copy) \
  X(I32Add_imm_then_I64Load_add) X(call_indirect_moves) \
  X(F64Load_add_then_F64Sub_h) X(I32Store_h_then_br) \
  X(I64Load_h_then_I64Store_h) X(I32Load8U_h_then_I32Eqz_br) \
  X(I32ShrU_imm_then_I32Xor_h) X(I32Add_imm_then_I32And_imm) X(I32LeS_br_back) \
  X(br_if_nz) X(I32GtU_br_imm_back) X(I32RemU_imm) \
  X(I64Load_add_then_I64Store_h) X(i32_load_nz_br) \
  X(I32Load8U_h_then_I32Store8_h) X(I32Add_imm_then_I32Shl_imm) \
  X(I32Add_imm_then_I32Ne_br_back) X(I32Add_imm_then_I32Add_imm) X(I32And_imm) \
  X(I32Ne_br_then_i32_add_imm2) X(F64Add_h_then_F64Store_abs) \
  X(i32_add_imm2_then_I32Add_imm) X(F64Mul_h_then_F64Mul_h) \
  X(I32Store_add_then_copy_copy) X(copy_copy) X(I32Add_imm_then_F64Mul_h) \
  X(I64Store_h_then_i32_add_imm2) X(F64Load_add_then_F64Load_add) \
  X(I64Store_h_then_I32Add_imm) X(F64Load_abs_then_F64Add_h) \
  X(br_table_masked) X(F64Load_h_then_F64Load_h) X(I32Xor_h_then_I32ShrU_imm) \
  X(i32_add_imm_global_set_then_ret1) X(I32Add_imm_then_I32GtU_br_imm_back) \
  X(F64Store_abs_then_F64Load_abs) X(I32Eqz_br) X(I32Sub_h) \
  X(I32Store_h_then_I32Add_imm) X(I32Mul_imm) X(moves) X(I32DivS_imm) \
  X(F64Load_h_then_F64Mul_h) X(i32_add_imm2) X(I64Store_add)
