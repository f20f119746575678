// Unit tests of the binary reader (LEB128, names) and the module decoder:
// header, section framing and order, every section kind, the name section,
// and robustness against truncated and oversized input.
#include <doctest/doctest.h>

#include <limits>
#include <string>

#include "../../../compiler/src/binary_reader.h"
#include "wasm_bytes.h"
#include "wasmaot/compiler/compile.h"
#include "wasmaot/compiler/decoder.h"

using namespace wasmaot;
using namespace wasmaot::test;
using compiler::BinaryReader;
using compiler::CompileError;

namespace {

template <typename Read>
std::string readerError(const Bytes& bytes, Read read) {
  BinaryReader r(bytes);
  try {
    read(r);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

uint64_t readU32(const Bytes& bytes) { BinaryReader r(bytes); return r.u32(); }
int64_t readS32(const Bytes& bytes) { BinaryReader r(bytes); return r.s32(); }
int64_t readS33(const Bytes& bytes) { BinaryReader r(bytes); return r.s33(); }
int64_t readS64(const Bytes& bytes) { BinaryReader r(bytes); return r.s64(); }
uint64_t readU64(const Bytes& bytes) { BinaryReader r(bytes); return r.u64(); }

const auto u32 = [](BinaryReader& r) { r.u32(); };
const auto s32 = [](BinaryReader& r) { r.s32(); };
const auto s33 = [](BinaryReader& r) { r.s33(); };
const auto s64 = [](BinaryReader& r) { r.s64(); };
const auto u64 = [](BinaryReader& r) { r.u64(); };

}  // namespace

TEST_CASE("u32 LEB128: values and limits") {
  CHECK(readU32({0x00}) == 0);
  CHECK(readU32({0x7F}) == 127);
  CHECK(readU32({0x80, 0x01}) == 128);
  CHECK(readU32({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}) == 0xFFFFFFFFu);
  CHECK(readU32({0x80, 0x80, 0x80, 0x80, 0x00}) == 0);  // padded to the maximum length: allowed
  CHECK(readerError({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, u32) == "integer representation too long");
  CHECK(readerError({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, u32) == "integer too large");
  CHECK(readerError({0x80, 0x80, 0x80, 0x80, 0x10}, u32) == "integer too large");
  CHECK(readerError({0x80, 0x80}, u32) == "unexpected end of section or function");
  CHECK(readerError({}, u32) == "unexpected end of section or function");
}

TEST_CASE("s32 LEB128: sign boundaries and unused bits") {
  CHECK(readS32({0x7F}) == -1);
  CHECK(readS32({0x3F}) == 63);
  CHECK(readS32({0x40}) == -64);
  CHECK(readS32({0x80, 0x80, 0x80, 0x80, 0x78}) == std::numeric_limits<int32_t>::min());
  CHECK(readS32({0xFF, 0xFF, 0xFF, 0xFF, 0x07}) == std::numeric_limits<int32_t>::max());
  CHECK(readS32({0xFF, 0xFF, 0xFF, 0xFF, 0x7F}) == -1);
  CHECK(readerError({0x80, 0x80, 0x80, 0x80, 0x70}, s32) == "integer too large");
  CHECK(readerError({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, s32) == "integer too large");
  CHECK(readerError({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, s32) == "integer representation too long");
}

TEST_CASE("s33 and s64 LEB128") {
  CHECK(readS33({0xFF, 0xFF, 0xFF, 0xFF, 0x0F}) == 0xFFFFFFFFll);
  CHECK(readS33({0x80, 0x80, 0x80, 0x80, 0x70}) == -(1ll << 32));
  CHECK(readerError({0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, s33) == "integer too large");
  CHECK(readS64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}) ==
        std::numeric_limits<int64_t>::min());
  CHECK(readS64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}) ==
        std::numeric_limits<int64_t>::max());
  CHECK(readerError({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, s64) == "integer too large");
  CHECK(readerError({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, s64) ==
        "integer representation too long");
  CHECK(readU64({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}) == ~uint64_t{0});
  CHECK(readerError({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, u64) == "integer too large");
}

TEST_CASE("names must be UTF-8 and lengths must fit") {
  auto nameError = [](const Bytes& bytes) { return readerError(bytes, [](BinaryReader& r) { r.name(); }); };
  CHECK(nameError({0x03, 'a', 'b', 'c'}) == "");
  CHECK(nameError({0x02, 0xC3, 0xA9}) == "");                   // é
  CHECK(nameError({0x04, 0xF0, 0x9F, 0x98, 0x80}) == "");       // U+1F600
  CHECK(nameError({0x02, 0xC0, 0x80}) == "malformed UTF-8 encoding");  // overlong
  CHECK(nameError({0x03, 0xED, 0xA0, 0x80}) == "malformed UTF-8 encoding");  // surrogate
  CHECK(nameError({0x04, 0xF4, 0x90, 0x80, 0x80}) == "malformed UTF-8 encoding");  // above U+10FFFF
  CHECK(nameError({0x01, 0x80}) == "malformed UTF-8 encoding");  // lone continuation byte
  CHECK(nameError({0x02, 0xE2, 0x82}) == "malformed UTF-8 encoding");  // truncated sequence
  CHECK(nameError({0x05, 'a'}) == "length out of bounds");
}

TEST_CASE("header") {
  CHECK(decodeError({}) == "unexpected end");
  CHECK(decodeError({0x00, 0x61, 0x73}) == "unexpected end");
  CHECK(decodeError({0x00, 0x61, 0x73, 0x6D}) == "unexpected end");
  CHECK(decodeError({0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00}) == "magic header not detected");
  CHECK(decodeError({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}) == "unknown binary version");
  CHECK(decodeError(wasmModule({})) == "");
}

TEST_CASE("section framing and order") {
  // Section 13 is exception handling's tag section (between Memory and Global); 14 is nothing.
  CHECK(decodeError(wasmModule({Bytes{0x0E, 0x00}})) == "malformed section id");
  CHECK(decodeError(wasmModule({section(6, vec(0, {})), section(13, vec(0, {}))})) ==
        "unexpected content after last section");
  CHECK(decodeError(wasmModule({section(13, vec(0, {})), section(6, vec(0, {}))})) == "");
  CHECK(decodeError(wasmModule({Bytes{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F}})) == "length out of bounds");
  // A vector count larger than the input is rejected before anything is allocated.
  CHECK(decodeError(wasmModule({section(1, {0xFF, 0xFF, 0xFF, 0xFF, 0x0F})})) == "length out of bounds");
  CHECK(decodeError(wasmModule({section(1, vec(0, {})), section(1, vec(0, {}))})) ==
        "unexpected content after last section");
  CHECK(decodeError(wasmModule({section(1, vec(0, {0x00}))})) == "section size mismatch");
  CHECK(decodeError(wasmModule({section(3, vec(1, {0x00}))})) ==
        "function and code section have inconsistent lengths");
  CHECK(decodeError(wasmModule({section(12, {0x01})})) == "data count and data section have inconsistent lengths");
  // Custom sections may appear anywhere, also between ordered sections.
  CHECK(decodeError(wasmModule({section(0, name("x")), section(1, vec(0, {})), section(0, name("y"))})) == "");
  CHECK(decodeError(wasmModule({section(0, {0x02, 0xC0, 0x80})})) == "malformed UTF-8 encoding");
  CHECK(decodeError(wasmModule({Bytes{0x00, 0x00}})).starts_with("unexpected end"));
}

TEST_CASE("tags: section, imports, exports") {
  const Bytes bytes = wasmModule({
      section(1, vec(1, {0x60, 0x02, 0x7F, 0x7E, 0x00})),                   // type 0: (i32 i64) -> ()
      section(2, vec(1, concat({name("env"), name("e"), {0x04, 0x00, 0x00}}))),  // tag import, type 0
      section(13, vec(2, {0x00, 0x00, 0x00, 0x00})),                         // two tags of type 0
      section(7, vec(1, concat({name("t"), {0x04, 0x02}}))),                  // export tag 2
  });
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  const abi::ModuleInfo& info = module.info;
  CHECK(info.tags == std::vector<uint32_t>{0, 0, 0});
  CHECK(info.num_imported_tags == 1);
  REQUIRE(info.imports.size() == 1);
  CHECK(info.imports[0].kind == abi::ExternKind::Tag);
  CHECK(info.exports[0].kind == abi::ExternKind::Tag);
  CHECK(info.exports[0].index == 2);
  // The attribute byte must be 0 (exception); export kinds end at 4.
  CHECK(decodeError(wasmModule({section(1, vec(1, {0x60, 0x00, 0x00})), section(13, vec(1, {0x01, 0x00}))})) ==
        "malformed tag attribute");
  CHECK(decodeError(wasmModule({section(7, vec(1, concat({name("x"), {0x05, 0x00}})))})) == "malformed export kind");
}

TEST_CASE("imports, tables, memories, globals, exports") {
  const Bytes bytes = wasmModule({
      section(1, vec(1, {0x60, 0x01, 0x7F, 0x00})),
      section(2, vec(4, concat({name("env"), name("f"), {0x00, 0x00},                    // function, type 0
                                name("env"), name("t"), {0x01, 0x70, 0x01, 0x01, 0x05},  // table funcref 1..5
                                name("env"), name("m"), {0x02, 0x00, 0x02},              // memory 2
                                name("env"), name("g"), {0x03, 0x7E, 0x01}}))),          // mut i64
      section(6, vec(1, {0x7F, 0x00, 0x41, 0x7F, 0x0B})),  // i32 global = -1
      section(7, vec(1, concat({name("g2"), {0x03, 0x01}}))),
  });
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  const abi::ModuleInfo& info = module.info;
  REQUIRE(info.imports.size() == 4);
  CHECK(info.imports[1].kind == abi::ExternKind::Table);
  CHECK(info.num_imported_functions == 1);
  CHECK(info.num_imported_globals == 1);
  CHECK(info.tables[0].limits.max == 5u);
  CHECK(info.memories[0].limits.min == 2);
  CHECK_FALSE(info.memories[0].limits.max.has_value());
  REQUIRE(info.globals.size() == 2);
  CHECK(info.globals[0].type.is_mutable);
  CHECK(info.globals[1].init.kind == abi::ConstExpr::Kind::I32Const);
  CHECK(info.globals[1].init.bits == 0xFFFFFFFFu);
  CHECK(info.exports[0].index == 1);

  CHECK(decodeError(wasmModule({section(2, vec(1, concat({name(""), name(""), {0x05}})))})) ==
        "malformed import kind");
  CHECK(decodeError(wasmModule({section(6, vec(1, {0x7F, 0x02, 0x41, 0x00, 0x0B}))})) == "malformed mutability");
  CHECK(decodeError(wasmModule({section(4, vec(1, {0x7F, 0x00, 0x01}))})) == "malformed reference type");
  // Memory limits flags: bit 0 a maximum, bit 1 shared (threads); nothing else.
  CHECK(decodeError(wasmModule({section(5, vec(1, {0x04, 0x00}))})) ==
        "integer too large (flag 4 is memory64's 64-bit index, which wasmaot does not support yet)");
  CHECK(decodeError(wasmModule({section(5, vec(1, {0x08, 0x00}))})) == "integer too large");
  CHECK(decodeError(wasmModule({section(4, vec(1, {0x70, 0x02, 0x00}))})) == "integer too large");  // tables: no shared flag
  auto shared = wasmaot::compiler::decodeModule(wasmModule({section(5, vec(1, {0x03, 0x01, 0x02}))}));
  REQUIRE(shared.info.memories.size() == 1);
  CHECK(shared.info.memories[0].shared);
  CHECK(shared.info.memories[0].limits.max == 2u);
}

TEST_CASE("constant expressions") {
  auto global = [](const Bytes& expr) { return wasmModule({section(6, vec(1, concat({{0x7F, 0x00}, expr})))}); };
  CHECK(decodeError(global({0x0B})) == "type mismatch");
  // Several instructions decode as an extended constant expression (Wasm
  // 3.0); its stack typing is the validator's: two values, or an add with
  // one operand, are type mismatches.
  auto validation = [](const Bytes& module) {
    auto failure = wasmaot::compiler::validateWasm(module);
    return failure ? failure->message : std::string();
  };
  CHECK(decodeError(global({0x41, 0x00, 0x41, 0x00, 0x0B})).empty());
  CHECK(validation(global({0x41, 0x00, 0x41, 0x00, 0x0B})) == "type mismatch");
  CHECK(validation(global({0x41, 0x00, 0x6A, 0x0B})) == "type mismatch");
  CHECK(validation(global({0x41, 0x02, 0x41, 0x03, 0x6C, 0x41, 0x01, 0x6A, 0x0B})).empty());  // 2 * 3 + 1
  CHECK(validation(global({0x42, 0x02, 0x41, 0x03, 0x6C, 0x0B})) == "type mismatch");      // i64 * i32
  CHECK(decodeError(global({0x41, 0x00, 0x41, 0x00, 0x6D, 0x0B})) == "constant expression required");  // i32.div_s
  CHECK(decodeError(global({0x20, 0x00, 0x0B})) == "constant expression required");
  CHECK(decodeError(global({0xF3, 0x0B})) == "illegal opcode");
  CHECK(decodeError(global({0x41, 0x00})).starts_with("unexpected end"));
}

TEST_CASE("element segments: all eight encodings") {
  const Bytes offset = {0x41, 0x00, 0x0B};
  const Bytes ref_func_1 = {0xD2, 0x01, 0x0B};
  const Bytes elements = vec(8, concat({
      concat({{0x00}, offset, vec(1, {0x01})}),                      // 0: active table 0, indices
      concat({{0x01, 0x00}, vec(1, {0x00})}),                        // 1: passive, indices
      concat({{0x02, 0x00}, offset, {0x00}, vec(1, {0x01})}),        // 2: active table 0 explicit, indices
      concat({{0x03, 0x00}, vec(1, {0x01})}),                        // 3: declarative, indices
      concat({{0x04}, offset, vec(1, ref_func_1)}),                  // 4: active, expressions
      concat({{0x05, 0x70}, vec(2, concat({ref_func_1, {0xD0, 0x70, 0x0B}}))}),  // 5: passive, expressions
      concat({{0x06, 0x00}, offset, {0x70}, vec(1, ref_func_1)}),    // 6: active explicit, expressions
      concat({{0x07, 0x6F}, vec(1, {0xD0, 0x6F, 0x0B})}),            // 7: declarative externref
  }));
  const Bytes bytes = wasmModule({
      section(1, vec(1, {0x60, 0x00, 0x00})),
      section(3, vec(2, {0x00, 0x00})),
      section(4, vec(1, {0x70, 0x00, 0x02})),
      section(9, elements),
      section(10, vec(2, concat({functionBody({0x00, 0x0B}), functionBody({0x00, 0x0B})}))),
  });
  REQUIRE(frontEndError(bytes) == "");
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  const auto& segments = module.info.elements;
  REQUIRE(segments.size() == 8);
  using Mode = abi::SegmentMode;
  const Mode modes[] = {Mode::Active, Mode::Passive, Mode::Active, Mode::Declarative,
                        Mode::Active, Mode::Passive, Mode::Active, Mode::Declarative};
  for (size_t i = 0; i < 8; ++i) CHECK(segments[i].mode == modes[i]);
  CHECK(segments[5].items.size() == 2);
  CHECK(segments[5].items[1].kind == abi::ConstExpr::Kind::RefNull);
  CHECK(segments[7].element_type == abi::ValType::ExternRef);
  CHECK(module.declared_function_refs == std::vector<uint32_t>{0, 1});

  CHECK(decodeError(wasmModule({section(9, vec(1, {0x01, 0x01, 0x00}))})) == "malformed element kind");
  CHECK(decodeError(wasmModule({section(9, vec(1, {0x05, 0x7F, 0x00}))})) == "malformed reference type");
}

TEST_CASE("data segments and data count") {
  const Bytes bytes = wasmModule({
      section(5, vec(1, {0x00, 0x01})),
      section(12, {0x03}),
      section(11, vec(3, concat({{0x00, 0x41, 0x10, 0x0B}, name("ab"),
                                 {0x01}, name("c"),
                                 {0x02, 0x00, 0x41, 0x00, 0x0B}, name("")}))),
  });
  REQUIRE(frontEndError(bytes) == "");
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  REQUIRE(module.info.data.size() == 3);
  CHECK(module.data_count == 3u);
  CHECK(module.info.data[0].offset.bits == 16);
  CHECK(module.info.data[0].bytes == Bytes{'a', 'b'});
  CHECK(module.info.data[1].mode == abi::SegmentMode::Passive);
  CHECK(module.info.data[2].bytes.empty());
  // 7 bytes declared, 6 present.
  CHECK(decodeError(wasmModule({section(11, concat({{0x01, 0x01, 0x07}, Bytes(6, 'x')}))}))
            .starts_with("unexpected end"));
}

TEST_CASE("name section: module and function names; malformed ones are ignored") {
  const Bytes names = concat({
      name("name"),
      section(0, name("mod")),
      section(1, vec(2, concat({{0x01}, name("second"), {0x00}, name("first")}))),
  });
  const Bytes types = section(1, vec(1, {0x60, 0x00, 0x00}));
  const Bytes funcs = section(3, vec(2, {0x00, 0x00}));
  const Bytes code = section(10, vec(2, concat({functionBody({0x00, 0x0B}), functionBody({0x00, 0x0B})})));
  const compiler::DecodedModule module = compiler::decodeModule(wasmModule({types, funcs, code, section(0, names)}));
  CHECK(module.info.module_name == "mod");
  REQUIRE(module.info.function_names.size() == 2);
  CHECK(module.info.functionName(0) == "first");
  CHECK(module.info.functionName(1) == "second");
  CHECK(module.info.functionName(7).empty());

  // Function-name subsection with a count larger than its content and a bad
  // UTF-8 name: the module still decodes, without names.
  const Bytes broken = concat({name("name"), section(1, vec(5, concat({{0x00}, {0x01, 0xFF}})))});
  const compiler::DecodedModule without_names =
      compiler::decodeModule(wasmModule({types, funcs, code, section(0, broken)}));
  CHECK(without_names.info.function_names.empty());
}

TEST_CASE("code section records body positions") {
  const Bytes bytes = singleFunctionModule({0x7F}, {0x7F}, {0x00, 0x20, 0x00, 0x0B});
  const compiler::DecodedModule module = compiler::decodeModule(bytes);
  REQUIRE(module.bodies.size() == 1);
  CHECK(module.bodies[0].size == 4);
  CHECK(bytes[module.bodies[0].offset] == 0x00);
  CHECK(bytes[module.bodies[0].offset + 3] == 0x0B);
}

TEST_CASE("truncation at every offset never crashes") {
  const Bytes types = section(1, vec(2, {0x60, 0x01, 0x7F, 0x01, 0x7F, 0x60, 0x00, 0x00}));
  const Bytes imports = section(2, vec(1, concat({name("env"), name("f"), {0x00, 0x01}})));
  const Bytes without_names = wasmModule({
      types,
      imports,
      section(3, vec(2, {0x00, 0x01})),
      section(4, vec(1, {0x70, 0x00, 0x02})),
      section(5, vec(1, {0x01, 0x01, 0x02})),
      section(6, vec(1, {0x7F, 0x01, 0x41, 0x2A, 0x0B})),
      section(7, vec(1, concat({name("f"), {0x00, 0x01}}))),
      section(8, {0x02}),
      section(9, vec(1, concat({{0x00, 0x41, 0x00, 0x0B}, vec(1, {0x01})}))),
      section(12, {0x01}),
      section(10, vec(2, concat({functionBody({0x01, 0x01, 0x7E, 0x20, 0x00, 0x0B}),
                                 functionBody({0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x01, 0xFC, 0x08, 0x00, 0x00,
                                               0x0B})}))),
      section(11, vec(1, concat({{0x01}, name("hi")}))),
  });
  const Bytes full =
      concat({without_names, section(0, concat({name("name"), section(1, vec(1, concat({{0x01}, name("f1")})))}))});
  REQUIRE(frontEndError(full) == "");
  for (size_t cut = 0; cut < full.size(); ++cut) {
    const Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
    CAPTURE(cut);
    std::string error;
    CHECK_NOTHROW(error = frontEndError(prefix));  // only CompileError, caught inside
    // Every proper prefix is malformed except those that end right after
    // the header, the type section, the import section or the data section.
    const bool complete = cut == 8 || cut == 8 + types.size() || cut == 8 + types.size() + imports.size() ||
                          cut == without_names.size();
    CHECK(error.empty() == complete);
  }
}
