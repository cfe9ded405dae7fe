// Many inputs of one program per crossing (progTestRunEach and its async form, prog-test-run-each.cc):
// the input rows JavaScript fills (TestRunEachInput), resolved to memory, and one input's run with its
// outputs packed into an output region (rows: TestRunEachResult).
//
// Packing: the packet goes at the cursor with dataRoom bytes of room and the context after that room
// (rounded up to 8);
// after the run the context moves down behind the bytes the packet used, and the cursor moves past them
// (8-byte aligned). Outputs of 64-byte packets with the default room (a page and more) thus take 64 bytes
// each, not the room.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "generated/native-calls.h"
#include "test-run.h"

namespace progrun {

// Rounds up to a multiple of 8.
inline std::size_t Align8(std::size_t n) { return (n + 7) & ~static_cast<std::size_t>(7); }

// Bits of the bits field.
constexpr std::uint32_t kEachEmptyDataIn = 1, kEachEmptyCtxIn = 2, kEachEmptyCtxOut = 4, kEachReturnCtxIn = 8,
                        kEachSkip = 16;
constexpr std::uint32_t kEachNoBuffer = 0xffffffffu;
// Room one input may ask for (the TypeScript layer allows 16 MiB each).
constexpr std::uint32_t kEachMaxRoom = 1u << 28;

// One input resolved: the kernel's inputs, and the room its outputs need.
struct EachItem {
  TestRunInput in;
  std::uint32_t data_room = 0;
  std::uint32_t ctx_room = 0;
  bool return_ctx_in = false;
  bool skip = false;
  // Bytes of output region the run needs at the cursor.
  std::size_t Room() const { return Align8(data_room) + ctx_room; }
};

// The ArrayBuffers of a `buffers` Array, each looked up once per call (main thread only).
class EachBuffers {
 public:
  EachBuffers(napi_env env, napi_value array);
  // Bytes [offset, offset + length) of buffer index; false when they do not lie inside it.
  bool Range(std::uint32_t index, std::uint32_t offset, std::uint32_t length, const std::uint8_t** out);

 private:
  struct Slot {
    bool resolved = false;
    const std::uint8_t* data = nullptr;
    std::size_t length = 0;
  };
  napi_env env_;
  napi_value array_;
  std::vector<Slot>& slots_;
};

// Reads one row into item (the pointers into JavaScript memory); false with *problem naming the broken
// rule.
bool ReadEachRow(const std::uint32_t* row, EachBuffers& buffers, EachItem* item, const char** problem);

// Writes the run's outputs for item at base + cursor (which has item.Room() bytes of room) and its
// result row; returns the cursor after the outputs.
std::size_t PackEachOutputs(const EachItem& item, const TestRunOutput& out, std::uint32_t chunks,
                            std::uint8_t* base, std::size_t cursor, std::uint32_t* result);

// item.in with its outputs pointed at base + cursor.
TestRunInput EachRunInput(const EachItem& item, std::uint8_t* base, std::size_t cursor);

}  // namespace progrun
