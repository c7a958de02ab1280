#include "audit/chain.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace fairdesk::audit {
namespace {

std::vector<Entry> MakeChain(int n) {
  std::vector<Entry> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    Entry e;
    e.seq = i;
    e.at = 1767225600 + i;
    e.user_id = "usr_" + std::to_string(i % 3);
    e.role = "advisor";
    e.centre_id = i % 2 ? std::optional<std::string>("centre-be") : std::nullopt;
    e.action = "read";
    e.record_type = "case";
    e.record_id = "cas_" + std::to_string(i);
    e.prev_hash = prev;
    e.hash = ChainHash(prev, e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

VerifyReport Verify(const std::vector<Entry>& entries, std::int64_t head_seq, const std::string& head_hash) {
  ChainVerifier v;
  for (const auto& e : entries) {
    if (!v.Feed(e)) break;
  }
  v.Finish(head_seq, head_hash);
  return v.report();
}

TEST(Chain, CanonicalTextIsUnambiguous) {
  Entry a;
  a.user_id = "ab";
  a.role = "c";
  Entry b;
  b.user_id = "a";
  b.role = "bc";
  EXPECT_NE(CanonicalEntry(a), CanonicalEntry(b));
  Entry c;
  c.centre_id = "";
  EXPECT_NE(CanonicalEntry(c), CanonicalEntry(Entry{}));  // empty is not missing
  EXPECT_EQ(ChainHash(kGenesisHash, a).size(), 64u);
}

TEST(Chain, IntactChainPasses) {
  auto chain = MakeChain(5);
  auto r = Verify(chain, 5, chain.back().hash);
  EXPECT_TRUE(r.intact) << r.reason;
  EXPECT_EQ(r.entries, 5);
  EXPECT_EQ(r.head_hash, chain.back().hash);
}

TEST(Chain, EmptyChainPasses) {
  auto r = Verify({}, 0, std::string(kGenesisHash));
  EXPECT_TRUE(r.intact);
  EXPECT_EQ(r.entries, 0);
}

TEST(Chain, ChangedEntryFailsAtItsSeq) {
  auto chain = MakeChain(5);
  chain[2].action = "delete";
  auto r = Verify(chain, 5, chain.back().hash);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 3);
  EXPECT_EQ(r.entries, 2);
}

TEST(Chain, ChangedAndRehashedEntryFailsAtTheNext) {
  auto chain = MakeChain(5);
  chain[2].record_id = "cas_other";
  chain[2].hash = ChainHash(chain[2].prev_hash, chain[2]);
  auto r = Verify(chain, 5, chain.back().hash);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 4);
}

TEST(Chain, DeletedEntryFails) {
  auto chain = MakeChain(5);
  chain.erase(chain.begin() + 1);
  auto r = Verify(chain, 5, chain.back().hash);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 2);
}

TEST(Chain, DeletedLastEntryFailsAgainstTheHead) {
  auto chain = MakeChain(5);
  std::string head = chain.back().hash;
  chain.pop_back();
  auto r = Verify(chain, 5, head);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 5);
}

TEST(Chain, EntriesNamingSeveralRecordsAreChainedWithEveryId) {
  auto chain = MakeChain(4);
  // Entry 3 names the 50 cases of a list.
  for (int i = 0; i < 50; ++i) chain[2].record_ids.push_back("cas_" + std::to_string(100 + i));
  chain[2].record_id = chain[2].record_ids.front();
  std::string prev = chain[1].hash;
  for (int i = 2; i < 4; ++i) {
    chain[i].prev_hash = prev;
    chain[i].hash = ChainHash(prev, chain[i]);
    prev = chain[i].hash;
  }
  EXPECT_TRUE(Verify(chain, 4, chain.back().hash).intact);
  // Version 1 entries keep their text, so chains written before version 2 still verify.
  EXPECT_EQ(CanonicalEntry(chain[0]).rfind("fairdesk-audit-v1\n", 0), 0u);
  EXPECT_EQ(CanonicalEntry(chain[2]).rfind("fairdesk-audit-v2\n", 0), 0u);

  for (auto edit : {+[](Entry& e) { e.record_ids[17] = "cas_999"; },   // an id replaced
                    +[](Entry& e) { e.record_ids.pop_back(); },        // an id removed
                    +[](Entry& e) { std::swap(e.record_ids[0], e.record_ids[1]); },  // reordered
                    +[](Entry& e) { e.record_ids.push_back("cas_1000"); }}) {       // an id added
    auto changed = chain;
    edit(changed[2]);
    auto r = Verify(changed, 4, changed.back().hash);
    EXPECT_FALSE(r.intact);
    EXPECT_EQ(r.broken_seq, 3);
  }
  // A list of one id is not the same entry as a single-record entry.
  Entry one = chain[0];
  Entry listed = chain[0];
  listed.record_ids = {listed.record_id};
  EXPECT_NE(CanonicalEntry(one), CanonicalEntry(listed));
}

TEST(Chain, ReorderedEntriesFail) {
  auto chain = MakeChain(5);
  std::swap(chain[1].seq, chain[2].seq);
  std::swap(chain[1], chain[2]);
  auto r = Verify(chain, 5, chain.back().hash);
  EXPECT_FALSE(r.intact);
  EXPECT_EQ(r.broken_seq, 2);
}

}  // namespace
}  // namespace fairdesk::audit
