// If-Match tags and byte ranges (RFC 9110 §13.1.1, §14): one range served, several answered
// whole, unsatisfiable ones refused, If-Range and methods other than GET honoured.
#include "platform/http/conditional.hpp"

#include <gtest/gtest.h>

namespace fairdesk::http {
namespace {

Request Get(std::string range, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.headers["range"] = std::move(range);
  return r;
}

using Kind = ByteRange::Kind;

TEST(Conditional, IfMatchTags) {
  Request r;
  EXPECT_TRUE(IfMatchTags(r).empty());
  EXPECT_TRUE(IfMatchAllows(IfMatchTags(r), "\"a.1\""));
  r.headers["if-match"] = " W/\"a.1\" , \"b.2\"";
  EXPECT_EQ(IfMatchTags(r), (std::vector<std::string>{"\"a.1\"", "\"b.2\""}));
  EXPECT_TRUE(IfMatchAllows(IfMatchTags(r), "\"b.2\""));
  EXPECT_FALSE(IfMatchAllows(IfMatchTags(r), "\"a.2\""));
  r.headers["if-match"] = " , ";
  EXPECT_FALSE(IfMatchAllows(IfMatchTags(r), "\"a.1\""));
  r.headers["if-match"] = "*";
  EXPECT_TRUE(IfMatchAllows(IfMatchTags(r), "\"a.1\""));
}

TEST(Conditional, IfNoneMatch) {
  Request r;
  EXPECT_FALSE(IfNoneMatchHits(r, "\"a.1\""));
  r.headers["if-none-match"] = "\"a.0\", W/\"a.1\"";
  EXPECT_TRUE(IfNoneMatchHits(r, "\"a.1\""));
  EXPECT_FALSE(IfNoneMatchHits(r, "\"a.2\""));
  r.headers["if-none-match"] = "*";
  EXPECT_TRUE(IfNoneMatchHits(r, "\"a.2\""));
}

TEST(Conditional, OneRange) {
  auto r = ReadByteRange(Get("bytes=0-99"), 1000, "\"e\"");
  EXPECT_EQ(r.kind, Kind::kPart);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 99u);
  EXPECT_EQ(r.length(), 100u);
  EXPECT_EQ(ContentRange(r, 1000), "bytes 0-99/1000");
  r = ReadByteRange(Get("bytes=500-"), 1000, "\"e\"");
  EXPECT_EQ(ContentRange(r, 1000), "bytes 500-999/1000");
  r = ReadByteRange(Get("bytes=990-5000"), 1000, "\"e\"");  // the end is clipped to the size
  EXPECT_EQ(ContentRange(r, 1000), "bytes 990-999/1000");
  r = ReadByteRange(Get("bytes=-10"), 1000, "\"e\"");  // the last ten bytes
  EXPECT_EQ(ContentRange(r, 1000), "bytes 990-999/1000");
  r = ReadByteRange(Get("bytes=-5000"), 1000, "\"e\"");
  EXPECT_EQ(ContentRange(r, 1000), "bytes 0-999/1000");
  r = ReadByteRange(Get("bytes=999-999"), 1000, "\"e\"");
  EXPECT_EQ(ContentRange(r, 1000), "bytes 999-999/1000");
}

TEST(Conditional, Unsatisfiable) {
  for (const char* h : {"bytes=1000-", "bytes=1000-2000", "bytes=-0"}) {
    auto r = ReadByteRange(Get(h), 1000, "\"e\"");
    EXPECT_EQ(r.kind, Kind::kUnsatisfiable) << h;
    EXPECT_EQ(ContentRange(r, 1000), "bytes */1000");
  }
  EXPECT_EQ(ReadByteRange(Get("bytes=0-"), 0, "\"e\"").kind, Kind::kUnsatisfiable);
}

TEST(Conditional, AnsweredWhole) {
  // Several ranges, other units, unreadable or invalid specs: the whole representation (200).
  for (const char* h : {"bytes=0-1,5-9", "bytes=0-0,-1", "items=0-5", "bytes=", "bytes=5", "bytes=9-3", "bytes=a-b", "bytes=-",
                        "bytes= 1-2x", "bytes=-1-2", "bytes=99999999999999999999-"}) {
    EXPECT_EQ(ReadByteRange(Get(h), 1000, "\"e\"").kind, Kind::kWhole) << h;
  }
  EXPECT_EQ(ReadByteRange(Get("bytes=0-9", "HEAD"), 1000, "\"e\"").kind, Kind::kWhole);
  Request none;
  none.method = "GET";
  EXPECT_EQ(ReadByteRange(none, 1000, "\"e\"").kind, Kind::kWhole);
}

TEST(Conditional, IfRange) {
  Request r = Get("bytes=0-9");
  r.headers["if-range"] = "\"e\"";
  EXPECT_EQ(ReadByteRange(r, 1000, "\"e\"").kind, Kind::kPart);
  r.headers["if-range"] = "\"old\"";
  EXPECT_EQ(ReadByteRange(r, 1000, "\"e\"").kind, Kind::kWhole);
  r.headers["if-range"] = "Mon, 07 Dec 2026 10:00:00 GMT";
  EXPECT_EQ(ReadByteRange(r, 1000, "\"e\"").kind, Kind::kWhole);
}

}  // namespace
}  // namespace fairdesk::http
