#include "test-run-each.h"

#include <algorithm>

namespace progrun {

// The lookup table is reused call after call (progTestRunEach is a hot path): one per thread, since
// every environment runs JavaScript on its own thread.
EachBuffers::EachBuffers(napi_env env, napi_value array)
    : env_(env), array_(array), slots_(*[] {
        thread_local std::vector<Slot> slots;
        return &slots;
      }()) {
  std::uint32_t length = 0;
  if (napi_get_array_length(env, array, &length) != napi_ok) length = 0;
  slots_.assign(length, Slot{});
}

bool EachBuffers::Range(std::uint32_t index, std::uint32_t offset, std::uint32_t length,
                        const std::uint8_t** out) {
  if (index >= slots_.size()) return false;
  Slot& slot = slots_[index];
  if (!slot.resolved) {
    napi_value value;
    void* data = nullptr;
    std::size_t byte_length = 0;
    if (napi_get_element(env_, array_, index, &value) != napi_ok ||
        napi_get_arraybuffer_info(env_, value, &data, &byte_length) != napi_ok)
      return false;
    slot = Slot{true, static_cast<const std::uint8_t*>(data), data == nullptr ? 0 : byte_length};
  }
  if (static_cast<std::size_t>(offset) + length > slot.length) return false;
  *out = slot.data == nullptr ? nullptr : slot.data + offset;
  return true;
}

bool ReadEachRow(const std::uint32_t* row, EachBuffers& buffers, EachItem* item, const char** problem) {
  *item = EachItem{};
  TestRunInput& in = item->in;
  const std::uint32_t bits = row[kEachInBits];
  if ((bits & kEachSkip) != 0) return item->skip = true, true;
  if (row[kEachInDataBuffer] != kEachNoBuffer && row[kEachInDataLength] > 0) {
    if (!buffers.Range(row[kEachInDataBuffer], row[kEachInDataOffset], row[kEachInDataLength], &in.data_in))
      return *problem = "data_in must lie inside an ArrayBuffer of buffers", false;
    in.data_in_size = row[kEachInDataLength];
  }
  if (row[kEachInCtxBuffer] != kEachNoBuffer && row[kEachInCtxLength] > 0) {
    if (!buffers.Range(row[kEachInCtxBuffer], row[kEachInCtxOffset], row[kEachInCtxLength], &in.ctx_in))
      return *problem = "ctx_in must lie inside an ArrayBuffer of buffers", false;
    in.ctx_in_size = row[kEachInCtxLength];
  }
  if (row[kEachInDataRoom] > kEachMaxRoom || row[kEachInCtxRoom] > kEachMaxRoom)
    return *problem = "dataRoom and ctxRoom must be at most 256 MiB", false;
  in.pass_empty_data_in = (bits & kEachEmptyDataIn) != 0;
  in.pass_empty_ctx_in = (bits & kEachEmptyCtxIn) != 0;
  item->return_ctx_in = (bits & kEachReturnCtxIn) != 0;
  item->data_room = row[kEachInDataRoom];
  // A context returned from ctx_in needs room for ctx_in; the kernel then gets no ctx_out.
  item->ctx_room = item->return_ctx_in ? static_cast<std::uint32_t>(in.ctx_in_size) : row[kEachInCtxRoom];
  in.pass_empty_ctx_out = !item->return_ctx_in && (bits & kEachEmptyCtxOut) != 0;
  in.repeat = row[kEachInRepeat];
  in.flags = row[kEachInFlags];
  in.cpu = row[kEachInCpu];
  in.batch_size = row[kEachInBatchSize];
  return true;
}

TestRunInput EachRunInput(const EachItem& item, std::uint8_t* base, std::size_t cursor) {
  TestRunInput in = item.in;
  in.data_out = base + cursor;
  in.data_out_size = item.data_room;
  if (!item.return_ctx_in) {
    in.ctx_out = base + cursor + Align8(item.data_room);
    in.ctx_out_size = item.ctx_room;
  }
  return in;
}

std::size_t PackEachOutputs(const EachItem& item, const TestRunOutput& out, std::uint32_t chunks,
                            std::uint8_t* base, std::size_t cursor, std::uint32_t* result) {
  const std::size_t data_length = item.data_room == 0 ? 0 : std::min<std::size_t>(out.data_size_out, item.data_room);
  const std::size_t ctx_at = cursor + Align8(data_length);
  std::size_t ctx_length = 0;
  if (item.return_ctx_in) {
    ctx_length = item.in.ctx_in_size;
    if (ctx_length > 0) std::memmove(base + ctx_at, item.in.ctx_in, ctx_length);
  } else if (item.ctx_room > 0) {
    ctx_length = std::min<std::size_t>(out.ctx_size_out, item.ctx_room);
    if (ctx_length > 0) std::memmove(base + ctx_at, base + cursor + Align8(item.data_room), ctx_length);
  }
  result[kEachOutRet] = static_cast<std::uint32_t>(static_cast<std::int32_t>(out.ret));
  result[kEachOutRetval] = out.retval;
  result[kEachOutDuration] = out.duration;
  result[kEachOutDataSizeOut] = out.data_size_out;
  result[kEachOutCtxSizeOut] = out.ctx_size_out;
  result[kEachOutDataOutOffset] = static_cast<std::uint32_t>(cursor);
  result[kEachOutDataOutLength] = static_cast<std::uint32_t>(data_length);
  result[kEachOutCtxOutOffset] = static_cast<std::uint32_t>(ctx_at);
  result[kEachOutCtxOutLength] = static_cast<std::uint32_t>(ctx_length);
  result[kEachOutRestarts] = out.restarts;
  result[kEachOutChunks] = chunks;
  // Compared here, where the bytes were just written (on a pool thread for the async form), so a caller
  // counting changed packets makes no view per packet.
  result[kEachOutDataOutSame] = out.ret >= 0 && item.data_room > 0 && data_length == item.in.data_in_size &&
                                (data_length == 0 || std::memcmp(base + cursor, item.in.data_in, data_length) == 0);
  return Align8(ctx_at + ctx_length);
}

}  // namespace progrun
