#include "platform/db/sqlite/placeholders.hpp"

#include <gtest/gtest.h>

namespace fairdesk::db::sqlite {
namespace {

TEST(RewritePlaceholders, NumbersAreKept) {
  EXPECT_EQ(RewritePlaceholders("SELECT a FROM t WHERE b = $1 AND c = $12 OR d = $1"),
            "SELECT a FROM t WHERE b = ?1 AND c = ?12 OR d = ?1");
}

TEST(RewritePlaceholders, StringLiteralsAndIdentifiersAreLeftAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT '$1', 'it''s $2', \"col$3\" FROM t WHERE x = $4"),
            "SELECT '$1', 'it''s $2', \"col$3\" FROM t WHERE x = ?4");
}

TEST(RewritePlaceholders, CommentsAreLeftAlone) {
  EXPECT_EQ(RewritePlaceholders("SELECT $1 -- and $2\n, /* $3 */ $4"), "SELECT ?1 -- and $2\n, /* $3 */ ?4");
}

TEST(RewritePlaceholders, DollarWithoutDigitIsKept) {
  EXPECT_EQ(RewritePlaceholders("SELECT $a, $"), "SELECT $a, $");
}

TEST(RewritePlaceholders, UnterminatedLiteralIsCopied) {
  EXPECT_EQ(RewritePlaceholders("SELECT 'abc $1"), "SELECT 'abc $1");
}

}  // namespace
}  // namespace fairdesk::db::sqlite
