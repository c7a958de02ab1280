#include "platform/core/json_output.hpp"

#include <gtest/gtest.h>

namespace fairdesk {
namespace {

TEST(JsonOutput, DoublesAreWrittenAsPlainDecimals) {
  boost::json::value v = {{"hours", 38.5}, {"days", 8.33}, {"whole", 20.0}, {"n", 3}, {"s", "ä\"\n"}};
  std::string text = ToJsonText(v);
  EXPECT_NE(text.find("\"hours\":38.5"), std::string::npos) << text;
  EXPECT_NE(text.find("\"days\":8.33"), std::string::npos) << text;
  EXPECT_EQ(text.find('E'), std::string::npos) << text;
  EXPECT_NE(text.find("\"whole\":20,"), std::string::npos) << text;
  auto back = boost::json::parse(text);
  EXPECT_EQ(back.at("hours").as_double(), 38.5);
  EXPECT_EQ(back.at("days").as_double(), 8.33);
  EXPECT_EQ(back.at("s"), v.at("s"));
}

TEST(JsonOutput, NestedArraysAndObjectsRoundTrip) {
  boost::json::value v = boost::json::parse(R"({"a":[1,2.25,{"b":null,"c":[true,false]}],"d":{}})");
  EXPECT_EQ(boost::json::parse(ToJsonText(v)), v);
}

}  // namespace
}  // namespace fairdesk
