// Demo content of the knowledge base (--demo): written for fairdesk. Figures of the dated
// labour-law tables (minimum wage, mini-job limit, minimum leave) are placeholders resolved when
// an item is read (knowledge/figures.hpp), so they follow the tables; statutory constants
// (weeks, hours) are filled in from server/labour_law/tables.hpp when the demo is loaded.

#include <map>

#include "knowledge/service.hpp"
#include "labour_law/tables.hpp"

namespace fairdesk::knowledge {
namespace {

std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [k, v] : values) {
    std::string key = "{" + k + "}";
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key, pos + v.size())) {
      text.replace(pos, key.size(), v);
    }
  }
  return text;
}

struct Text {
  std::string lang, title, body;
};
struct DemoItem {
  std::string type, topic, audience;
  std::vector<std::string> tags;
  std::vector<Text> texts;  // the first is the German source
};

/// Statutory constants (not dated tables) as the demo texts' {KEY}s.
std::map<std::string, std::string> Constants() {
  std::map<std::string, std::string> f;
  f["DAY_H"] = std::to_string(labour_law::kRegularDailyMinutes / 60);
  f["MAX_H"] = std::to_string(labour_law::kMaxDailyMinutes / 60);
  f["BREAK1"] = std::to_string(labour_law::kShortBreakMinutes);
  f["BREAK1_AFTER"] = std::to_string(labour_law::kShortBreakAfterMinutes / 60);
  f["BREAK2"] = std::to_string(labour_law::kLongBreakMinutes);
  f["BREAK2_AFTER"] = std::to_string(labour_law::kLongBreakAfterMinutes / 60);
  f["REST_H"] = std::to_string(labour_law::kMinRestMinutes / 60);
  f["SICK_WEEKS"] = std::to_string(labour_law::kSickPayDays / 7);
  f["SICK_WAIT_WEEKS"] = std::to_string(labour_law::kSickPayWaitingDays / 7);
  f["CLAIM_WEEKS"] = std::to_string(labour_law::kClaimDeadlineWeeks);
  f["NOTICE_WEEKS"] = std::to_string(labour_law::kBasicNoticeWeeks);
  f["LIMIT_YEARS"] = std::to_string(labour_law::kLimitationYears);
  return f;
}

std::vector<DemoItem> Items() {
  return {
      {"dossier", "wages", "public", {"Mindestlohn", "MiLoG"},
       {{"de", "Mindestlohn: Was Ihnen zusteht",
         "Der gesetzliche Mindestlohn beträgt **{{minimum_wage}} brutto pro Stunde**.\n\n"
         "- Er gilt für fast alle Beschäftigten, auch im Minijob (bis {{minijob_limit:value}} im Monat) und bei Bezahlung pro Stück.\n"
         "- Jede gearbeitete Stunde zählt, auch Bereitschaft am Arbeitsplatz.\n"
         "- Schreiben Sie Ihre Arbeitszeiten jeden Tag auf.\n\n"
         "Ansprüche auf den Mindestlohn verjähren nach {LIMIT_YEARS} Jahren. Eine Beratungsstelle hilft kostenlos."},
        {"en", "Minimum wage: what you are owed",
         "The statutory minimum wage is **{{minimum_wage}} gross per hour**.\n\n"
         "- It applies to almost all employees, including mini-jobs (up to {{minijob_limit:value}} a month) and piece work.\n"
         "- Every hour worked counts, including on-call time at the workplace.\n"
         "- Write down your working hours every day.\n\n"
         "Claims to the minimum wage expire after {LIMIT_YEARS} years. An advice centre helps free of charge."},
        {"ar", "الحد الأدنى للأجور: ما يحق لك",
         "يبلغ الحد الأدنى القانوني للأجور **{{minimum_wage}} إجمالي في الساعة**.\n\n"
         "- يَسري على جميع العاملين تقريباً، وكذلك في الوظائف الصغيرة (حتى {{minijob_limit:value}} شهرياً) وفي العمل بالقطعة.\n"
         "- كل ساعة عمل تُحسب، بما في ذلك وقت الاستعداد في مكان العمل.\n"
         "- سَجِّل ساعات عملك كل يوم.\n\n"
         "تسقط المطالبات بالحد الأدنى للأجور بعد {LIMIT_YEARS} سنوات. يساعدك مركز الاستشارة مجاناً."},
        {"uk", "Мінімальна зарплата: що вам належить",
         "Мінімальна зарплата становить **{{minimum_wage}} брутто за годину**.\n\n"
         "- Вона діє майже для всіх працівників, також у мініджобі (до {{minijob_limit:value}} на місяць) і при відрядній оплаті.\n"
         "- Рахується кожна відпрацьована година.\n"
         "- Щодня записуйте свій робочий час.\n\n"
         "Вимоги щодо мінімальної зарплати втрачають силу через {LIMIT_YEARS} роки. Консультація безкоштовна."}}},
      {"dossier", "working_time", "public", {"Arbeitszeit", "ArbZG"},
       {{"de", "Arbeitszeit, Pausen und Ruhezeit",
         "Die Arbeitszeit darf werktäglich {DAY_H} Stunden nicht überschreiten; bis zu {MAX_H} Stunden sind nur mit Ausgleich erlaubt.\n\n"
         "- Nach mehr als {BREAK1_AFTER} Stunden Arbeit: mindestens {BREAK1} Minuten Pause.\n"
         "- Nach mehr als {BREAK2_AFTER} Stunden: mindestens {BREAK2} Minuten.\n"
         "- Zwischen zwei Arbeitstagen: mindestens {REST_H} Stunden Ruhezeit.\n\n"
         "Überstunden müssen bezahlt oder ausgeglichen werden, wenn der Vertrag nichts anderes wirksam regelt."},
        {"en", "Working time, breaks and rest",
         "Working time may not exceed {DAY_H} hours per working day; up to {MAX_H} hours are allowed only if balanced out.\n\n"
         "- After more than {BREAK1_AFTER} hours of work: a break of at least {BREAK1} minutes.\n"
         "- After more than {BREAK2_AFTER} hours: at least {BREAK2} minutes.\n"
         "- Between two working days: at least {REST_H} hours of rest.\n\n"
         "Overtime must be paid or compensated unless the contract validly says otherwise."},
        {"ar", "ساعات العمل والاستراحات وفترة الراحة",
         "لا يجوز أن تتجاوز ساعات العمل {DAY_H} ساعات في يوم العمل؛ ويُسمح بما يصل إلى {MAX_H} ساعات فقط مع التعويض.\n\n"
         "- بعد أكثر من {BREAK1_AFTER} ساعات عمل: استراحة لا تقل عن {BREAK1} دقيقة.\n"
         "- بعد أكثر من {BREAK2_AFTER} ساعات: {BREAK2} دقيقة على الأقل.\n"
         "- بين يومي عمل: {REST_H} ساعة راحة على الأقل.\n\n"
         "يجب دفع أجر الساعات الإضافية أو تعويضها."},
        {"uk", "Робочий час, перерви та відпочинок",
         "Робочий час не може перевищувати {DAY_H} годин на робочий день; до {MAX_H} годин дозволено лише з компенсацією.\n\n"
         "- Після понад {BREAK1_AFTER} годин роботи: перерва щонайменше {BREAK1} хвилин.\n"
         "- Після понад {BREAK2_AFTER} годин: щонайменше {BREAK2} хвилин.\n"
         "- Між двома робочими днями: щонайменше {REST_H} годин відпочинку.\n\n"
         "Понаднормові години мають бути оплачені або компенсовані."}}},
      {"dossier", "leave", "public", {"Urlaub", "BUrlG"},
       {{"de", "Urlaub: Ihr Anspruch",
         "Der gesetzliche Mindesturlaub beträgt {{leave_days_six_day_week:value}} Werktage im Jahr bei einer Sechs-Tage-Woche, also {{leave_days_five_day_week:value}} Arbeitstage bei einer Fünf-Tage-Woche.\n\n"
         "- Auch Minijobber und Teilzeitkräfte haben Anspruch auf bezahlten Urlaub.\n"
         "- Während des Urlaubs wird der Lohn weitergezahlt.\n"
         "- Nicht genommener Urlaub ist am Ende des Arbeitsverhältnisses in Geld abzugelten.\n\n"
         "Krankheitstage während des Urlaubs zählen nicht als Urlaub, wenn Sie eine Bescheinigung vorlegen."},
        {"en", "Leave: your entitlement",
         "The statutory minimum leave is {{leave_days_six_day_week:value}} working days a year for a six-day week, that is {{leave_days_five_day_week:value}} days for a five-day week.\n\n"
         "- Mini-jobbers and part-time workers are also entitled to paid leave.\n"
         "- Your pay continues during leave.\n"
         "- Leave not taken must be paid out when the employment ends.\n\n"
         "Days of illness during leave do not count as leave if you provide a certificate."},
        {"ar", "الإجازة: حقك",
         "الحد الأدنى القانوني للإجازة هو {{leave_days_six_day_week:value}} يوم عمل في السنة لأسبوع من ستة أيام، أي {{leave_days_five_day_week:value}} يوماً لأسبوع من خمسة أيام.\n\n"
         "- يحق للعاملين في الوظائف الصغيرة والدوام الجزئي أيضاً إجازة مدفوعة الأجر.\n"
         "- يستمر دفع الأجر أثناء الإجازة.\n"
         "- يجب تعويض الإجازة غير المستخدمة مالياً عند انتهاء العمل.\n\n"
         "أيام المرض أثناء الإجازة لا تُحسب إجازة إذا قدمت شهادة طبية."},
        // Ukrainian: made from the first German revision; the source changes afterwards (outdated).
        {"uk", "Відпустка: ваше право",
         "Мінімальна відпустка за законом становить {{leave_days_six_day_week:value}} робочих днів на рік при шестиденному тижні.\n\n"
         "- Працівники мініджобів і неповного робочого дня також мають право на оплачувану відпустку.\n"
         "- Під час відпустки зарплата виплачується."}}},
      {"dossier", "sick_pay", "public", {"Entgeltfortzahlung", "krank"},
       {{"de", "Krank: Lohnfortzahlung im Krankheitsfall",
         "Wer krank ist, bekommt bis zu {SICK_WEEKS} Wochen weiter Lohn vom Arbeitgeber, wenn das Arbeitsverhältnis seit {SICK_WAIT_WEEKS} Wochen besteht.\n\n"
         "1. Melden Sie sich sofort beim Arbeitgeber krank.\n"
         "2. Lassen Sie sich von einer Ärztin oder einem Arzt krankschreiben.\n"
         "3. Danach zahlt die Krankenkasse Krankengeld.\n\n"
         "Eine Kündigung wegen Krankheit ist nicht ohne Weiteres wirksam."},
        {"en", "Sick: continued pay during illness",
         "If you are ill, your employer keeps paying you for up to {SICK_WEEKS} weeks once the employment has lasted {SICK_WAIT_WEEKS} weeks.\n\n"
         "1. Report sick to your employer at once.\n"
         "2. Get a sick note from a doctor.\n"
         "3. After that, the health insurance fund pays sickness benefit."},
        {"ar", "المرض: استمرار دفع الأجر أثناء المرض",
         "إذا كنت مريضاً يستمر صاحب العمل في دفع أجرك لمدة تصل إلى {SICK_WEEKS} أسابيع إذا استمر العمل {SICK_WAIT_WEEKS} أسابيع.\n\n"
         "1. أبلغ صاحب العمل بمرضك فوراً.\n"
         "2. احصل على شهادة مرضية من الطبيب.\n"
         "3. بعد ذلك يدفع صندوق التأمين الصحي بدل المرض."},
        {"uk", "Хвороба: оплата під час хвороби",
         "Якщо ви захворіли, роботодавець платить зарплату до {SICK_WEEKS} тижнів, якщо трудові відносини тривають {SICK_WAIT_WEEKS} тижні.\n\n"
         "1. Одразу повідомте роботодавця.\n"
         "2. Отримайте лікарняний у лікаря.\n"
         "3. Потім лікарняна каса виплачує допомогу."}}},
      {"dossier", "dismissal", "public", {"Kündigung", "Kündigungsschutzklage"},
       {{"de", "Kündigung: Fristen und Kündigungsschutzklage",
         "Eine Kündigung muss schriftlich auf Papier mit Unterschrift erfolgen. Die Grundkündigungsfrist beträgt {NOTICE_WEEKS} Wochen.\n\n"
         "Wer sich gegen eine Kündigung wehren will, muss innerhalb von **{CLAIM_WEEKS} Wochen** nach Zugang Kündigungsschutzklage beim Arbeitsgericht erheben.\n\n"
         "Unterschreiben Sie keinen Aufhebungsvertrag, ohne sich beraten zu lassen."},
        {"en", "Dismissal: notice periods and unfair dismissal claims",
         "A dismissal must be in writing on paper with a signature. The basic notice period is {NOTICE_WEEKS} weeks.\n\n"
         "To challenge a dismissal, you must file a claim with the labour court within **{CLAIM_WEEKS} weeks** of receiving it.\n\n"
         "Do not sign a termination agreement without advice."},
        {"ar", "الفصل من العمل: المهل ودعوى الحماية من الفصل",
         "يجب أن يكون الفصل كتابياً على ورق مع توقيع. مهلة الإشعار الأساسية {NOTICE_WEEKS} أسابيع.\n\n"
         "من يريد الاعتراض على الفصل عليه رفع دعوى أمام محكمة العمل خلال **{CLAIM_WEEKS} أسابيع** من استلامه.\n\n"
         "لا توقّع على اتفاقية إنهاء دون استشارة."},
        {"uk", "Звільнення: строки та позов",
         "Звільнення має бути письмовим на папері з підписом. Базовий строк попередження — {NOTICE_WEEKS} тижні.\n\n"
         "Щоб оскаржити звільнення, потрібно подати позов до трудового суду протягом **{CLAIM_WEEKS} тижнів**.\n\n"
         "Не підписуйте угоду про припинення без консультації."}}},
      {"dossier", "health_insurance", "public", {"Krankenversicherung"},
       {{"de", "Krankenversicherung bei Beschäftigung",
         "Wer angestellt ist und mehr als {{minijob_limit:value}} im Monat verdient, ist in der Regel pflichtversichert. Der Arbeitgeber meldet Sie bei der Krankenkasse an und zahlt die Hälfte der Beiträge.\n\n"
         "Fragen Sie Ihre Krankenkasse nach einer Mitgliedsbescheinigung, wenn Sie unsicher sind."},
        {"en", "Health insurance when employed",
         "If you are employed and earn more than {{minijob_limit:value}} a month, you are usually insured by law. Your employer registers you with a health insurance fund and pays half of the contributions.\n\n"
         "Ask your health insurance fund for a certificate of membership if you are unsure."},
        {"ar", "التأمين الصحي أثناء العمل",
         "من يعمل موظفاً ويكسب أكثر من {{minijob_limit:value}} شهرياً يكون عادةً مؤمناً إلزامياً. يسجلك صاحب العمل في صندوق التأمين الصحي ويدفع نصف الاشتراكات."},
        {"uk", "Медичне страхування під час роботи",
         "Якщо ви працюєте за наймом і заробляєте понад {{minijob_limit:value}} на місяць, ви зазвичай застраховані обов'язково. Роботодавець реєструє вас у лікарняній касі та сплачує половину внесків."}}},
      {"dossier", "exploitation", "public", {"Arbeitsausbeutung", "Menschenhandel"},
       {{"de", "Arbeitsausbeutung erkennen und Hilfe finden",
         "Anzeichen von Arbeitsausbeutung: Ihr Pass wird einbehalten, Sie wohnen beim Arbeitgeber und zahlen überhöhte Miete, Lohn wird nicht oder viel zu spät gezahlt, Sie werden bedroht.\n\n"
         "Spezialisierte Beratungsstellen gegen Arbeitsausbeutung und Menschenhandel helfen vertraulich. Auch ohne gültigen Aufenthaltstitel haben Sie Anspruch auf Ihren Lohn."},
        {"en", "Recognising labour exploitation and finding help",
         "Signs of labour exploitation: your passport is withheld, you live with your employer and pay excessive rent, wages are not paid or paid far too late, you are threatened.\n\n"
         "Specialised advice centres against labour exploitation and human trafficking help confidentially. You are owed your wages even without a valid residence permit."},
        {"ar", "التعرف على الاستغلال في العمل وإيجاد المساعدة",
         "علامات الاستغلال في العمل: احتجاز جواز سفرك، السكن لدى صاحب العمل بإيجار مرتفع، عدم دفع الأجر أو تأخيره كثيراً، التهديد.\n\n"
         "تساعدك مراكز الاستشارة المتخصصة بسرية. يحق لك أجرك حتى بدون إقامة سارية."},
        {"uk", "Як розпізнати трудову експлуатацію і знайти допомогу",
         "Ознаки трудової експлуатації: у вас забирають паспорт, ви живете у роботодавця і платите завищену оренду, зарплату не виплачують або виплачують дуже пізно, вам погрожують.\n\n"
         "Спеціалізовані консультаційні центри допомагають конфіденційно."}}},
      {"dossier", "wages", "internal", {"Ausschlussfrist", "Beratungspraxis"},
       {{"de", "Dossier: Ausschlussfristen im Arbeitsvertrag prüfen",
         "Viele Arbeitsverträge enthalten Ausschlussfristen. Für die Beratung:\n\n"
         "1. Vertragsdatum und Wortlaut der Klausel festhalten.\n"
         "2. Klauseln, die den Mindestlohn nicht ausnehmen, sind in Formularverträgen insoweit unwirksam.\n"
         "3. Den Rechner „Ausschlussklausel“ nutzen und das Ergebnis in der Akte speichern.\n\n"
         "Unabhängig davon gilt die Verjährung von {LIMIT_YEARS} Jahren."}}},
      {"case_description", "wages", "internal", {"Fallbeschreibung", "Lohnrückstand"},
       {{"de", "Fallbeschreibung: Lohnrückstand in der Gebäudereinigung",
         "**Frage:** Ein Reinigungsunternehmen zahlte drei Monate lang nur einen Teil des Lohns und verwies auf eine Ausschlussfrist von einem Monat.\n\n"
         "**Anonymisierter Sachverhalt:** Vollzeit, Formularvertrag, Stundenlohn unter dem damals geltenden gesetzlichen Mindestlohn.\n\n"
         "**Antwort der Kompetenzstelle:** Die Ausschlussklausel ist wegen der Mindestlohn-Ausnahme insoweit unwirksam; der Anspruch auf die Differenz besteht, schriftliche Geltendmachung empfohlen."}}},
      {"checklist", "dismissal", "internal", {"Checkliste", "Kündigung"},
       {{"de", "Checkliste: Erstberatung nach einer Kündigung",
         "- [ ] Zugangsdatum der Kündigung notieren\n"
         "- [ ] Frist für die Kündigungsschutzklage ({CLAIM_WEEKS} Wochen) als Frist im Fall anlegen\n"
         "- [ ] Schriftform prüfen (Papier, Unterschrift)\n"
         "- [ ] Offene Lohn- und Urlaubsansprüche erfassen\n"
         "- [ ] Arbeitspapiere und Lohnabrechnungen anfordern"}}},
      {"letter_template", "wages", "internal", {"Musterschreiben", "Geltendmachung"},
       {{"de", "Musterschreiben: Geltendmachung offenen Lohns",
         "{{client_name}}\n\n"
         "An: {{employer_name}}\n\n"
         "Datum: {{today}}\n\n"
         "Sehr geehrte Damen und Herren,\n\n"
         "hiermit mache ich offenen Lohn in Höhe von {{amount}} Euro brutto für den Zeitraum {{period}} geltend. "
         "Bitte zahlen Sie den Betrag bis zum {{deadline}}.\n\n"
         "Mit freundlichen Grüßen\n\n"
         "Aktenzeichen der Beratung: {{client_code}}"}}},
  };
}

}  // namespace

Status Service::SeedDemo(const std::string& author, const std::string& reviewer) {
  std::int64_t count = 0;
  FD_TRY_VOID(database_.Read([&](db::Session& s) -> Status {
    count = FD_TRY(store_->CountItems(s));
    return {};
  }));
  if (count > 0) return {};
  Principal a{author, Role::kCompetenceCentre, "centre-fachstelle", std::nullopt, "", "", "de"};
  Principal r{reviewer, Role::kCompetenceCentre, "centre-fachstelle", std::nullopt, "", "", "de"};
  auto figures = Constants();
  for (const auto& demo : Items()) {
    const auto& src = demo.texts.front();
    NewItem in;
    in.type = demo.type;
    in.topic = demo.topic;
    in.tags = demo.tags;
    in.audience = demo.audience;
    in.source_language = "de";
    in.title = Fill(src.title, figures);
    in.body = Fill(src.body, figures);
    in.note = "Demo content";
    auto created = FD_TRY(Create(a, in));
    const auto& id = created.item.id;
    auto publish = [&](const std::string& lang, std::int64_t rev) -> Status {
      FD_TRY(Submit(a, id, lang, rev));
      FD_TRY(Publish(r, id, lang, rev, std::nullopt));
      return {};
    };
    FD_TRY_VOID(publish("de", 1));
    bool leave = demo.topic == "leave";
    for (std::size_t i = 1; i < demo.texts.size(); ++i) {
      const auto& t = demo.texts[i];
      SaveInput s;
      s.base_revision = 0;
      s.title = Fill(t.title, figures);
      s.body = Fill(t.body, figures);
      s.note = "Demo translation";
      s.source_revision = 1;
      FD_TRY(Save(a, id, t.lang, s));
      FD_TRY_VOID(publish(t.lang, 1));
    }
    if (leave) {
      // A major change of the German source after the translations: all three are flagged
      // outdated; the English and Arabic ones are brought up to date, the Ukrainian one is not.
      SaveInput s;
      s.base_revision = 1;
      s.title = in.title;
      s.body = in.body + "\n\nTipp: Beantragen Sie Urlaub schriftlich und bewahren Sie eine Kopie auf.";
      s.note = "Hinweis zum schriftlichen Antrag ergänzt";
      FD_TRY(Save(a, id, "de", s));
      FD_TRY_VOID(publish("de", 2));
      for (const auto& t : demo.texts) {
        if (t.lang == "de" || t.lang == "uk") continue;
        SaveInput u;
        u.base_revision = 1;
        u.title = Fill(t.title, figures);
        u.body = Fill(t.body, figures) + (t.lang == "en" ? "\n\nTip: apply for leave in writing and keep a copy."
                                                          : "\n\nنصيحة: قدّم طلب الإجازة كتابياً واحتفظ بنسخة.");
        u.note = "Updated to source revision 2";
        u.source_revision = 2;
        FD_TRY(Save(a, id, t.lang, u));
        FD_TRY_VOID(publish(t.lang, 2));
      }
    }
  }
  return {};
}

}  // namespace fairdesk::knowledge
