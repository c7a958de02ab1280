// The ZIP writer against a real reader: Debian's unzip tests the archives it writes, with and
// without Zip64 records (forced here by a low threshold, since a 4 GiB archive is no unit test).
#include "platform/core/zip.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace fairdesk::zip {
namespace {

std::string Shell(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return "popen failed";
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int rc = pclose(p);
  if (rc != 0) out += "\n(exit " + std::to_string(rc) + ")";
  return out;
}

std::filesystem::path WriteArchive(std::uint64_t zip64_from, const std::string& tag) {
  Writer w(zip64_from);
  std::string out;
  const std::string a = "Hallo Welt\n";
  std::string b(300000, '\0');
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = static_cast<char>((i * 7919) & 0xFF);
  out += w.LocalHeader("manifest.json", a, 1767225600);
  out += a;
  w.Sent(a.size());
  out += w.LocalHeader("documents/doc-1/Kündigung.pdf", b, 1767225600);
  out += b;
  w.Sent(b.size());
  out += w.Finish();
  EXPECT_EQ(w.Offset(), out.size());
  auto path = std::filesystem::temp_directory_path() / ("fd-zip-test-" + tag + ".zip");
  std::ofstream(path, std::ios::binary) << out;
  return path;
}

TEST(Zip, Crc32KnownValue) {
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

TEST(Zip, UnzipTestsThePlainArchive) {
  auto path = WriteArchive(0xFFFFFFFFu, "plain");
  auto listing = Shell("unzip -tq '" + path.string() + "' 2>&1");
  EXPECT_NE(listing.find("No errors detected"), std::string::npos) << listing;
  EXPECT_EQ(Shell("unzip -p '" + path.string() + "' manifest.json"), "Hallo Welt\n");
  std::filesystem::remove(path);
}

TEST(Zip, UnzipTestsTheZip64Archive) {
  auto path = WriteArchive(0, "zip64");
  auto listing = Shell("unzip -tq '" + path.string() + "' 2>&1");
  EXPECT_NE(listing.find("No errors detected"), std::string::npos) << listing;
  EXPECT_EQ(Shell("unzip -p '" + path.string() + "' manifest.json"), "Hallo Welt\n");
  auto names = Shell("unzip -Z1 '" + path.string() + "'");
  EXPECT_NE(names.find("documents/doc-1/Kündigung.pdf"), std::string::npos) << names;
  std::filesystem::remove(path);
}

TEST(Zip, SafeEntryNames) {
  EXPECT_EQ(SafeEntryName("../../etc/passwd"), "etc/passwd");
  EXPECT_EQ(SafeEntryName("/abs\\win\\x.pdf"), "abs/win/x.pdf");
  EXPECT_EQ(SafeEntryName("a\x01:b"), "a__b");
  EXPECT_EQ(SafeEntryName("gpj.\xE2\x80\xAE" "exe"), "gpj._exe");
  EXPECT_EQ(SafeEntryName(".."), "_");
}

}  // namespace
}  // namespace fairdesk::zip
