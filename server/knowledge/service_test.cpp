// The knowledge base on both backends: the editorial workflow (translations, revisions, four
// eyes, outdated flags, stale edits, schedules), what readers and the public see, and search —
// including one test that runs the same queries on SQLite and PostgreSQL and compares the answers.

#include <gtest/gtest.h>

#include <cstdlib>

#include "audit/audit.hpp"
#include "db/backends.hpp"
#include "knowledge/figures.hpp"
#include "knowledge/knowledge.hpp"

namespace fairdesk::knowledge {
namespace {
using dbtest::Must;

Principal User(std::string id, Role role) {
  Principal p;
  p.user_id = std::move(id);
  p.role = role;
  return p;
}

const Principal kEditorA = User("usr_editor_a", Role::kCompetenceCentre);
const Principal kEditorB = User("usr_editor_b", Role::kCompetenceCentre);
const Principal kAdvisor = User("usr_advisor", Role::kAdvisor);
const Principal kProgramme = User("usr_programme", Role::kProgramme);

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all;
  for (auto span : {audit::Migrations(), Migrations()}) all.insert(all.end(), span.begin(), span.end());
  return all;
}

NewItem Dossier(std::string title, std::string body, std::string audience = "public") {
  NewItem in;
  in.type = "dossier";
  in.topic = "dismissal";
  in.audience = std::move(audience);
  in.title = std::move(title);
  in.body = std::move(body);
  in.note = "first draft";
  return in;
}

SaveInput Text(std::optional<std::int64_t> base, std::string title, std::string body, bool major = true) {
  SaveInput s;
  s.base_revision = base;
  s.title = std::move(title);
  s.body = std::move(body);
  s.major = major;
  return s;
}

std::vector<std::string> Titles(const SearchPage& page) {
  std::vector<std::string> out;
  for (const auto& h : page.items) out.push_back(h.language + ":" + h.title);
  return out;
}

class KnowledgeTest : public dbtest::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    Must(db::Migrate(db(), AllMigrations()));
    service_ = std::make_unique<Service>(db(), MakeSqlStore());
  }

  // Creates, submits and publishes (by the second editor) a German item.
  std::string Published(NewItem in) {
    auto v = Must(service_->Create(kEditorA, std::move(in)));
    Must(service_->Submit(kEditorA, v.item.id, "de", 1));
    Must(service_->Publish(kEditorB, v.item.id, "de", 1, std::nullopt));
    return v.item.id;
  }

  SearchPage Search(const Principal* p, std::string q, std::string lang = "de") {
    SearchParams params;
    params.q = std::move(q);
    params.lang = std::move(lang);
    return Must(service_->Search(p, params));
  }

  std::unique_ptr<Service> service_;
};

TEST_P(KnowledgeTest, FourEyesPublishingAndThePublishedRevisionStaysLive) {
  auto v = Must(service_->Create(kEditorA, Dossier("Kündigung", "Die **Kündigung** muss schriftlich sein.")));
  const auto id = v.item.id;
  ASSERT_EQ(v.translations.size(), 1u);
  EXPECT_EQ(v.translations[0].translation.status, "draft");

  // Publishing without review, and publishing one's own change, are refused.
  EXPECT_EQ(service_->Publish(kEditorB, id, "de", 1, std::nullopt).error().kind, ErrorKind::kConflict);
  Must(service_->Submit(kEditorA, id, "de", 1));
  auto own = service_->Publish(kEditorA, id, "de", 1, std::nullopt);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().kind, ErrorKind::kForbidden);
  // Advisors neither write nor publish.
  EXPECT_EQ(service_->Create(kAdvisor, Dossier("x", "y")).error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(service_->Publish(kAdvisor, id, "de", 1, std::nullopt).error().kind, ErrorKind::kForbidden);
  // Nothing is visible before publication.
  EXPECT_EQ(service_->Read(&kAdvisor, id, "de").error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(Search(&kAdvisor, "Kündigung").items.empty());

  auto pub = Must(service_->Publish(kEditorB, id, "de", 1, std::nullopt));
  EXPECT_EQ(pub.translation.status, "published");
  EXPECT_EQ(pub.translation.reviewed_by, "usr_editor_b");
  auto read = Must(service_->Read(nullptr, id, "de"));
  EXPECT_EQ(read.title, "Kündigung");
  EXPECT_NE(read.html.find("<strong>Kündigung</strong>"), std::string::npos) << read.html;
  ASSERT_TRUE(read.valid_as_of);

  // The next revision is drafted and reviewed while revision 1 stays live.
  Must(service_->Save(kEditorB, id, "de", Text(1, "Kündigung", "Neuer Text über Fristen.")));
  Must(service_->Submit(kEditorB, id, "de", 2));
  EXPECT_EQ(Must(service_->Read(&kAdvisor, id, "de")).revision, 1);
  EXPECT_EQ(Titles(Search(&kAdvisor, "schriftlich")).size(), 1u);
  EXPECT_TRUE(Search(&kAdvisor, "Fristen").items.empty());
  // B wrote revision 2: A reviews it.
  EXPECT_EQ(service_->Publish(kEditorB, id, "de", 2, std::nullopt).error().kind, ErrorKind::kForbidden);
  Must(service_->Publish(kEditorA, id, "de", 2, std::nullopt));
  EXPECT_EQ(Must(service_->Read(&kAdvisor, id, "de")).revision, 2);
  EXPECT_TRUE(Search(&kAdvisor, "schriftlich").items.empty());
  EXPECT_EQ(Search(&kAdvisor, "Fristen").items.size(), 1u);
}

TEST_P(KnowledgeTest, StaleEditsAreRefusedAndNothingIsLost) {
  auto v = Must(service_->Create(kEditorA, Dossier("Urlaub", "Text eins")));
  Must(service_->Save(kEditorA, v.item.id, "de", Text(1, "Urlaub", "Text zwei")));
  // Editor B started from revision 1 too.
  auto stale = service_->Save(kEditorB, v.item.id, "de", Text(1, "Urlaub", "Text drei"));
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().kind, ErrorKind::kConflict);
  auto ed = Must(service_->Editor(kEditorA, v.item.id));
  EXPECT_EQ(ed.translations[0].translation.current_revision, 2);
  EXPECT_EQ(ed.translations[0].current->body, "Text zwei");
  // Item metadata: a stale version is a conflict too.
  ItemPatch patch;
  patch.version = 1;
  patch.audience = "internal";
  Must(service_->Update(kEditorA, v.item.id, patch));
  EXPECT_EQ(service_->Update(kEditorB, v.item.id, patch).error().kind, ErrorKind::kConflict);
}

TEST_P(KnowledgeTest, BadInputIsRefusedNamingTheField) {
  auto field = [](const Error& e) { return e.errors.empty() ? std::string() : e.errors[0].field; };
  auto html = service_->Create(kEditorA, Dossier("T", "Hallo <script>alert(1)</script>"));
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error().kind, ErrorKind::kInvalid);
  EXPECT_EQ(field(html.error()), "body");
  auto link = service_->Create(kEditorA, Dossier("T", "[klick](javascript:alert(1))"));
  ASSERT_FALSE(link);
  EXPECT_EQ(field(link.error()), "body");
  auto big = service_->Create(kEditorA, Dossier("T", std::string(kMaxBodyBytes + 1, 'a')));
  ASSERT_FALSE(big);
  EXPECT_EQ(field(big.error()), "body");
  auto v = Must(service_->Create(kEditorA, Dossier("T", "ok")));
  auto lang = service_->Save(kEditorA, v.item.id, "xx", Text(0, "T", "ok"));
  ASSERT_FALSE(lang);
  EXPECT_EQ(field(lang.error()), "language");
  NewItem bad = Dossier("T", "ok");
  bad.type = "poem";
  EXPECT_EQ(field(service_->Create(kEditorA, bad).error()), "type");
  EXPECT_EQ(Must(service_->EditorList(kEditorA)).size(), 1u);  // nothing else was created
}

TEST_P(KnowledgeTest, MajorSourceChangesFlagTranslationsOutdatedMinorOnesDoNot) {
  auto id = Published(Dossier("Mindestlohn", "Der Mindestlohn gilt für alle."));
  for (std::string lang : {"ar", "uk"}) {
    Must(service_->Save(kEditorA, id, lang, Text(0, lang == "ar" ? "الحد الأدنى للأجور" : "Мінімальна зарплата",
                                                 lang == "ar" ? "يَسري الحد الأدنى للأجور على الجميع." : "Мінімальна зарплата діє для всіх.")));
    Must(service_->Submit(kEditorA, id, lang, 1));
    Must(service_->Publish(kEditorB, id, lang, 1, std::nullopt));
  }
  auto ar = Must(service_->Read(nullptr, id, "ar"));
  EXPECT_EQ(ar.language, "ar");
  EXPECT_TRUE(ar.notices.empty());
  // A missing translation falls back to the German source with a notice.
  auto en = Must(service_->Read(nullptr, id, "en"));
  EXPECT_EQ(en.language, "de");
  EXPECT_EQ(en.notices, std::vector<std::string>{"fallback"});

  // A minor change flags nothing.
  Must(service_->Save(kEditorA, id, "de", Text(1, "Mindestlohn", "Der Mindestlohn gilt für alle!", false)));
  for (const auto& t : Must(service_->Editor(kEditorA, id)).translations) EXPECT_FALSE(t.translation.outdated);
  // A major change flags every translation.
  Must(service_->Save(kEditorA, id, "de", Text(2, "Mindestlohn", "Der Mindestlohn gilt für fast alle.")));
  for (const auto& t : Must(service_->Editor(kEditorA, id)).translations) {
    EXPECT_EQ(t.translation.outdated, t.translation.language != "de") << t.translation.language;
  }
  EXPECT_EQ(Must(service_->Read(nullptr, id, "uk")).notices, std::vector<std::string>{"outdated"});
  // Updating the Ukrainian translation from source revision 3 clears its flag.
  Must(service_->Save(kEditorB, id, "uk", Text(1, "Мінімальна зарплата", "Мінімальна зарплата діє майже для всіх.")));
  for (const auto& t : Must(service_->Editor(kEditorA, id)).translations) {
    if (t.translation.language == "uk") {
      EXPECT_FALSE(t.translation.outdated);
      EXPECT_EQ(t.translation.source_revision, 3);
    }
    if (t.translation.language == "ar") {
      EXPECT_TRUE(t.translation.outdated);
    }
  }
}

TEST_P(KnowledgeTest, RevisionsDiffRestoreAndArchive) {
  auto id = Published(Dossier("Checkliste", "Zeile eins\nZeile zwei\nZeile drei"));
  Must(service_->Save(kEditorA, id, "de", Text(1, "Checkliste", "Zeile eins\nZeile 2\nZeile drei\nZeile vier")));
  auto diff = Must(service_->Compare(kEditorA, id, "de", 1, 2));
  std::vector<std::string> ops;
  for (const auto& l : diff.lines) ops.push_back(l.op + " " + l.text);
  EXPECT_EQ(ops, (std::vector<std::string>{"same Zeile eins", "removed Zeile zwei", "added Zeile 2", "same Zeile drei",
                                           "added Zeile vier"}));
  auto restored = Must(service_->Restore(kEditorA, id, "de", 1, 2));
  EXPECT_EQ(restored.translation.current_revision, 3);
  EXPECT_EQ(restored.current->body, "Zeile eins\nZeile zwei\nZeile drei");
  EXPECT_EQ(restored.current->note, "Restored revision 1");
  EXPECT_EQ(restored.revisions.size(), 3u);

  EXPECT_EQ(Search(&kAdvisor, "Zeile").items.size(), 1u);
  Must(service_->Archive(kEditorB, id, "", std::nullopt));
  EXPECT_TRUE(Search(&kAdvisor, "Zeile").items.empty());
  EXPECT_EQ(service_->Read(&kAdvisor, id, "de").error().kind, ErrorKind::kNotFound);
  // Scheduled for a future day: still live today.
  auto id2 = Published(Dossier("Saisonarbeit", "Ernte und Lohn"));
  Must(service_->Archive(kEditorB, id2, "", "2999-01-01"));
  EXPECT_EQ(Search(&kAdvisor, "Ernte").items.size(), 1u);
  // Publishing scheduled for a future day: approved, not yet live.
  auto v = Must(service_->Create(kEditorA, Dossier("Pflege", "Schichtdienst in der Pflege")));
  Must(service_->Submit(kEditorA, v.item.id, "de", 1));
  Must(service_->Publish(kEditorB, v.item.id, "de", 1, "2999-01-01"));
  EXPECT_TRUE(Search(&kAdvisor, "Schichtdienst").items.empty());
  auto queue = Must(service_->Queue(kEditorA));
  ASSERT_EQ(queue.size(), 1u);
  EXPECT_EQ(queue[0].reason, "scheduled");
}

TEST_P(KnowledgeTest, ThePublicNeverSeesInternalDraftOrArchivedItems) {
  auto pub = Published(Dossier("Lohn öffentlich", "Lohnfragen für alle"));
  Published(Dossier("Lohn intern", "Lohnfragen für Beratende", "internal"));
  Must(service_->Create(kEditorA, Dossier("Lohn Entwurf", "Lohnfragen im Entwurf")));
  auto archived = Published(Dossier("Lohn alt", "Lohnfragen von gestern"));
  Must(service_->Archive(kEditorA, archived, "", std::nullopt));

  EXPECT_EQ(Titles(Search(nullptr, "Lohnfragen")), std::vector<std::string>{"de:Lohn öffentlich"});
  SearchParams internal;
  internal.q = "Lohnfragen";
  internal.audience = "internal";
  EXPECT_TRUE(Must(service_->Search(nullptr, internal)).items.empty());
  auto advisor = Titles(Search(&kAdvisor, "Lohnfragen"));
  EXPECT_EQ(advisor.size(), 2u);
  EXPECT_EQ(Titles(Search(&kProgramme, "Lohnfragen")).size(), 2u);
  auto list = Must(service_->PublicItems("ar"));
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].id, pub);
  EXPECT_EQ(list[0].notices, std::vector<std::string>{"fallback"});
  EXPECT_EQ(service_->PublicItem(archived, "de").error().kind, ErrorKind::kNotFound);
}

TEST_P(KnowledgeTest, SearchFindsArabicWithAndWithoutMarksCompoundsAndSynonyms) {
  auto id = Published(Dossier("Kündigungsschutzklage", "Innerhalb von drei Wochen nach Zugang der Kündigung."));
  Must(service_->Save(kEditorA, id, "ar", Text(0, "دعوى الحماية من الفصل", "يجب رفع الدَّعْوَى خلال ثلاثة أسابيع.")));
  Must(service_->Submit(kEditorA, id, "ar", 1));
  Must(service_->Publish(kEditorB, id, "ar", 1, std::nullopt));

  EXPECT_EQ(Titles(Search(&kAdvisor, "Schutzklage")), std::vector<std::string>{"de:Kündigungsschutzklage"});
  EXPECT_EQ(Titles(Search(&kAdvisor, "kuendigungsschutz")), std::vector<std::string>{"de:Kündigungsschutzklage"});
  EXPECT_EQ(Titles(Search(&kAdvisor, "الدعوى", "ar")), std::vector<std::string>{"ar:دعوى الحماية من الفصل"});
  EXPECT_EQ(Titles(Search(&kAdvisor, "الدَّعْوَى", "ar")), std::vector<std::string>{"ar:دعوى الحماية من الفصل"});
  // Cross-language glossary: "dismissal" finds the German and the Arabic text.
  EXPECT_EQ(Search(&kAdvisor, "dismissal", "en").items.size(), 2u);
  auto hit = Search(&kAdvisor, "Kündigung").items;
  ASSERT_FALSE(hit.empty());
  EXPECT_NE(hit[0].snippet.find("<mark>Kündigung</mark>"), std::string::npos) << hit[0].snippet;
  // Filters.
  SearchParams f;
  f.q = "Kündigung";
  f.language = "ar";
  EXPECT_EQ(Titles(Must(service_->Search(&kAdvisor, f))), std::vector<std::string>{"ar:دعوى الحماية من الفصل"});
  f.language.reset();
  f.type = "faq";
  EXPECT_TRUE(Must(service_->Search(&kAdvisor, f)).items.empty());
}

TEST_P(KnowledgeTest, SuggestionsReachTheEditors) {
  auto id = Published(Dossier("Mindestlohn", "Text"));
  auto s = Must(service_->Suggest(kAdvisor, id, "de", "Bitte den neuen Betrag ergänzen."));
  EXPECT_EQ(service_->Suggest(kProgramme, id, std::nullopt, "x").error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(service_->Suggestions(kAdvisor, true).error().kind, ErrorKind::kForbidden);
  auto open = Must(service_->Suggestions(kEditorA, true));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].body, "Bitte den neuen Betrag ergänzen.");
  Must(service_->Resolve(kEditorA, s.id));
  EXPECT_TRUE(Must(service_->Suggestions(kEditorA, true)).empty());
}

TEST_P(KnowledgeTest, DemoContentIsPublishedWithOneOutdatedTranslation) {
  Must(service_->SeedDemo("usr_editor_a", "usr_editor_b"));
  Must(service_->SeedDemo("usr_editor_a", "usr_editor_b"));  // a second run adds nothing
  auto de = Must(service_->PublicItems("de"));
  EXPECT_EQ(de.size(), 7u);
  int outdated = 0;
  for (std::string lang : {"ar", "uk", "en"}) {
    for (const auto& s : Must(service_->PublicItems(lang))) {
      EXPECT_EQ(s.language, lang) << s.title;
      for (const auto& n : s.notices) outdated += n == "outdated";
    }
  }
  EXPECT_EQ(outdated, 1);
  EXPECT_EQ(Must(service_->List(&kAdvisor, "de")).size(), 11u);
  // The minimum wage text carries the figure of the labour-law table, not a typed one.
  auto hits = Search(nullptr, "Mindestlohn").items;
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].title, "Mindestlohn: Was Ihnen zusteht");
  auto html = Must(service_->Read(nullptr, hits[0].item_id, "de")).html;
  EXPECT_NE(html.find(FormatFigure(*FigureOn("minimum_wage", FigureDay()), "de")), std::string::npos) << html;
  EXPECT_EQ(html.find("{{"), std::string::npos) << html;
}

/// An answered escalation whose client consented to anonymised use.
CaseSource Answered(std::string summary, std::string question, std::string answer) {
  CaseSource source;
  source.status = "answered";
  source.summary = std::move(summary);
  source.question = std::move(question);
  source.answers = {std::move(answer)};
  source.anonymised_use = true;
  return source;
}

TEST_P(KnowledgeTest, CaseDescriptionsFromEscalationsAreCheckedForPersonalData) {
  auto source = Answered("Reinigungskraft, Lohn seit drei Monaten nur teilweise gezahlt.",
                         "Gilt die Ausschlussfrist von einem Monat?", "Nein, soweit es um den Mindestlohn geht.");
  source.personal.names = {"Samira Al-Haddad", "سميرة الحداد"};
  source.personal.phones = {"+49 151 2345 6789"};
  source.personal.employers = {"Blitzblank Gebäudereinigung GmbH"};
  bool consent = true;
  service_ = std::make_unique<Service>(db(), MakeSqlStore(),
                                       Options{.case_source = [&](const Principal&, std::string_view id) -> Result<CaseSource> {
                                         if (id != "esc_1") return Fail(Error::NotFound());
                                         auto s = source;
                                         s.anonymised_use = consent;
                                         return s;
                                       }});
  consent = false;
  auto refused = service_->CaseDescriptionFrom(kEditorA, "esc_1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().errors.at(0).field, "escalation_id");
  consent = true;
  auto draft = Must(service_->CaseDescriptionFrom(kEditorA, "esc_1"));
  EXPECT_EQ(draft.item.type, "case_description");
  EXPECT_EQ(draft.item.audience, "internal");
  EXPECT_EQ(draft.item.case_ref, "esc_1");
  const auto id = draft.item.id;
  EXPECT_NE(draft.translations[0].current->body.find("Ausschlussfrist"), std::string::npos);

  // The editor adds details that identify the client, in German and in an Arabic translation.
  Must(service_->Save(kEditorA, id, "de", Text(1, "Fallbeschreibung Reinigung", "Rückruf unter 0151/23456789 bei Blitzblank Gebäudereinigung GmbH.")));
  Must(service_->Save(kEditorA, id, "ar", Text(0, "وصف الحالة", "السيدة سَمِيرَة تعمل في التنظيف.")));
  auto blocked = service_->Submit(kEditorA, id, "de", 2);
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().kind, ErrorKind::kInvalid);
  std::vector<std::string> fields;
  for (const auto& e : blocked.error().errors) fields.push_back(e.field + ": " + e.message);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "translations.ar.body: contains personal data of the source case (name); anonymise it",
                        "translations.de.body: contains personal data of the source case (phone, employer); anonymise it"}));
  EXPECT_EQ(Must(service_->Editor(kEditorA, id)).translations[0].translation.status, "draft");  // nothing changed

  Must(service_->Save(kEditorA, id, "de", Text(2, "Fallbeschreibung Reinigung", "Lohn in der Gebäudereinigung teilweise nicht gezahlt.")));
  Must(service_->Save(kEditorA, id, "ar", Text(1, "وصف الحالة", "عاملة تنظيف لم تحصل على أجرها كاملاً.")));
  Must(service_->Submit(kEditorA, id, "de", 3));
  // Before publishing the check runs again: a tag added meanwhile names the employer.
  ItemPatch patch;
  patch.version = 1;
  patch.tags = std::vector<std::string>{"Blitzblank Gebäudereinigung GmbH"};
  Must(service_->Update(kEditorA, id, patch));
  auto again = service_->Publish(kEditorB, id, "de", 3, std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().errors.at(0).field, "tags[0]");
  patch.version = 2;
  patch.tags = std::vector<std::string>{"Reinigung"};
  Must(service_->Update(kEditorA, id, patch));
  Must(service_->Publish(kEditorB, id, "de", 3, std::nullopt));
  // The link to the case stays with the editors.
  EXPECT_FALSE(Must(service_->Read(&kAdvisor, id, "de")).item.case_ref);
}

FAIRDESK_INSTANTIATE_BACKENDS(KnowledgeTest);

// The same content and queries on SQLite and PostgreSQL give the same answers: order, titles,
// languages, snippets and scores.
TEST(KnowledgeSearchContract, SqliteAndPostgresAnswerAlike) {
  const char* pg = std::getenv("FAIRDESK_TEST_PG_URL");
  if (pg == nullptr || *pg == '\0') {
    const char* skip = std::getenv("FAIRDESK_TEST_PG");
    if (skip != nullptr && std::string(skip) == "skip") GTEST_SKIP() << "FAIRDESK_TEST_PG=skip";
    FAIL() << "FAIRDESK_TEST_PG_URL is not set (scripts/pg-test-server)";
  }
  auto lite = Must(dbtest::ScratchDatabase::Create(dbtest::TestBackend::kSqlite));
  auto post = Must(dbtest::ScratchDatabase::Create(dbtest::TestBackend::kPostgres, pg));
  std::vector<std::unique_ptr<Service>> services;
  for (auto* d : {lite.get(), post.get()}) {
    Must(db::Migrate(d->db(), AllMigrations()));
    services.push_back(std::make_unique<Service>(d->db(), MakeSqlStore()));
    Must(services.back()->SeedDemo("usr_editor_a", "usr_editor_b"));
  }
  const std::vector<std::pair<std::string, std::string>> queries = {
      {"Mindestlohn", "de"}, {"mindestlöhne", "de"}, {"Kündigungsschutzklage", "de"}, {"schutzklage", "de"},
      {"Urlaub", "de"},      {"Kuendigung", "de"},   {"الأجور", "ar"},                {"الْأُجُورِ", "ar"},
      {"إجازة", "ar"},       {"відпустка", "uk"},    {"зарплата", "uk"},              {"sick pay", "en"},
      {"dismissal", "en"},   {"Pause Ruhezeit", "de"}, {"Lohn", "de"},                 {"a", "de"}};
  for (const auto& [q, lang] : queries) {
    for (bool pub : {false, true}) {
      std::vector<std::string> answers;
      for (auto& s : services) {
        SearchParams params;
        params.q = q;
        params.lang = lang;
        params.limit = 50;
        auto page = Must(s->Search(pub ? nullptr : &kAdvisor, params));
        std::string text;
        for (const auto& h : page.items) {
          text += h.language + "|" + h.title + "|" + h.type + "|" + h.audience + "|" + std::to_string(h.score) + "|" +
                  h.snippet + "\n";
        }
        answers.push_back(text);
      }
      EXPECT_EQ(answers[0], answers[1]) << "query " << q << (pub ? " (public)" : "");
      if (q != "a") {
        EXPECT_FALSE(answers[0].empty()) << "query " << q;
      }
    }
  }
}

TEST_P(KnowledgeTest, BracesFromAnEscalationAreTextNotPlaceholders) {
  // An advisor typed "{{…}}" in the escalation: the case description is made (no 422 for an
  // unknown placeholder the editor never wrote), and readers see the braces as typed.
  auto source = Answered("Vertrag nennt {{Betrag}} statt Lohn.", "Was heißt {{Betrag}}?", "Ein leeres Formularfeld.");
  service_ = std::make_unique<Service>(db(), MakeSqlStore(),
                                       Options{.case_source = [&](const Principal&, std::string_view) -> Result<CaseSource> {
                                         return source;
                                       }});
  auto draft = Must(service_->CaseDescriptionFrom(kEditorA, "esc_1"));
  const auto& text = *draft.translations[0].current;
  EXPECT_EQ(text.title, "Fallbeschreibung: Vertrag nennt { {Betrag}} statt Lohn.");
  EXPECT_NE(text.body.find("Was heißt \\{{Betrag}}?"), std::string::npos) << text.body;
  auto preview = Must(service_->Preview(kEditorA, "de", "case_description", text.body));
  EXPECT_NE(preview.find("Was heißt {{Betrag}}?"), std::string::npos) << preview;
}

}  // namespace
}  // namespace fairdesk::knowledge
