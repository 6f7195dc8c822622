// socketlab lessons [--json]: the built-in lessons, one a line (number, id, title), or
// as JSON (id, titles in English and Korean, the study note's section, level,
// prerequisites, questions, exercise).
#include "cmd_lessons.h"
#include "cli.h"

#include "lessons/lessoncatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace sl::app {

static int lessonsMain(const QStringList &args) {
    CommandLine cl(lessonsCommand());
    cl.addLangOption();
    cl.addOption({QStringLiteral("json"),
                  QStringLiteral("As JSON: id, number, titles (en, ko), seed section, level, "
                                 "prerequisites, questions, exercise.")});
    if (const auto rc = cl.parse(args))
        return *rc;
    if (!cl.positionals().isEmpty())
        return cl.usageError(QStringLiteral("takes no arguments (got '%1')")
                                 .arg(cl.positionals().join(QLatin1Char(' '))));
    cmdLessons(out(), cl.lang(), cl.isSet(QStringLiteral("json")));
    return ExitOk;
}

Command lessonsCommand() {
    return {QStringLiteral("lessons"),
            QStringLiteral("[options]"),
            QStringLiteral("List the built-in lessons: number, id and title (or --json)."),
            {QStringLiteral("socketlab lessons --lang ko        # their titles in Korean"),
             QStringLiteral("socketlab lessons --json | jq '.[].id'  # for scripts")},
            lessonsMain};
}

int cmdLessons(QTextStream &out, const QString &lang, bool json) {
    const QList<lessons::LessonInfo> all = lessons::builtinLessons();
    if (!json) {
        for (const lessons::LessonInfo &l : all)
            out << QStringLiteral("%1  %2  %3\n")
                       .arg(l.number, 2)
                       .arg(l.id, -26)
                       .arg(l.title(lang));
        return 0;
    }
    QJsonArray list;
    for (const lessons::LessonInfo &l : all) {
        QJsonObject o;
        o[QStringLiteral("id")] = l.id;
        o[QStringLiteral("number")] = l.number;
        o[QStringLiteral("title")] =
            QJsonObject{{QStringLiteral("en"), l.title(QStringLiteral("en"))},
                        {QStringLiteral("ko"), l.title(QStringLiteral("ko"))}};
        o[QStringLiteral("seed")] = l.meta.value(QStringLiteral("seed"));
        o[QStringLiteral("level")] = l.level();
        o[QStringLiteral("requires")] = QJsonArray::fromStringList(l.prerequisites());
        o[QStringLiteral("questions")] = l.questionCount();
        o[QStringLiteral("exercise")] = l.hasBlanks();
        list.append(o);
    }
    out << QJsonDocument(list).toJson(QJsonDocument::Indented);
    return 0;
}

bool readAnswers(const QString &path, QStringList *answers, QString *error) {
    QString text;
    if (!lessons::loadScriptFile(path, &text, error)) // a regular file of sane size
        return false;
    *answers = text.split(u'\n');
    for (QString &a : *answers)
        a = a.trimmed();
    return true;
}

} // namespace sl::app
