#include "tests/kube-sim/protobuf/wire.h"

#include <string>

namespace kargo_token::kube_sim {

Result<uint64_t> WireReader::ReadVarint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    if (pos_ >= data_.size()) return Error::Parse("unexpected EOF");
    uint8_t byte = static_cast<uint8_t>(data_[pos_++]);
    if (shift == 63 && byte > 1) return Error::Parse("integer overflow");
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  return Error::Parse("integer overflow");
}

Result<uint64_t> WireReader::ReadFixed(size_t width) {
  if (data_.size() - pos_ < width) return Error::Parse("unexpected EOF");
  uint64_t value = 0;
  for (size_t i = 0; i < width; ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
  }
  pos_ += width;
  return value;
}

Result<bool> WireReader::Next(WireField* field) {
  if (pos_ >= data_.size()) return false;
  KT_ASSIGN_OR_RETURN(uint64_t tag, ReadVarint());
  uint64_t number = tag >> 3;
  uint8_t type = static_cast<uint8_t>(tag & 7);
  if (number == 0 || number > 0x1fffffff) {
    return Error::Parse("illegal tag " + std::to_string(number) + " (wire type " +
                        std::to_string(type) + ")");
  }
  field->number = static_cast<uint32_t>(number);
  field->bytes = {};
  field->value = 0;
  switch (type) {
    case 0: {
      field->type = WireType::kVarint;
      KT_ASSIGN_OR_RETURN(field->value, ReadVarint());
      return true;
    }
    case 1: {
      field->type = WireType::kFixed64;
      KT_ASSIGN_OR_RETURN(field->value, ReadFixed(8));
      return true;
    }
    case 5: {
      field->type = WireType::kFixed32;
      KT_ASSIGN_OR_RETURN(field->value, ReadFixed(4));
      return true;
    }
    case 2: {
      field->type = WireType::kBytes;
      KT_ASSIGN_OR_RETURN(uint64_t length, ReadVarint());
      if (length > data_.size() - pos_) return Error::Parse("unexpected EOF");
      field->bytes = data_.substr(pos_, static_cast<size_t>(length));
      pos_ += static_cast<size_t>(length);
      return true;
    }
    default:
      return Error::Parse("illegal wireType " + std::to_string(type) + " for field " +
                          std::to_string(number));
  }
}

}  // namespace kargo_token::kube_sim
