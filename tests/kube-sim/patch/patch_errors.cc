#include "tests/kube-sim/patch/patch_errors.h"

#include <map>
#include <utility>

namespace kargo_token::kube_sim {

Error PatchBadRequest(std::string message) {
  ApiStatus s;
  s.code = 400;
  s.reason = "BadRequest";
  s.message = std::move(message);
  return Error::FromApiStatus(std::move(s));
}

Error PatchUnprocessable(const std::string& detail) {
  ApiStatus s;
  s.code = 422;
  s.reason = "Invalid";
  s.message = "the server rejected our request due to an error in our request";
  return Error::FromApiStatus(std::move(s)).Wrap(detail);
}

Error PatchTooLarge(std::string message) {
  ApiStatus s;
  s.code = 413;
  s.reason = "RequestEntityTooLarge";
  s.message = "Request entity too large: " + message;
  return Error::FromApiStatus(std::move(s));
}

namespace {

// ConflictMessage follows getConflictMessage: one conflict inline, several
// grouped by manager (sorted) with one "- <field>" line each.
std::string ConflictMessage(const std::vector<PatchConflictCause>& causes) {
  if (causes.size() == 1) {
    return "Apply failed with 1 conflict: conflict with " + causes[0].manager_description + ": " +
           causes[0].field;
  }
  std::map<std::string, std::vector<std::string>> by_manager;
  for (const auto& c : causes) by_manager[c.manager_description].push_back(c.field);
  std::string out = "Apply failed with " + std::to_string(causes.size()) + " conflicts: ";
  bool first = true;
  for (const auto& [manager, fields] : by_manager) {
    out += (first ? "" : "\n") + std::string("conflicts with ") + manager + ":";
    first = false;
    for (const auto& f : fields) out += "\n- " + f;
  }
  return out;
}

}  // namespace

Error ApplyConflict(const std::vector<PatchConflictCause>& causes) {
  ApiStatus s;
  s.code = 409;
  s.reason = "Conflict";
  s.message = ConflictMessage(causes);
  for (const auto& c : causes) {
    s.causes.push_back({"FieldManagerConflict", "conflict with " + c.manager_description, c.field});
  }
  return Error::FromApiStatus(std::move(s));
}

}  // namespace kargo_token::kube_sim
