// Table renders kubectl's default `get` output: cells aligned the way
// cli-runtime's tabwriter (github.com/liggitt/tabwriter; minwidth 6,
// tabwidth 4, padding 3, padchar ' ') aligns them.
//
//   Table t({"Name", "Role", "Kargo Managed", "Age"});
//   t.AddRow({"kargo-admin-token-1", "kargo-admin", "true", "5m"});
//   out << t.Render();
//
// Each column except the last is padded to max(widest cell + 3, 6); the last
// column is written as is. Widths are counted in UTF-8 code points, as Go's
// tabwriter does. Not thread-safe.
#ifndef KARGO_TOKEN_SHARED_PRINT_TABLE_H_
#define KARGO_TOKEN_SHARED_PRINT_TABLE_H_

#include <string>
#include <vector>

namespace kargo_token::print {

class Table {
 public:
  // `headers` are column names; they are printed upper-cased (kubectl's
  // strings.ToUpper of the column definitions).
  explicit Table(std::vector<std::string> headers);

  // AddRow appends one row. A row shorter than the header is padded with
  // empty cells; extra cells are kept (and widen nothing but their column).
  void AddRow(std::vector<std::string> cells);

  // Render returns all rows, each ending in "\n". With `no_headers` the header
  // row is omitted and widths come from the cells alone (kubectl
  // --no-headers). An empty table renders the header line only, or "".
  std::string Render(bool no_headers = false) const;

  size_t row_count() const { return rows_.size(); }

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// The tabwriter settings kubectl uses (cli-runtime pkg/printers/tabwriter.go).
inline constexpr size_t kTableMinWidth = 6;
inline constexpr size_t kTablePadding = 3;

// RenderAligned aligns arbitrary lines of cells with those settings; Table
// uses it, and so can custom-columns output.
std::string RenderAligned(const std::vector<std::vector<std::string>>& lines);

// DisplayWidth counts UTF-8 code points (continuation bytes are skipped).
size_t DisplayWidth(const std::string& s);

}  // namespace kargo_token::print

#endif  // KARGO_TOKEN_SHARED_PRINT_TABLE_H_
