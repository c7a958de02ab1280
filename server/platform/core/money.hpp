#pragma once
/// Money as an integer number of euro cents. Never a double: legal amounts must add up exactly.

#include <compare>
#include <cstdint>

namespace fairdesk {

class Cents {
 public:
  constexpr Cents() = default;
  constexpr explicit Cents(int64_t value) : value_(value) {}

  /// Whole euros, for tables written in euros (`Cents::Euros(12)`).
  static constexpr Cents Euros(int64_t euros) { return Cents(euros * 100); }

  constexpr int64_t value() const { return value_; }

  constexpr Cents operator+(Cents other) const { return Cents(value_ + other.value_); }
  constexpr Cents operator-(Cents other) const { return Cents(value_ - other.value_); }
  constexpr Cents& operator+=(Cents other) {
    value_ += other.value_;
    return *this;
  }
  constexpr Cents& operator-=(Cents other) {
    value_ -= other.value_;
    return *this;
  }

  friend constexpr auto operator<=>(Cents a, Cents b) = default;
  friend constexpr bool operator==(Cents a, Cents b) = default;

 private:
  int64_t value_ = 0;
};

constexpr Cents Max(Cents a, Cents b) { return a < b ? b : a; }

/// `amount × numerator / denominator`, rounded half up (away from zero for positive values) to
/// the cent, in integer arithmetic. The caller keeps the product within int64 (amounts below
/// 10^13 cents and factors below 10^5 are always safe).
constexpr Cents MulDivRoundHalfUp(Cents amount, int64_t numerator, int64_t denominator) {
  const int64_t product = amount.value() * numerator;
  if (product >= 0) {
    return Cents((product + denominator / 2) / denominator);
  }
  return Cents(-((-product + denominator / 2) / denominator));
}

}  // namespace fairdesk
