#include "lessons/lessoncatalog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace sl::lessons {

QString LessonInfo::title(const QString &lang) const {
    if (lang != QLatin1String("en")) {
        const QString t = meta.value(QStringLiteral("title[%1]").arg(lang));
        if (!t.isEmpty())
            return t;
    }
    return meta.value(QStringLiteral("title"), id);
}

QString LessonInfo::summary(const QString &lang) const {
    if (lang != QLatin1String("en")) {
        const QString t = meta.value(QStringLiteral("summary[%1]").arg(lang));
        if (!t.isEmpty())
            return t;
    }
    return meta.value(QStringLiteral("summary"));
}

QMap<QString, QString> readMeta(const QString &source) {
    static const QRegularExpression re(
        QStringLiteral(R"(^#!\s*([A-Za-z_]+(?:\[[a-z]+\])?)\s*:\s*(.*)$)"));
    QMap<QString, QString> meta;
    for (const QString &line : source.split(QLatin1Char('\n'))) {
        const auto m = re.match(line.trimmed());
        if (m.hasMatch())
            meta.insert(m.captured(1), m.captured(2).trimmed());
    }
    return meta;
}

static std::optional<LessonInfo> loadFile(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot open %1: %2").arg(path, f.errorString());
        return std::nullopt;
    }
    LessonInfo info;
    info.path = path;
    info.source = QString::fromUtf8(f.readAll());
    info.id = QFileInfo(path).completeBaseName();
    info.meta = readMeta(info.source);
    bool ok = false;
    info.number = info.meta.value(QStringLiteral("lesson")).toInt(&ok);
    if (!ok) {
        static const QRegularExpression digits(QStringLiteral(R"(^(\d+))"));
        info.number = digits.match(info.id).captured(1).toInt();
    }
    return info;
}

QList<LessonInfo> builtinLessons() {
    QList<LessonInfo> out;
    const QDir dir(QStringLiteral(":/lessons"));
    for (const QString &name : dir.entryList({QStringLiteral("*.lab")}, QDir::Files, QDir::Name)) {
        if (auto l = loadFile(dir.filePath(name), nullptr))
            out << *l;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const LessonInfo &a, const LessonInfo &b) { return a.number < b.number; });
    return out;
}

std::optional<LessonInfo> findLesson(const QString &key, QString *error) {
    if (key.endsWith(QLatin1String(".lab")) || key.contains(QLatin1Char('/')))
        return loadFile(key, error);
    bool isNumber = false;
    const int number = key.toInt(&isNumber);
    for (const LessonInfo &l : builtinLessons()) {
        const QString slug = l.id.section(QLatin1Char('-'), 1);
        if ((isNumber && l.number == number) || l.id == key || slug == key)
            return l;
    }
    if (QFileInfo::exists(key))
        return loadFile(key, error);
    if (error)
        *error = QStringLiteral("no lesson '%1' (see `socketlab lessons`, or give a path to a "
                                ".lab file)")
                     .arg(key);
    return std::nullopt;
}

} // namespace sl::lessons
