#include "cli.h"

#include "engine/version.h"
#include "script/limits.h"

#include <QCoreApplication>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <unistd.h>

namespace sl::app {

QTextStream &out() {
    static QTextStream s(stdout);
    return s;
}
QTextStream &err() {
    static QTextStream s(stderr);
    return s;
}

QString localeLang() {
    // POSIX precedence for the language of messages: LC_ALL, then LC_MESSAGES, then LANG.
    for (const char *var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const QByteArray v = qgetenv(var);
        if (!v.isEmpty())
            return v.startsWith("ko") ? QStringLiteral("ko") : QStringLiteral("en");
    }
    return QStringLiteral("en");
}

bool noColorEnv() {
    return !qgetenv("NO_COLOR").isEmpty();
}

CommandLine::CommandLine(const Command &cmd)
    : m_cmd(cmd) {
    m_parser.setApplicationDescription(cmd.summary);
    m_parser.addOption(QCommandLineOption({QStringLiteral("h"), QStringLiteral("help")},
                                          QStringLiteral("This help.")));
    m_parser.addOption(QCommandLineOption({QStringLiteral("v"), QStringLiteral("version")},
                                          QStringLiteral("The lab's version.")));
    // `socketlab --help-all`: this command's part of the manual (man page).
    QCommandLineOption manual(QStringLiteral("help-all"));
    manual.setFlags(QCommandLineOption::HiddenFromHelp);
    m_parser.addOption(manual);
}

QString CommandLine::manualText() const {
    // The options and arguments without the usage line and the summary (given in the
    // heading), and without --help/--version (the same for every command).
    QString body;
    for (const QString &line : m_parser.helpText().split(QLatin1Char('\n')).mid(1)) {
        if (line.startsWith(QLatin1String("  -h, --help")) ||
            line.startsWith(QLatin1String("  -v, --version")) || line == m_cmd.summary ||
            line == QLatin1String("Options:") || line == QLatin1String("Arguments:"))
            continue;
        body += line + QLatin1Char('\n');
    }
    while (body.startsWith(QLatin1Char('\n'))) // keep the first option's indentation
        body.remove(0, 1);
    while (body.endsWith(QStringLiteral("\n\n")))
        body.chop(1);
    return QStringLiteral("socketlab %1 %2:\n  %3\n\n")
               .arg(m_cmd.name, m_cmd.synopsis, m_cmd.summary) +
           body;
}

void CommandLine::addLangOption() {
    m_parser.addOption(QCommandLineOption(
        QStringLiteral("lang"),
        QStringLiteral("Narration language: en or ko (default: the system locale, LANG)."),
        QStringLiteral("lang")));
    m_hasLang = true;
}

void CommandLine::addColorOptions() {
    m_parser.addOption(QCommandLineOption(
        QStringLiteral("color"), QStringLiteral("Colour the output even when it is not a terminal "
                                                "(overrides NO_COLOR).")));
    m_parser.addOption(QCommandLineOption(
        QStringLiteral("no-color"),
        QStringLiteral("Plain output (default when not a terminal, or NO_COLOR is set).")));
    m_hasColor = true;
}

QString CommandLine::helpText() const {
    // Qt's usage line names the executable's path: ours names the command.
    QString text = m_parser.helpText();
    text = text.mid(text.indexOf(QLatin1Char('\n')) + 1);
    QString examples;
    for (const QString &e : m_cmd.examples)
        examples += QStringLiteral("  ") + e + QLatin1Char('\n');
    return QStringLiteral("Usage: socketlab %1 %2\n").arg(m_cmd.name, m_cmd.synopsis) + text +
           (examples.isEmpty() ? QString() : QStringLiteral("\nExamples:\n") + examples);
}

int CommandLine::usageError(const QString &message) const {
    err() << "socketlab " << m_cmd.name << ": " << message << "\n"
          << "Try 'socketlab " << m_cmd.name << " --help'.\n";
    err().flush();
    return ExitUsage;
}

std::optional<int> CommandLine::parse(const QStringList &args) {
    if (!m_parser.parse(QStringList{QStringLiteral("socketlab")} + args))
        return usageError(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help-all"))) {
        out() << manualText();
        out().flush();
        return ExitOk;
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        out() << helpText();
        out().flush();
        return ExitOk;
    }
    if (m_parser.isSet(QStringLiteral("version"))) {
        out() << "socketlab " << labVersion() << "\n";
        out().flush();
        return ExitOk;
    }
    return validate();
}

std::optional<int> CommandLine::validate() const {
    if (m_hasLang && m_parser.isSet(QStringLiteral("lang"))) {
        const QString l = m_parser.value(QStringLiteral("lang"));
        if (l != QLatin1String("en") && l != QLatin1String("ko"))
            return usageError(QStringLiteral("--lang must be en or ko (got '%1')").arg(l));
    }
    if (m_hasColor && m_parser.isSet(QStringLiteral("color")) &&
        m_parser.isSet(QStringLiteral("no-color")))
        return usageError(QStringLiteral("--color and --no-color contradict each other"));
    return std::nullopt;
}

QString CommandLine::lang() const {
    if (m_hasLang && m_parser.isSet(QStringLiteral("lang")))
        return m_parser.value(QStringLiteral("lang"));
    return localeLang();
}

bool CommandLine::color() const {
    if (!m_hasColor)
        return false;
    if (m_parser.isSet(QStringLiteral("color")))
        return true;
    if (m_parser.isSet(QStringLiteral("no-color")) || noColorEnv())
        return false;
    return isatty(STDOUT_FILENO);
}

std::optional<lessons::LessonInfo> loadScript(const QString &key, QString *error) {
    if (key != QLatin1String("-"))
        return lessons::findLesson(key, error);
    // Standard input: read to its end, refusing more than a script may hold (one byte
    // past the limit is enough to know).
    QByteArray bytes(qsizetype(script::MaxScriptBytes + 1), Qt::Uninitialized);
    qsizetype got = 0;
    while (got < bytes.size()) {
        const ssize_t n = ::read(STDIN_FILENO, bytes.data() + got, size_t(bytes.size() - got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = QStringLiteral("cannot read the script from standard input: %1")
                         .arg(QString::fromLocal8Bit(std::strerror(errno)));
            return std::nullopt;
        }
        if (n == 0)
            break;
        got += n;
    }
    if (got > script::MaxScriptBytes) {
        *error = QStringLiteral("the script on standard input is too large; a lab script may "
                                "hold at most %L1 bytes")
                     .arg(qint64(script::MaxScriptBytes));
        return std::nullopt;
    }
    bytes.truncate(got);
    lessons::LessonInfo info;
    info.id = QStringLiteral("stdin");
    info.path = QStringLiteral("<stdin>");
    info.source = QString::fromUtf8(bytes);
    info.meta = lessons::readMeta(info.source);
    info.number = info.meta.value(QStringLiteral("lesson")).toInt();
    return info;
}

QString globalHelp(const QList<Command> &commands) {
    QString text = QStringLiteral(
        "Usage: socketlab [--lang en|ko] [LESSON|FILE.lab]\n"
        "       socketlab COMMAND [options] [arguments]\n"
        "Socket Lab: run real BSD socket calls step by step and watch the kernel.\n"
        "\n"
        "With no command, the lab window opens on the first lesson (or on the LESSON or\n"
        ".lab FILE named); without a display, that lesson runs in the terminal.\n"
        "\n"
        "Commands:\n");
    int width = 0;
    for (const Command &c : commands)
        width = std::max(width, int((c.name + QLatin1Char(' ') + c.synopsis).size()));
    for (const Command &c : commands)
        text += QStringLiteral("  %1  %2\n")
                    .arg(c.name + QLatin1Char(' ') + c.synopsis, -width)
                    .arg(c.summary);
    text += QStringLiteral(
        "\n"
        "Options:\n"
        "  -h, --help       This help; 'socketlab COMMAND --help' for a command's options.\n"
        "  --help-all       This help and every command's options (the manual).\n"
        "  -v, --version    The lab's version.\n"
        "  --lang <lang>    Window and narration language: en or ko.\n"
        "\n"
        "Environment:\n"
        "  LANG, LC_MESSAGES, LC_ALL  ko_KR.UTF-8 and the like: Korean narration unless\n"
        "                             --lang says otherwise.\n"
        "  NO_COLOR                   Set and not empty: no colour (--color overrides).\n"
        "\n"
        "Exit status:\n"
        "  0  success;  1  a lesson or script failed an expectation, or raised an error;\n"
        "  2  a usage error or a script that could not be loaded;  128+N  stopped by\n"
        "  signal N (130: Ctrl+C).\n"
        "\n"
        "Examples:\n");
    for (const Command &c : commands)
        for (const QString &e : c.examples)
            text += QStringLiteral("  ") + e + QLatin1Char('\n');
    return text;
}

std::optional<int> paceMs(const QString &text, QString *why) {
    bool ok = false;
    const double sec = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(sec)) {
        *why = QStringLiteral("needs a number of seconds, e.g. --pace 2 (got '%1')").arg(text);
        return std::nullopt;
    }
    // A reader who stepped away for longer than an hour has left the lesson.
    if (sec < 0 || sec > 3600) {
        *why = QStringLiteral("must be between 0 and 3600 seconds (got %1)").arg(text);
        return std::nullopt;
    }
    return int(std::lround(sec * 1000));
}

} // namespace sl::app
