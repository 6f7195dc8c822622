#include "lessons/lessoncatalog.h"

#include "script/limits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

int LessonInfo::level() const {
    return meta.value(QStringLiteral("level")).toInt();
}

QStringList LessonInfo::prerequisites() const {
    QStringList ids;
    for (const QString &id : meta.value(QStringLiteral("requires")).split(u','))
        if (!id.trimmed().isEmpty())
            ids << id.trimmed();
    return ids;
}

static bool isCodeLine(const QString &line) {
    const QString t = line.trimmed();
    return !t.isEmpty() && !t.startsWith(u'#');
}

int LessonInfo::questionCount() const {
    static const QRegularExpression ask(QStringLiteral(R"(^ask\s*")"));
    int n = 0;
    for (const QString &line : source.split(u'\n'))
        n += ask.match(line).hasMatch();
    return n;
}

static const QRegularExpression &blankRe() {
    static const QRegularExpression re(QStringLiteral(R"((?<![A-Za-z0-9_])___(?![A-Za-z0-9_]))"));
    return re;
}

bool LessonInfo::hasBlanks() const {
    for (const QString &line : source.split(u'\n'))
        if (isCodeLine(line) && blankRe().match(line).hasMatch())
            return true;
    return false;
}

QString LessonInfo::hint(const QString &lang) const {
    if (lang != QLatin1String("en")) {
        const QString t = meta.value(QStringLiteral("hint[%1]").arg(lang));
        if (!t.isEmpty())
            return t;
    }
    return meta.value(QStringLiteral("hint"));
}

QString fillBlanks(const QString &source) {
    static const QRegularExpression solution(QStringLiteral(R"(^#!\s*solution\s*:\s?(.*)$)"));
    QStringList lines = source.split(u'\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) {
        if (!isCodeLine(lines[i]) || !blankRe().match(lines[i]).hasMatch())
            continue;
        const auto m = solution.match(lines[i + 1].trimmed());
        if (m.hasMatch())
            lines[i].replace(blankRe(), m.captured(1).trimmed());
    }
    return lines.join(u'\n');
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

static bool loadResource(const QString &path, QString *source, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, f.errorString());
        return false;
    }
    *source = QString::fromUtf8(f.read(script::MaxScriptBytes));
    return true;
}

bool loadScriptFile(const QString &path, QString *source, QString *error) {
    QString ignored;
    if (!error)
        error = &ignored;
    if (path.startsWith(u':')) // compiled in: our own lessons
        return loadResource(path, source, error);
    const auto fail = [&](const QString &why) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, why);
        return false;
    };
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one (it is refused
    // below, once fstat() says what the path is).
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0)
        return fail(QString::fromLocal8Bit(std::strerror(errno)));
    if (S_ISDIR(st.st_mode))
        return fail(QStringLiteral("it is a directory"));
    if (!S_ISREG(st.st_mode))
        return fail(QStringLiteral("not a regular file (a FIFO, a device or a socket); "
                                   "give the path of a .lab file"));
    const auto tooLarge = [&](qint64 size) {
        return fail(QStringLiteral("the file is too large (%L1 bytes); a lab script may hold at "
                                   "most %L2 bytes")
                        .arg(size)
                        .arg(qint64(script::MaxScriptBytes)));
    };
    if (st.st_size > script::MaxScriptBytes)
        return tooLarge(st.st_size);
    QByteArray bytes(qsizetype(script::MaxScriptBytes + 1), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + got, size_t(bytes.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return fail(QString::fromLocal8Bit(std::strerror(errno)));
        if (n == 0)
            break;
        got += n;
    }
    if (got > script::MaxScriptBytes) // it grew since fstat()
        return tooLarge(got);
    bytes.truncate(got);
    *source = QString::fromUtf8(bytes);
    return true;
}

static std::optional<LessonInfo> loadFile(const QString &path, QString *error) {
    LessonInfo info;
    if (!loadScriptFile(path, &info.source, error))
        return std::nullopt;
    info.path = path;
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
