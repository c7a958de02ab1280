#pragma once
/// What every calculator result carries besides its figures: the paragraphs applied and the
/// points the advisor must check by hand.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fairdesk::labour_law {

/// Named values a translated text needs (dates as YYYY-MM-DD, numbers as digits, holiday names
/// in German); the UI translates a warning or detail by its code and fills these in.
using TextParams = std::vector<std::pair<std::string, std::string>>;

/// A point for the advisor. `code` is stable (clients translate by it); `message` is English.
struct Warning {
  std::string code;
  std::string message;
  TextParams params;
  friend bool operator==(const Warning&, const Warning&) = default;
};

/// Legal basis and warnings, both without duplicates and in the order first added.
class Explanation {
 public:
  void Basis(std::string_view paragraph) {
    for (const auto& b : legal_basis_) {
      if (b == paragraph) {
        return;
      }
    }
    legal_basis_.emplace_back(paragraph);
  }
  void Warn(std::string_view code, std::string_view message, TextParams params = {}) {
    for (const auto& w : warnings_) {
      if (w.code == code) {
        return;
      }
    }
    warnings_.push_back({std::string(code), std::string(message), std::move(params)});
  }
  bool HasWarning(std::string_view code) const {
    for (const auto& w : warnings_) {
      if (w.code == code) {
        return true;
      }
    }
    return false;
  }
  const std::vector<std::string>& legal_basis() const { return legal_basis_; }
  const std::vector<Warning>& warnings() const { return warnings_; }

 private:
  std::vector<std::string> legal_basis_;
  std::vector<Warning> warnings_;
};

}  // namespace fairdesk::labour_law
