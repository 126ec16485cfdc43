// A bounds-checked reader of the protobuf wire format (varints, fixed
// 32/64-bit and length-delimited fields), written by hand: kube-sim links no
// protobuf library.
#ifndef KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_WIRE_H_
#define KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_WIRE_H_

#include <cstdint>
#include <string_view>

#include "shared/base/result.h"

namespace kargo_token::kube_sim {

enum class WireType : uint8_t { kVarint = 0, kFixed64 = 1, kBytes = 2, kFixed32 = 5 };

// WireField is one decoded field; `bytes` points into the reader's input.
struct WireField {
  uint32_t number = 0;
  WireType type = WireType::kVarint;
  uint64_t value = 0;      // kVarint, kFixed64, kFixed32
  std::string_view bytes;  // kBytes
};

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}

  // Next reads the next field into `field`: true when one was read, false at
  // the end of the input. Truncated input, 11-byte varints, field number 0,
  // group wire types (3, 4) and unknown wire types are errors (kParse).
  Result<bool> Next(WireField* field);

 private:
  Result<uint64_t> ReadVarint();
  Result<uint64_t> ReadFixed(size_t width);

  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace kargo_token::kube_sim

#endif  // KARGO_TOKEN_TESTS_KUBE_SIM_PROTOBUF_WIRE_H_
