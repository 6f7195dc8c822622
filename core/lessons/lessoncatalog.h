// The built-in lessons (resources/lessons/*.lab, compiled in as :/lessons/) and
// lessons loaded from a path. A lesson's metadata are its `#!` lines.
//
// Thread affinity: none (reads Qt resources and files).
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace sl::lessons {

struct LessonInfo {
    QString id;                  // file stem: "05-partial-send"
    int number = 0;              // 5 (from `#! lesson: 5`, else the file name's digits)
    QString path;                // ":/lessons/05-partial-send.lab" or a file path
    QMap<QString, QString> meta; // title, title[ko], summary, summary[ko], seed, …
    QString source;

    QString title(const QString &lang = QStringLiteral("en")) const;
    QString summary(const QString &lang = QStringLiteral("en")) const;

    // The path (`#! level: 1`, `#! requires: 01-client-basics, 02-server-basics`).
    int level() const;                 // 0 when not declared
    QStringList prerequisites() const; // `#! requires:` lesson ids, in order
    int questionCount() const;         // its `ask` lines
    bool hasBlanks() const;            // an exercise: a `___` the learner fills in
    // The hint for a wrong try (`#! hint:`, `#! hint[ko]:`), "" when none.
    QString hint(const QString &lang = QStringLiteral("en")) const;
};

// The source with every blank filled by its solution: a line holding `___` is followed
// by `#! solution: TEXT`, and TEXT replaces the line's `___`. A blank without a solution
// line is left as it is (the script then refuses to run, naming it). `check` runs this.
QString fillBlanks(const QString &source);

QList<LessonInfo> builtinLessons(); // sorted by number
// A lesson by number ("5"), id ("05-partial-send"), slug ("partial-send") or path.
// On failure returns nullopt and sets *error.
std::optional<LessonInfo> findLesson(const QString &key, QString *error = nullptr);
// The `#!` metadata lines of a script.
QMap<QString, QString> readMeta(const QString &source);

// Reads a script from disk into *source (UTF-8). Refuses, with a message in *error and
// before reading anything, what is not a regular file (a FIFO would block for ever,
// /dev/zero never ends) and a file larger than script::MaxScriptBytes; reads at most
// one byte more than that limit, so a file growing meanwhile is refused too.
bool loadScriptFile(const QString &path, QString *source, QString *error);

} // namespace sl::lessons
