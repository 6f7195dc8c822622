// What the subcommands share: the output streams, the dispatch table's entry, each
// subcommand's own option parser (usage errors exit 2 with a hint), the narration
// language (--lang, else the system locale), colour (--color / --no-color / NO_COLOR /
// a terminal) and the script loader (`-` is standard input).
//
// Every subcommand is one app/cmd_<name>.cpp that defines a `Command <name>Command()`
// (declared below) and is listed in the table in main.cpp; `socketlab --help` lists the
// table, with each command's synopsis, summary and examples.
//
// Thread affinity: main thread, under the Q(Core)Application.
#pragma once

#include "engine/runner.h"
#include "lessons/lessoncatalog.h"

#include <QCommandLineParser>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <optional>

namespace sl::app {

enum Exit { ExitOk = 0, ExitFailed = 1, ExitUsage = 2 };

QTextStream &out();
QTextStream &err();

struct Command {
    QString name;         // "run"
    QString synopsis;     // "[options] FILE|LESSON|-"
    QString summary;      // one line for `socketlab --help`
    QStringList examples; // "socketlab run 5 --lang ko", each with "  # what it does"
    // The arguments after the command's name (options and positionals in any order).
    int (*main)(const QStringList &args) = nullptr;
};

// The subcommands (app/cmd_*.cpp). A new one: declare it here, list it in main.cpp.
Command runCommand();
Command checkCommand();
Command showCommand();
Command lessonsCommand();
Command watchCommand();
Command traceCommand();
Command exportCommand();

// `socketlab --help`: every command of the table, the window, options, environment,
// exit statuses and examples (`--help-all` adds every command's own --help).
QString globalHelp(const QList<Command> &commands);

// One subcommand's command line: its own options only (anything else is a usage error),
// --help and --version, and the shared ones it asks for.
class CommandLine {
public:
    explicit CommandLine(const Command &cmd);
    QCommandLineParser &parser() { return m_parser; }
    void addLangOption();   // --lang en|ko
    void addColorOptions(); // --color, --no-color
    void addOption(const QCommandLineOption &o) { m_parser.addOption(o); }
    // Parses; returns an exit status when the command must end now: 0 after --help or
    // --version, ExitUsage (message printed) on an unknown option or a missing value.
    std::optional<int> parse(const QStringList &args);
    QString helpText() const;
    QString manualText() const;                   // `--help-all`: a section of the man page
    int usageError(const QString &message) const; // prints it and the hint; ExitUsage
    QStringList positionals() const { return m_parser.positionalArguments(); }
    bool isSet(const QString &name) const { return m_parser.isSet(name); }
    QString value(const QString &name) const { return m_parser.value(name); }
    // --lang, else the system locale ("ko" when LANG/LC_MESSAGES/LC_ALL say Korean).
    // An invalid --lang is reported by validate().
    QString lang() const;
    // --color forces colour, --no-color or a non-empty NO_COLOR turn it off; otherwise
    // colour when standard output is a terminal.
    bool color() const;
    // Checks the shared options' values (--lang); ExitUsage on a bad one.
    std::optional<int> validate() const;

private:
    Command m_cmd;
    QCommandLineParser m_parser;
    bool m_hasLang = false;
    bool m_hasColor = false;
};

// The narration language the system locale asks for: "ko" or "en".
QString localeLang();
// NO_COLOR (https://no-color.org): set and not empty.
bool noColorEnv();

// A lesson (number, id), a .lab file, or `-`: the script read from standard input
// (at most script::MaxScriptBytes), named "<stdin>".
std::optional<lessons::LessonInfo> loadScript(const QString &key, QString *error);

// Runs one lesson or script in the terminal (`run`, and the window's fallback without a
// display): 0 passed, 1 failed, 2 not loaded, 128 + N interrupted by signal N.
int runInTerminal(const lessons::LessonInfo &lesson, const engine::RunOptions &opts);

// --pace SECONDS: 0 to 3600, decimals allowed; nullopt and why otherwise.
std::optional<int> paceMs(const QString &text, QString *why);

} // namespace sl::app
