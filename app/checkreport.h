// `socketlab check --format json|junit`: the verdicts as a program (a grading script, a
// CI server) reads them. One entry per lesson or script: passed or not, the first
// failed expectation (line, statement, the values found), time; the JUnit XML follows
// the common schema (testsuites > testsuite > testcase > failure | error) that CI
// servers read.
//
// Thread affinity: none (pure functions of their arguments).
#pragma once

#include "engine/runner.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace sl::app {

struct CheckEntry {
    QString key;       // as given on the command line: "5", "my.lab", "-"
    QString id;        // "05-partial-send"; the key when not found
    QString title;     // the lesson's title (English)
    QString path;      // ":/lessons/05-partial-send.lab", "my.lab", "<stdin>"
    QString loadError; // not empty: the lesson was not found or could not be read
    QString tracePath; // check --trace DIR: where its trace went
    engine::RunResult run;
};

// "error" when the script did not run (not found, did not parse, interrupted), "failed"
// when it ran and failed, "passed".
QString verdict(const CheckEntry &e);

QByteArray checkJson(const QList<CheckEntry> &entries, qint64 totalMs);
QByteArray checkJUnit(const QList<CheckEntry> &entries, qint64 totalMs);

} // namespace sl::app
