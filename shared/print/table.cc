#include "shared/print/table.h"

#include <algorithm>
#include <utility>

namespace kargo_token::print {
namespace {

std::string ToUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Column widths: for every cell that is not last on its line,
// max(width + padding, minwidth).
std::vector<size_t> ColumnWidths(const std::vector<std::vector<std::string>>& lines) {
  std::vector<size_t> widths;
  for (const auto& line : lines) {
    for (size_t i = 0; i + 1 < line.size(); ++i) {
      if (widths.size() <= i) widths.resize(i + 1, kTableMinWidth);
      widths[i] = std::max(widths[i], DisplayWidth(line[i]) + kTablePadding);
    }
  }
  return widths;
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string RenderAligned(const std::vector<std::vector<std::string>>& lines) {
  std::vector<size_t> widths = ColumnWidths(lines);
  std::string out;
  for (const auto& line : lines) {
    for (size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out.append(widths[i] - DisplayWidth(line[i]), ' ');
    }
    out += '\n';
  }
  return out;
}

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {
  for (std::string& h : headers_) h = ToUpper(std::move(h));
}

void Table::AddRow(std::vector<std::string> cells) {
  if (cells.size() < headers_.size()) cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::Render(bool no_headers) const {
  std::vector<std::vector<std::string>> lines;
  if (!no_headers && !headers_.empty()) lines.push_back(headers_);
  lines.insert(lines.end(), rows_.begin(), rows_.end());
  return RenderAligned(lines);
}

}  // namespace kargo_token::print
