// Lab::perform(): a step made by hand in the playground becomes a line of the script,
// so that an experiment can be saved and replayed as it ran.
#include "engine/lab.h"

#include "script/parser.h"

using namespace sl::script;

namespace sl::engine {

namespace {

using script::MaxActors; // LabContext::actors

// The new program must be the old one plus steps at its end: the steps that ran keep
// their index, their lines, their actors and their names' slots. (The parser numbers
// names and actors in order of appearance, so appending keeps them; an indented line
// that would join the last block, or a say[ko] that would join the last say, does not.)
bool extendsProgram(const Program &oldProg, const Program &newProg) {
    if (newProg.steps.size() <= oldProg.steps.size())
        return false;
    if (newProg.actors.mid(0, oldProg.actors.size()) != oldProg.actors ||
        newProg.names.mid(0, oldProg.names.size()) != oldProg.names)
        return false;
    for (std::size_t i = 0; i < oldProg.steps.size(); ++i) {
        const Stmt &a = *oldProg.steps[i];
        const Stmt &b = *newProg.steps[i];
        if (a.kind != b.kind || a.span.line != b.span.line || a.lastLine != b.lastLine ||
            a.actorIndex != b.actorIndex || a.say.size() != b.say.size())
            return false;
    }
    return true;
}

} // namespace

QString Lab::source() const {
    return m_program ? m_program->source : QString();
}

bool Lab::perform(const QString &line, std::vector<Diagnostic> *diagnostics) {
    Q_ASSERT(onOwnerThread());
    std::vector<Diagnostic> diags;
    QString source = m_program ? m_program->source : QString();
    if (!source.isEmpty() && !source.endsWith(u'\n'))
        source += u'\n';
    const int firstLine = int(source.count(u'\n')) + 1; // where the new text begins
    const auto refuse = [&](const QString &message, const QString &hint) {
        diags.push_back({Diagnostic::Error, Span{firstLine, 1, 1}, message, hint});
        if (diagnostics)
            *diagnostics = std::move(diags);
        return false;
    };

    QString text = line;
    while (!text.isEmpty() && text.back().isSpace())
        text.chop(1);
    if (text.trimmed().isEmpty())
        return refuse(QStringLiteral("nothing to perform"),
                      QStringLiteral("write a step, e.g. `client: s = socket(AF_INET, "
                                     "SOCK_STREAM)`"));
    if (m_current >= 0)
        return refuse(QStringLiteral("a step is in progress"),
                      QStringLiteral("perform the action when the step has finished"));
    if (m_program && !atEnd())
        return refuse(QStringLiteral("the script still has %1 step(s) to run")
                          .arg(m_program->steps.size() - std::size_t(m_pos)),
                      QStringLiteral("run the script to its end, or start a new experiment: "
                                     "a hand-made step is added after the last one"));

    source += text + u'\n';
    const QString fileName = m_program ? m_program->fileName : QStringLiteral("experiment.lab");
    ParseResult res = parse(source, fileName);
    // Warnings about the lines that were already there were reported when they were
    // added; errors can only come from the new text.
    for (Diagnostic &d : res.diagnostics)
        if (d.severity == Diagnostic::Error || d.span.line >= firstLine)
            diags.push_back(std::move(d));
    if (!res.program) {
        if (diagnostics)
            *diagnostics = std::move(diags);
        return false;
    }
    if (m_program && !extendsProgram(*m_program, *res.program))
        return refuse(QStringLiteral("this text would change steps that already ran"),
                      QStringLiteral("write one new top-level step: `actor: statement`"));
    if (!m_program && res.program->steps.empty())
        return refuse(QStringLiteral("this text has no step"),
                      QStringLiteral("write a step, e.g. `client: s = socket(AF_INET, "
                                     "SOCK_STREAM)`"));
    if (res.program->actors.size() > MaxActors)
        return refuse(QStringLiteral("a lab has at most %1 actors").arg(MaxActors),
                      QStringLiteral("reuse an actor that exists"));
    if (const int child = m_ctx->forks.lowestChildActor();
        child >= 0 && res.program->actors.size() > std::size_t(child))
        // The next actor index is a forked child's lane (forks.h): a new script actor
        // there would share it in every view.
        return refuse(QStringLiteral("a new actor would take the lane of a forked child"),
                      QStringLiteral("use an actor that exists, or reset the lab first"));
    if (diagnostics)
        *diagnostics = std::move(diags);

    auto next = std::make_unique<Program>(std::move(*res.program));
    if (!m_program) {
        // A new experiment: nothing runs yet, so it starts like a loaded script.
        m_program = std::move(next);
        reset();
        emit programChanged();
        return true;
    }

    // The sampler thread reads the actor count and the actors' state: it waits while
    // the program grows. Actors go on; they see the new program at their next name
    // lookup, and the steps they run stay alive in m_retired.
    stopSampler();
    m_retired.push_back(std::move(m_program));
    m_program = std::move(next);
    m_ctx->program.store(m_program.get());
    m_ctx->env.resize(int(m_program->names.size()));
    const int oldCount = m_ctx->actorCount;
    m_ctx->actorCount = int(m_program->actors.size());
    m_actors.resize(std::size_t(m_ctx->actorCount));
    for (int i = oldCount; i < m_ctx->actorCount; ++i) {
        m_ctx->actors[std::size_t(i)].name = m_program->actors.at(i);
        trace::Event ev;
        ev.tNs = m_trace.now();
        ev.kind = trace::EventKind::ActorNew;
        ev.actor = std::uint8_t(i);
        ev.text.a = m_trace.intern(m_program->actors.at(i));
        m_trace.append(ev);
    }
    startSampler();
    emit programChanged();
    return true;
}

} // namespace sl::engine
