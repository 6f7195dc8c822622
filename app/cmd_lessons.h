// `socketlab lessons [--json]`: the built-in lessons, as a table or as JSON (id, titles
// in English and Korean, the study note's section, level, prerequisites, questions).
#pragma once

#include <QString>
#include <QTextStream>

namespace sl::app {

int cmdLessons(QTextStream &out, const QString &lang, bool json);
// --answers FILE: one answer a line (an empty line or `-` skips that question).
bool readAnswers(const QString &path, QStringList *answers, QString *error);

} // namespace sl::app
