#include "stats/protect.hpp"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

namespace fairdesk::stats {
namespace {

using E = Grid::Element;

bool Suppressed(const E& x) { return x.state != E::kPublished; }

}  // namespace

// Secondary suppression by rectangles ("hypercube" method in two dimensions). The table with its
// margins obeys one equation per row (inner cells sum to the row total) and per column. For a
// suppressed element p at (a, b) and any other row c and column d of the extended table, the four
// elements (a,b), (a,d), (c,b), (c,d) can move together by t, -/+t, -/+t, +/-t (signs from
// whether the partner is a margin) without changing any equation. If all four are suppressed, an
// attacker cannot tell p from any value in [p - min(+ partners), p + min(- partners)] by any
// reasoning from the published figures (linear programming included): suppressing more elements
// only widens that interval. So each primary element gets a rectangle whose partners hold at least
// p (the attacker cannot exclude 0) and, on the opposite sign, at least 5 - p (nor that it is 5 or
// more); among the rectangles that qualify, the cheapest (least published value hidden, margins
// dearer) is taken.
void Suppress(Grid& g, Kind kind) {
  const int R = g.rows, C = g.cols;
  std::vector<std::pair<int, int>> primaries;
  for (int i = 0; i <= R; ++i) {
    for (int j = 0; j <= C; ++j) {
      E& x = g.at(i, j);
      const bool small = kind == Kind::kCount ? (x.value >= 1 && x.value < kMinCount)
                                              : (x.value != 0 && (x.base < kMinBase || x.contributors < kMinContributors));
      if (small) {
        x.state = E::kPrimary;
        primaries.push_back({i, j});
      }
    }
  }
  auto r_sign = [&](int col) { return col < C ? 1 : -1; };
  auto q_sign = [&](int row) { return row < R ? 1 : -1; };
  for (auto [a, b] : primaries) {
    const std::int64_t v = g.at(a, b).value;
    const std::int64_t need_same = v;  // partners moving with p: p can reach 0
    const std::int64_t need_opposite = kind == Kind::kCount ? std::max<std::int64_t>(1, kMinCount - v) : v;
    double best_cost = -1;
    int best_c = -1, best_d = -1;
    for (int c = 0; c <= R; ++c) {
      if (c == a) continue;
      for (int d = 0; d <= C; ++d) {
        if (d == b) continue;
        const int s_ad = -r_sign(b) * r_sign(d), s_cb = -q_sign(a) * q_sign(c);
        const int s_cd = r_sign(b) * r_sign(d) * q_sign(a) * q_sign(c);
        const std::pair<const E*, int> partners[] = {{&g.at(a, d), s_ad}, {&g.at(c, b), s_cb}, {&g.at(c, d), s_cd}};
        double cost = 0;
        bool ok = true;
        for (auto [x, sign] : partners) {
          if (x->value < (sign > 0 ? need_same : need_opposite)) {
            ok = false;
            break;
          }
          if (!Suppressed(*x)) {
            const bool margin = x == &g.at(R, C) ? true : (x >= &g.at(R, 0) || (x - &g.e[0]) % (C + 1) == C);
            cost += static_cast<double>(kind == Kind::kCount ? x->value : x->base + 1) * (margin ? 3.0 : 1.0) + 1.0;
          }
        }
        if (ok && (best_cost < 0 || cost < best_cost)) {
          best_cost = cost;
          best_c = c;
          best_d = d;
        }
      }
    }
    if (best_c < 0) {
      // No rectangle protects p (a table of small figures): nothing of it is published.
      for (auto& x : g.e) {
        if (x.value != 0 && !Suppressed(x)) x.state = E::kSecondary;
      }
      return;
    }
    for (E* x : {&g.at(a, best_d), &g.at(best_c, b), &g.at(best_c, best_d)}) {
      if (!Suppressed(*x)) x->state = E::kSecondary;
    }
  }
}

std::int64_t Perturb(std::int64_t value, std::int64_t key, Kind kind, std::string_view secret, std::string_view measure,
                     std::int64_t largest) {
  if (value == 0) return 0;
  // u in [0, 1) from a keyed hash of the measure and the cell key.
  unsigned char out[8];
  std::string msg(measure);
  msg += ':';
  msg += std::to_string(key);
  unsigned char k[crypto_generichash_KEYBYTES];
  crypto_generichash(k, sizeof k, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), k, sizeof k);
  std::uint64_t bits = 0;
  std::memcpy(&bits, out, sizeof bits);
  const double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
  if (kind == Kind::kCount) {
    const int d = u < 0.10 ? -2 : u < 0.30 ? -1 : u < 0.70 ? 0 : u < 0.90 ? 1 : 2;
    return std::max<std::int64_t>(kMinCount, value + d);
  }
  // A sum moves by up to the larger of 5 % of itself and half its largest record: a record that
  // dominates the sum (or is all that two overlapping queries differ by) is hidden in noise of
  // its own size. Half the largest record is at most half the sum, so the result stays positive.
  const double spread = std::max(kSumSpread * static_cast<double>(value), kLargestSpread * static_cast<double>(largest));
  const double cents = std::round((static_cast<double>(value) + (u - 0.5) * 2.0 * spread) / 100.0) * 100.0;
  return static_cast<std::int64_t>(cents);
}

}  // namespace fairdesk::stats
