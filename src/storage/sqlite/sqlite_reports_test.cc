// Tests of SqliteStore's reports (schema v8) against a real SQLite file: a report is stored with
// its evidence in order, a duplicate reference is refused (kExists) without touching the first,
// the queue is read in priority order, the purge deletes old reports with their evidence, a
// notice's source and contact are kept (v10), and the transparency figures count them.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_store.h"

namespace salon::storage {
namespace {

class SqliteReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "salon_rep_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    // Completions run on the store's threads here; the test waits with Flush and reads.
    store_ = OpenSqliteStore(dir_, [](std::function<void()> task) { task(); });
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  WriteStatus Save(const StoredReport& r) {
    std::optional<WriteStatus> status;
    store_->SaveReport(r, [&](WriteResult result) { status = result.status; });
    store_->Flush();
    return status.value_or(WriteStatus::kFailed);
  }
  std::vector<StoredReport> List(bool all) {
    std::vector<StoredReport> out;
    std::atomic<bool> done{false};
    store_->ReadReports(all, 100, [&](Result<std::vector<StoredReport>> rows) {
      if (rows.ok()) out = *rows;
      done = true;
    });
    store_->Flush();
    while (!done) std::this_thread::yield();
    return out;
  }
  std::optional<StoredReport> Load(const std::string& ref) {
    std::optional<StoredReport> out;
    std::atomic<bool> done{false};
    store_->LoadReport(ref, [&](Result<std::optional<StoredReport>> r) {
      if (r.ok()) out = *r;
      done = true;
    });
    store_->Flush();
    while (!done) std::this_thread::yield();
    return out;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

StoredReport Report(const std::string& ref, int64_t at, const std::string& category, int priority) {
  StoredReport r;
  r.ref = ref;
  r.created_ms = at;
  r.category = category;
  r.priority = priority;
  r.reporter = "alice";
  r.reporter_nick = "alice";
  r.reporter_ip = "192.0.2.1";
  r.target_kind = "user";
  r.target = "bob";
  r.text = "comment " + ref;
  for (int i = 0; i < 3; ++i) {
    r.evidence.push_back({i, i == 1 ? "reported" : "context", "#room", at + i,
                          "m" + std::to_string(i), "bob!u@h", "", "PRIVMSG",
                          "line " + std::to_string(i)});
  }
  return r;
}

TEST_F(SqliteReportsTest, StoredWithEvidenceAndReadInQueueOrder) {
  EXPECT_EQ(Save(Report("R-0000000001", 100, "spam", 2)), WriteStatus::kOk);
  EXPECT_EQ(Save(Report("R-0000000002", 200, "grooming", 0)), WriteStatus::kOk);
  EXPECT_EQ(Save(Report("R-0000000003", 50, "threat", 1)), WriteStatus::kOk);
  StoredReport dup = Report("R-0000000001", 300, "other", 2);
  dup.evidence.clear();
  EXPECT_EQ(Save(dup), WriteStatus::kExists);
  std::vector<StoredReport> queue = List(false);
  ASSERT_EQ(queue.size(), 3u);
  EXPECT_EQ(queue[0].ref, "R-0000000002");
  EXPECT_EQ(queue[1].ref, "R-0000000003");
  EXPECT_EQ(queue[2].ref, "R-0000000001");
  EXPECT_EQ(queue[2].category, "spam");    // the duplicate changed nothing
  EXPECT_TRUE(queue[0].evidence.empty());  // lists carry no evidence
  std::optional<StoredReport> one = Load("R-0000000001");
  ASSERT_TRUE(one);
  EXPECT_EQ(one->text, "comment R-0000000001");
  EXPECT_EQ(one->reporter_ip, "192.0.2.1");
  ASSERT_EQ(one->evidence.size(), 3u);
  EXPECT_EQ(one->evidence[1].kind, "reported");
  EXPECT_EQ(one->evidence[2].text, "line 2");
  EXPECT_FALSE(Load("R-ffffffffff"));
}

TEST_F(SqliteReportsTest, PurgeDeletesOldReportsWithTheirEvidence) {
  Save(Report("R-0000000001", 100, "spam", 2));
  Save(Report("R-0000000002", 200, "spam", 2));
  store_->PurgeReports(150);
  store_->Flush();
  std::vector<StoredReport> left = List(true);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].ref, "R-0000000002");
  EXPECT_FALSE(Load("R-0000000001"));
  EXPECT_EQ(Load("R-0000000002")->evidence.size(), 3u);
}

TEST_F(SqliteReportsTest, SourceAndContactKeptAndCountedInTheFigures) {
  StoredReport notice = Report("R-0000000001", 100, "hate", 2);
  notice.source = "form";
  notice.reporter_contact = "Ana <ana@example.org>";
  Save(notice);
  Save(Report("R-0000000002", 300, "hate", 2));
  StoredReport closed = Report("R-0000000003", 1000, "spam", 2);
  Save(closed);
  ReportUpdate update{"R-0000000003", "closed", "mod", "no_action", "", "mod", 4000};
  store_->UpdateReport(update, nullptr);
  store_->AppendAudit({500, "mod", "", "sanction.mute", "bob", "", "", 0, "D-1", 0});
  store_->AppendAudit({600, "mod", "", "sanction.refused", "bob", "", "", 0, "", 0});
  store_->AppendAudit({700, "", "", "sanction.expire", "bob", "", "", 0, "D-1", 0});
  store_->AppendAudit({800, "mod", "", "held.drop", "#room", "", "", 0, "", 0});
  std::optional<StoredReport> loaded = Load("R-0000000001");
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->source, "form");
  EXPECT_EQ(loaded->reporter_contact, "Ana <ana@example.org>");
  EXPECT_EQ(Load("R-0000000002")->source, "user");

  std::optional<TransparencyFigures> figures;
  std::atomic<bool> done{false};
  store_->ReadTransparency([&](Result<TransparencyFigures> f) {
    if (f.ok()) figures = *f;
    done = true;
  });
  store_->Flush();
  while (!done) std::this_thread::yield();
  ASSERT_TRUE(figures);
  using Counts = TransparencyFigures::Counts;
  EXPECT_EQ(figures->notices_by_category, (Counts{{"hate", 2}, {"spam", 1}}));
  EXPECT_EQ(figures->notices_by_source, (Counts{{"form", 1}, {"user", 2}}));
  EXPECT_EQ(figures->decisions_by_outcome, (Counts{{"no_action", 1}}));
  EXPECT_EQ(figures->median_ms_to_decision, 3000);
  EXPECT_EQ(figures->actions_by_type, (Counts{{"held_drop", 1}, {"mute", 1}}))
      << "refusals and expiries are not actions";
  EXPECT_EQ(figures->since_ms, 100);
}

}  // namespace
}  // namespace salon::storage
