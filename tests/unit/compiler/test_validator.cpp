// Unit tests of the validator: operand typing (including the polymorphic
// stack after unreachable code), control instructions, index spaces,
// memory/table/bulk instructions, module-level rules, and the FunctionCode
// handed to code generation.
#include <doctest/doctest.h>

#include <string>

#include "wasm_bytes.h"

using namespace wasmaot;
using namespace wasmaot::test;
using compiler::Opcode;

namespace {

constexpr uint8_t I32 = 0x7F, I64 = 0x7E, F32 = 0x7D, F64 = 0x7C, FUNCREF = 0x70, EXTERNREF = 0x6F;
constexpr uint8_t END = 0x0B;

// Validates a function [params] -> [results] with no locals and `code`.
std::string check(const Bytes& params, const Bytes& results, const Bytes& code,
                  std::initializer_list<Bytes> extra_sections = {}) {
  return frontEndError(singleFunctionModule(params, results, concat({{0x00}, code}), extra_sections));
}

compiler::FunctionCode functionCode(const Bytes& bytes) {
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  compiler::validateModule(module);
  return compiler::validateFunction(module, bytes, module.bodies.at(0));
}

const Bytes kMemorySection = section(5, vec(1, {0x00, 0x01}));

}  // namespace

TEST_CASE("operand typing") {
  CHECK(check({}, {I32}, {0x41, 0x01, 0x41, 0x02, 0x6A, END}) == "");
  CHECK(check({}, {I32}, {0x41, 0x01, 0x42, 0x02, 0x6A, END}).starts_with("type mismatch"));
  CHECK(check({}, {I32}, {0x6A, END}).starts_with("type mismatch"));                // empty stack
  CHECK(check({}, {}, {0x41, 0x01, END}).starts_with("type mismatch"));             // value left over
  CHECK(check({}, {I64}, {0x41, 0x01, END}).starts_with("type mismatch"));          // wrong result
  CHECK(check({I32, F64}, {F64}, {0x20, 0x01, END}) == "");
  CHECK(check({I32}, {}, {0x20, 0x01, 0x1A, END}).starts_with("unknown local"));
  CHECK(check({}, {F32}, {0x43, 0x00, 0x00, 0x80, 0x3F, END}) == "");
}

TEST_CASE("unreachable code is typed with a polymorphic stack") {
  CHECK(check({}, {I32}, {0x00, END}) == "");
  CHECK(check({}, {I32}, {0x00, 0x6A, END}) == "");                       // i32.add on Unknown operands
  CHECK(check({}, {I32}, {0x00, 0x42, 0x00, 0x6A, END}).starts_with("type mismatch"));  // i64 is not i32
  CHECK(check({}, {}, {0x00, 0x1B, 0x1A, END}) == "");                    // select of Unknowns
  CHECK(check({}, {}, {0x0F, 0x41, 0x00, 0x1A, END}) == "");             // code after return
  CHECK(check({}, {I32}, {0x02, 0x40, 0x0C, 0x00, 0x6A, 0x1A, 0x0B, 0x41, 0x00, END}) == "");
  // The polymorphic stack is only below the frame's height.
  CHECK(check({}, {}, {0x41, 0x00, 0x02, 0x40, 0x00, 0x0B, 0x1A, END}) == "");
  CHECK(check({}, {}, {0x00, 0x02, 0x40, 0x1A, 0x0B, END}).starts_with("type mismatch"));
}

TEST_CASE("blocks, branches and multi-value") {
  // Types: 0 = [] -> [], 1 = [i32] -> [i32 i32], 2 = [] -> results (the function's).
  auto module_with = [&](const Bytes& results, const Bytes& code) {
    return wasmModule({section(1, vec(3, concat({{0x60, 0x00, 0x00, 0x60, 0x01, I32, 0x02, I32, I32, 0x60, 0x00},
                                                 uleb(results.size()), results}))),
                       section(3, vec(1, {0x02})),
                       section(10, vec(1, functionBody(concat({{0x00}, code}))))});
  };
  // block (type 1) with a parameter and two results.
  CHECK(frontEndError(module_with({I32, I32}, {0x41, 0x05, 0x02, 0x01, 0x41, 0x06, 0x0B, END})) == "");
  CHECK(frontEndError(module_with({I32, I32}, {0x41, 0x05, 0x02, 0x01, 0x41, 0x06, 0x1A, 0x0B, END}))
            .starts_with("type mismatch"));
  CHECK(frontEndError(module_with({I32, I32}, {0x41, 0x05, 0x02, 0x07, 0x0B, END})).starts_with("unknown type"));
  CHECK(frontEndError(module_with({I32}, {0x02, 0x7F, 0x0C, 0x00, 0x0B, END})).starts_with("type mismatch"));
  CHECK(frontEndError(module_with({I32}, {0x03, 0x7F, 0x0C, 0x00, 0x0B, END})) == "");  // a loop's label takes its params
  CHECK(frontEndError(module_with({}, {0x03, 0x40, 0x0C, 0x00, 0x0B, END})) == "");  // loop label has no values
  CHECK(frontEndError(module_with({}, {0x0C, 0x01, END})).starts_with("unknown label"));
  // if without else must not change the types; with else it may.
  CHECK(frontEndError(module_with({I32}, {0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x0B, END})).starts_with("type mismatch"));
  CHECK(frontEndError(module_with({I32}, {0x41, 0x01, 0x04, 0x7F, 0x41, 0x02, 0x05, 0x41, 0x03, 0x0B, END})) == "");
  CHECK(frontEndError(module_with({I32, I32}, {0x41, 0x01, 0x41, 0x01, 0x04, 0x01, 0x41, 0x02, 0x0B, END}))
            .starts_with("type mismatch"));
  CHECK(frontEndError(module_with({I32, I32}, {0x41, 0x01, 0x41, 0x01, 0x04, 0x01, 0x41, 0x02, 0x05, 0x41, 0x03,
                                               0x0B, END})) == "");
  // br_if keeps its operands.
  CHECK(frontEndError(module_with({I32}, {0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0D, 0x00, 0x0B, END})) == "");
}

TEST_CASE("br_table") {
  // (block (result i32) (block (result i32) (i32.const 1) (i32.const 0) (br_table 0 1)) ...)
  CHECK(check({}, {I32}, {0x02, 0x7F, 0x02, 0x7F, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x0B, END}) == "");
  // Labels with different arities.
  CHECK(check({}, {I32}, {0x02, 0x7F, 0x02, 0x40, 0x41, 0x01, 0x41, 0x00, 0x0E, 0x01, 0x00, 0x01, 0x0B, 0x41, 0x00,
                          0x0B, END})
            .starts_with("type mismatch"));
  CHECK(check({}, {}, {0x41, 0x00, 0x0E, 0x00, 0x05, END}).starts_with("unknown label"));
  // In unreachable code, labels of the same arity but different types are fine.
  CHECK(check({}, {I32}, {0x02, 0x7D, 0x00, 0x0E, 0x01, 0x01, 0x00, 0x0B, 0x1A, 0x41, 0x00, END}) == "");
}

TEST_CASE("select") {
  CHECK(check({}, {I32}, {0x41, 0x01, 0x41, 0x02, 0x41, 0x00, 0x1B, END}) == "");
  CHECK(check({}, {I32}, {0x41, 0x01, 0x42, 0x02, 0x41, 0x00, 0x1B, END}).starts_with("type mismatch"));
  CHECK(check({FUNCREF}, {FUNCREF}, {0x20, 0x00, 0x20, 0x00, 0x41, 0x00, 0x1B, END}).starts_with("type mismatch"));
  CHECK(check({FUNCREF}, {FUNCREF}, {0x20, 0x00, 0x20, 0x00, 0x41, 0x00, 0x1C, 0x01, FUNCREF, END}) == "");
  CHECK(check({}, {}, {0x41, 0x00, 0x1C, 0x02, I32, I32, END}) == "invalid result arity");
}

TEST_CASE("memory instructions") {
  const Bytes load = {0x41, 0x00, 0x28, 0x02, 0x00, END};
  CHECK(check({}, {I32}, load, {kMemorySection}) == "");
  CHECK(check({}, {I32}, load).starts_with("unknown memory"));
  CHECK(check({}, {I32}, {0x41, 0x00, 0x28, 0x03, 0x00, END}, {kMemorySection}) ==
        "alignment must not be larger than natural");
  // Multi-memory: the former zero byte is a memory index (a u32 LEB128, so
  // an over-long 0 is valid), and bit 6 of a memarg's alignment says a
  // memory index follows it.
  CHECK(check({}, {I32}, {0x3F, 0x01, END}, {kMemorySection}) == "unknown memory 1");
  CHECK(check({}, {I32}, {0x3F, 0x00, END}, {kMemorySection}) == "");
  CHECK(check({}, {I32}, {0x3F, 0x80, 0x00, END}, {kMemorySection}) == "");
  const Bytes two_memories = section(5, vec(2, {0x00, 0x01, 0x00, 0x01}));
  const Bytes load_from_1 = {0x41, 0x00, 0x28, 0x42, 0x01, 0x00, END};  // i32.load memory 1
  CHECK(check({}, {I32}, load_from_1, {two_memories}) == "");
  CHECK(check({}, {I32}, load_from_1, {kMemorySection}) == "unknown memory 1");
  CHECK(check({}, {I32}, {0x3F, 0x01, END}, {two_memories}) == "");
  CHECK(check({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x01, 0x00, END}, {two_memories}) == "");
  CHECK(check({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0A, 0x02, 0x00, END}, {two_memories}) ==
        "unknown memory 2");
  CHECK(check({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0B, 0x00, END}, {kMemorySection}) == "");
  // data.drop needs a DataCount section.
  const std::string no_data_count = frontEndError(
      singleFunctionModule({}, {}, {0x00, 0xFC, 0x09, 0x00, END}, {kMemorySection}, section(11, vec(1, {0x01, 0x00}))));
  CHECK(no_data_count == "data count section required");
  CHECK(check({}, {}, {0xFC, 0x09, 0x01, END}, {kMemorySection, section(12, {0x00})}).starts_with("unknown data segment"));
}

TEST_CASE("tables, references and calls") {
  const Bytes funcref_table = section(4, vec(1, {FUNCREF, 0x00, 0x01}));
  const Bytes externref_table = section(4, vec(1, {EXTERNREF, 0x00, 0x01}));
  // call_indirect (type 0) on table 0: [] -> [] so the callee type is fine.
  const Bytes call_indirect = {0x41, 0x00, 0x11, 0x00, 0x00, END};
  CHECK(check({}, {}, call_indirect, {funcref_table}) == "");
  CHECK(check({}, {}, call_indirect, {externref_table}).starts_with("type mismatch"));
  CHECK(check({}, {}, call_indirect).starts_with("unknown table"));
  CHECK(check({}, {}, {0x10, 0x00, END}) == "");  // recursion
  CHECK(check({}, {}, {0x10, 0x01, END}).starts_with("unknown function"));
  // ref.func needs the function to be declared (here: by an export).
  CHECK(check({}, {}, {0xD2, 0x00, 0x1A, END}) == "undeclared function reference");
  CHECK(check({}, {}, {0xD2, 0x00, 0x1A, END}, {section(7, vec(1, concat({name("f"), {0x00, 0x00}})))}) == "");
  CHECK(check({}, {I32}, {0xD0, FUNCREF, 0xD1, END}) == "");
  CHECK(check({}, {I32}, {0x41, 0x00, 0xD1, END}).starts_with("type mismatch"));
  CHECK(check({}, {I32}, {0xD0, EXTERNREF, 0x41, 0x01, 0xFC, 0x0F, 0x00, END}, {externref_table}) == "");
  CHECK(check({}, {}, {0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x0C, 0x00, 0x00, END}, {funcref_table})
            .starts_with("unknown elem segment"));
}

TEST_CASE("globals") {
  const Bytes globals = section(6, vec(2, {I32, 0x00, 0x41, 0x00, END, I64, 0x01, 0x42, 0x00, END}));
  CHECK(check({}, {I32}, {0x23, 0x00, END}, {globals}) == "");
  CHECK(check({}, {}, {0x41, 0x00, 0x24, 0x00, END}, {globals}) == "global is immutable");
  CHECK(check({}, {}, {0x42, 0x00, 0x24, 0x01, END}, {globals}) == "");
  CHECK(check({}, {}, {0x23, 0x02, 0x1A, END}, {globals}).starts_with("unknown global"));
}

TEST_CASE("locals and body framing") {
  const compiler::FunctionCode code =
      functionCode(singleFunctionModule({I32}, {I64}, {0x02, 0x02, I64, 0x01, F32, 0x20, 0x01, END}));
  CHECK(code.locals == std::vector<abi::ValType>{abi::ValType::I32, abi::ValType::I64, abi::ValType::I64,
                                                 abi::ValType::F32});
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, I32, END})) ==
        "too many locals");
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, 0x01})).starts_with("unexpected end"));  // no final end
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, END, 0x01})) == "section size mismatch");
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, 0xFF, END})) == "illegal opcode");
  // throw_ref (0x0A), exception handling's exnref form: refused, and the message says so.
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, 0x0A, END})).starts_with(
        "illegal opcode (exception handling's exnref form"));
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, 0x05, END})) == "END opcode expected");  // else outside if
}

TEST_CASE("legacy exception handling") {
  // The function is (i32) -> (); tag 0 has its type, so its payload is one i32.
  const std::initializer_list<Bytes> tag = {section(13, vec(1, {0x00, 0x00}))};
  auto eh = [&](const Bytes& code) { return check({I32}, {}, code, tag); };
  constexpr uint8_t TRY = 0x06, CATCH = 0x07, THROW = 0x08, RETHROW = 0x09, DELEGATE = 0x18, CATCH_ALL = 0x19;
  constexpr uint8_t EMPTY = 0x40, DROP = 0x1A, GET0[] = {0x20, 0x00};
  CHECK(eh({GET0[0], GET0[1], THROW, 0x00, END}) == "");
  CHECK(eh({THROW, 0x00, END}).starts_with("type mismatch"));
  CHECK(eh({GET0[0], GET0[1], THROW, 0x01, END}) == "unknown tag 1");
  // catch pushes the payload; catch_all pushes nothing.
  CHECK(eh({TRY, EMPTY, CATCH, 0x00, DROP, CATCH_ALL, END, END}) == "");
  CHECK(eh({TRY, EMPTY, CATCH, 0x00, END, END}).starts_with("type mismatch"));
  CHECK(eh({TRY, EMPTY, CATCH_ALL, 0x41, 0x00, END, END}).starts_with("type mismatch"));
  CHECK(eh({CATCH, 0x00, END}) == "catch outside a try block");
  CHECK(eh({TRY, EMPTY, CATCH_ALL, CATCH, 0x00, DROP, END, END}) == "catch after catch_all");
  // rethrow names a catch; delegate a label outside its try (0 = the function here).
  CHECK(eh({TRY, EMPTY, CATCH, 0x00, DROP, RETHROW, 0x00, END, END}) == "");
  CHECK(eh({TRY, EMPTY, RETHROW, 0x00, END, END}) == "invalid rethrow label");
  CHECK(eh({TRY, EMPTY, DELEGATE, 0x00, END}) == "");
  CHECK(eh({TRY, EMPTY, DELEGATE, 0x01, END}) == "unknown label 1");
  CHECK(eh({TRY, EMPTY, CATCH_ALL, DELEGATE, 0x00, END}) == "delegate outside a try block");
  // A tag's type has no results.
  CHECK(check({}, {I32}, {0x41, 0x00, END}, tag) == "non-empty tag result type");
}

TEST_CASE("FunctionCode holds the decoded instructions") {
  const Bytes bytes = singleFunctionModule(
      {I32}, {I32},
      {0x00,
       0x02, 0x40,                          // block
       0x20, 0x00, 0x0E, 0x02, 0x00, 0x00, 0x00,  // local.get 0; br_table 0 0 0
       0x0B,                                // end
       0x41, 0x7F,                          // i32.const -1
       0x28, 0x02, 0x10,                    // i32.load align=2 offset=16
       END},
      {kMemorySection});
  const compiler::FunctionCode code = functionCode(bytes);
  REQUIRE(code.instructions.size() == 7);
  CHECK(code.instructions[0].op == Opcode::Block);
  CHECK(code.instructions[0].block_type.kind == compiler::BlockType::Kind::Empty);
  CHECK(code.instructions[2].op == Opcode::BrTable);
  CHECK(code.instructions[2].a == 0);
  CHECK(code.instructions[2].b == 3);
  CHECK(code.br_table_labels == std::vector<uint32_t>{0, 0, 0});
  CHECK(code.instructions[4].op == Opcode::I32Const);
  CHECK(code.instructions[4].imm == 0xFFFFFFFFu);
  CHECK(code.instructions[5].op == Opcode::I32Load);
  CHECK(code.instructions[5].a == 2);
  CHECK(code.instructions[5].imm == 16);
  CHECK(code.instructions[6].op == Opcode::End);
  CHECK(bytes[code.instructions[4].offset] == 0x41);
}

TEST_CASE("module-level rules") {
  auto moduleError = [](std::initializer_list<Bytes> sections) { return frontEndError(wasmModule(sections)); };
  CHECK(moduleError({section(5, vec(1, {0x00, 0x81, 0x80, 0x04}))}) == "memory size must be at most 65536 pages (4GiB)");
  CHECK(moduleError({section(5, vec(1, {0x01, 0x02, 0x01}))}) == "size minimum must not be greater than maximum");
  CHECK(moduleError({section(4, vec(1, {FUNCREF, 0x01, 0x02, 0x01}))}) == "size minimum must not be greater than maximum");
  CHECK(moduleError({section(5, vec(2, {0x00, 0x01, 0x00, 0x01}))}) == "");  // multi-memory
  CHECK(moduleError({section(3, vec(1, {0x00})), section(10, vec(1, functionBody({0x00, END})))})
            .starts_with("unknown type"));
  CHECK(moduleError({section(6, vec(2, {I32, 0x00, 0x41, 0x00, END, I32, 0x00, 0x23, 0x00, END}))})
            .starts_with("unknown global"));
  CHECK(moduleError({section(2, vec(1, concat({name("m"), name("g"), {0x03, I32, 0x01}}))),
                     section(6, vec(1, {I32, 0x00, 0x23, 0x00, END}))}) == "constant expression required");
  CHECK(moduleError({section(6, vec(1, {I32, 0x00, 0x42, 0x00, END}))}).starts_with("type mismatch"));
  CHECK(moduleError({section(7, vec(1, concat({name("m"), {0x02, 0x00}})))}).starts_with("unknown memory"));
  CHECK(moduleError({section(5, vec(1, {0x00, 0x01})),
                     section(7, vec(2, concat({name("m"), {0x02, 0x00}, name("m"), {0x02, 0x00}})))}) ==
        "duplicate export name");
  CHECK(moduleError({section(11, vec(1, {0x00, 0x41, 0x00, END, 0x00}))}).starts_with("unknown memory"));
  CHECK(moduleError({section(4, vec(1, {EXTERNREF, 0x00, 0x01})),
                     section(9, vec(1, {0x04, 0x41, 0x00, END, 0x00}))})
            .starts_with("type mismatch"));
  // Start function must be [] -> [].
  CHECK(frontEndError(singleFunctionModule({I32}, {}, {0x00, END}, {section(8, {0x00})})).starts_with("start function"));
  CHECK(frontEndError(singleFunctionModule({}, {}, {0x00, END}, {section(8, {0x00})})) == "");
}

TEST_CASE("module-level errors say where the entity starts") {
  auto errorOffset = [](std::initializer_list<Bytes> sections) -> long {
    const Bytes bytes = wasmModule(sections);
    try {
      compiler::validateModule(compiler::decodeModule(bytes));
    } catch (const compiler::CompileError& e) {
      return static_cast<long>(e.offset());
    }
    return -1;
  };
  // After the 8-byte header, a section is id, size, count, then its entries.
  CHECK(errorOffset({section(7, vec(1, concat({name("f"), {0x00, 0x05}})))}) == 11);  // unknown function
  CHECK(errorOffset({section(5, vec(2, {0x00, 0x01, 0x01, 0x02, 0x01}))}) == 13);    // the second memory's min > max
  CHECK(errorOffset({section(5, vec(1, {0x01, 0x02, 0x01}))}) == 11);                // min > max
  CHECK(errorOffset({section(6, vec(1, {I32, 0x00, 0x42, 0x00, END}))}) == 11);      // init type mismatch
  CHECK(errorOffset({section(11, vec(1, {0x00, 0x41, 0x00, END, 0x00}))}) == 11);    // unknown memory
  // A duplicate export name is reported at its second occurrence: memory
  // section at 8..12, export section's entries at 16 and 20.
  CHECK(errorOffset({section(5, vec(1, {0x00, 0x01})),
                     section(7, vec(2, concat({name("m"), {0x02, 0x00}, name("m"), {0x02, 0x00}})))}) == 20);
  // A declared function with an unknown type: at its type index in the
  // function section (8..11), then the code section.
  CHECK(errorOffset({section(3, vec(1, {0x00})), section(10, vec(1, functionBody({0x00, END})))}) == 11);
}
