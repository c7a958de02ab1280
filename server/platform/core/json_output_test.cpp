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

TEST(JsonOutput, StringsAreEscapedAsBoostJsonEscapesThem) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (const std::string& s : {all, std::string("plain"), std::string(""), std::string("Müller \"Ü\"\\n\t/x\x7f")}) {
    std::string out;
    AppendJsonString(out, s);
    EXPECT_EQ(out, boost::json::serialize(boost::json::string(s)));
  }
}

TEST(JsonOutput, TheWriterWritesWhatToJsonTextWrites) {
  boost::json::value v = {{"a", "x\"y"}, {"b", {1, -2, true, nullptr}}, {"c", boost::json::object{}},
                          {"d", {{"e", boost::json::array{}}, {"f", "z"}}}, {"g", false}};
  std::string out;
  JsonWriter w(out);
  w.BeginObject().Key("a").String("x\"y").Key("b").BeginArray().Int(1).Int(-2).Bool(true).Null().EndArray();
  w.Key("c").BeginObject().EndObject().Key("d").BeginObject().Key("e").Strings({}).Key("f").OptString("z");
  w.EndObject().Key("g").Raw("false").EndObject();
  EXPECT_EQ(out, ToJsonText(v));
}

}  // namespace
}  // namespace fairdesk
